import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SHARED_PLAN_NAMES } from "./planConfigs";
import { PLANS_ENV, writeSharedPlansInChild } from "./plans";
import type { ProgramRunName } from "./programRuns";

/**
 * Synthesizes the shared plans and launches the shared program runs (programRuns.ts) once, before any test
 * file starts, in two child processes (two cores); workers inherit the folder's name. "kit-dev" and
 * "kit-dev-again" go to different processes, so the determinism test compares plans of two processes; the
 * four launches are split two and two. A run of chosen test files (`npx jest path...`) prepares nothing up
 * front: each file then makes what it reads on first use, once per worker (plans.ts sharedFolders).
 */
const RUN_BATCHES: [ProgramRunName[], ProgramRunName[]] = [
  ["kit-preview", "consumer-up"],
  ["kit-up", "consumer-preview"],
];

export default async function globalSetup(globalConfig: { testPathPatterns: { isSet(): boolean } }): Promise<void> {
  if (globalConfig.testPathPatterns.isSet()) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-plans-"));
  process.env[PLANS_ENV] = dir;
  const batches: [string[], string[]] = [[], []];
  SHARED_PLAN_NAMES.forEach((name, i) => batches[i % 2].push(name));
  await Promise.all(batches.map((names, i) => writeSharedPlansInChild(dir, [...names, ...RUN_BATCHES[i]])));
}
