import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PLANS_ENV, writeKitPlan } from "./plans";

/** Synthesizes the shared plans once, before any test file starts; workers inherit the folder's name. */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-plans-"));
  process.env[PLANS_ENV] = dir;
  await writeKitPlan(dir);
}
