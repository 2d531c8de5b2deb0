import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Plan } from "../../testing/mock/plan";
import { devEngineConfig } from "../config/fixtures";

/**
 * The whole-platform plans the suite shares, each synthesized once per run: `npm test`'s jest globalSetup
 * (globalSetup.ts) writes them into a folder it names in HARDENED_MCP_TEST_PLANS, and tests read the files.
 * A test file run on its own (`npx jest path`) synthesizes on first use instead, once per worker.
 */
export const PLANS_ENV = "HARDENED_MCP_TEST_PLANS";

/** The kit's default program with Pulumi.dev.yaml, as `hardened-mcp plan` writes it (resources by URN). */
export const KIT_PLAN = "kit-dev.json";
/** The same plan with its resources in registration order (the `Plan` synthesizePlan returns). */
const KIT_PLAN_REGISTERED = "kit-dev.registered.json";

/** Synthesizes the default plan and writes both files into `dir`; returns the plan file. */
export async function writeKitPlan(dir: string): Promise<string> {
  const { synthesizePlan, planToJson } = await import("../../testing/mock/plan");
  const plan = await synthesizePlan({ stack: "dev", config: devEngineConfig() });
  writeFileSync(path.join(dir, KIT_PLAN_REGISTERED), JSON.stringify(plan));
  const file = path.join(dir, KIT_PLAN);
  writeFileSync(file, planToJson(plan));
  return file;
}

let local: Promise<string> | undefined;

/** The default plan's file (read-only: tests share it). */
export function kitPlanFile(): Promise<string> {
  const shared = process.env[PLANS_ENV];
  if (shared && existsSync(path.join(shared, KIT_PLAN))) return Promise.resolve(path.join(shared, KIT_PLAN));
  local ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-plans-"));
    return writeKitPlan(dir);
  })();
  return local;
}

/** The default plan file's JSON, parsed afresh for each caller (callers may change their copy). */
export async function kitPlanJson(): Promise<unknown> {
  return JSON.parse(readFileSync(await kitPlanFile(), "utf8")) as unknown;
}

/** The default plan as synthesizePlan returned it (registration order), parsed afresh for each caller. */
export async function kitPlan(): Promise<Plan> {
  const file = path.join(path.dirname(await kitPlanFile()), KIT_PLAN_REGISTERED);
  return JSON.parse(readFileSync(file, "utf8")) as Plan;
}
