import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SHARED_PLAN_NAMES } from "./planConfigs";
import { PLANS_ENV, writeSharedPlansInChild } from "./plans";

/**
 * Synthesizes the shared plans once, before any test file starts, in two child processes (two cores);
 * workers inherit the folder's name. "kit-dev" and "kit-dev-again" go to different processes, so the
 * determinism test compares plans of two processes.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-plans-"));
  process.env[PLANS_ENV] = dir;
  const batches: [string[], string[]] = [[], []];
  SHARED_PLAN_NAMES.forEach((name, i) => batches[i % 2].push(name));
  await Promise.all(batches.map((names) => writeSharedPlansInChild(dir, names as typeof SHARED_PLAN_NAMES)));
}
