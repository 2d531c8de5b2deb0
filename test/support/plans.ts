import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Plan } from "../../testing/mock/plan";
import { PLAN_CONFIGS, SharedPlanName } from "./planConfigs";

/**
 * The whole-platform plans the suite shares (test/support/planConfigs.ts), each synthesized once per run:
 * `npm test`'s jest globalSetup (globalSetup.ts) has child processes write them into a folder it names in
 * HARDENED_MCP_TEST_PLANS, and tests read the files. A test file run on its own (`npx jest path`)
 * synthesizes on first use instead, once per worker.
 */
export const PLANS_ENV = "HARDENED_MCP_TEST_PLANS";

/** The default plan, as `hardened-mcp plan` writes it (resources by URN). */
export const KIT_PLAN = "kit-dev.plan.json";

/** The file of a plan as synthesizePlan returned it (resources in registration order). */
const registeredFile = (dir: string, name: SharedPlanName) => path.join(dir, `${name}.json`);

/** Synthesizes the named plans one after another in this process and writes their files into `dir`. */
export async function writeSharedPlans(dir: string, names: readonly SharedPlanName[]): Promise<void> {
  const { synthesizePlan, planToJson } = await import("../../testing/mock/plan");
  for (const name of names) {
    const plan = await synthesizePlan({ stack: "dev", config: PLAN_CONFIGS[name]() });
    writeFileSync(registeredFile(dir, name), JSON.stringify(plan));
    if (name === "kit-dev") writeFileSync(path.join(dir, KIT_PLAN), planToJson(plan));
  }
}

/**
 * Synthesizes the named plans, and launches the named program runs (programRuns.ts), in a child process (node
 * with tsx, as `npm run bench` runs its workers): a fresh process per batch keeps each synthesis's heap from
 * slowing the next, and two batches use both cores.
 */
export function writeSharedPlansInChild(dir: string, names: readonly string[]): Promise<void> {
  const script = path.join(__dirname, "synthesizePlans.ts");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, dir, ...names], { cwd: path.join(__dirname, "..", ".."), stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`synthesizing the shared plans ${names.join(", ")} failed (${code ?? signal}):\n${stderr}`)),
    );
  });
}

/**
 * Where a shared file is: the run's shared folder (globalSetup wrote it), or else a folder this worker writes
 * it into on first use (a test file run on its own), once per worker and name.
 */
export function sharedFolders<N extends string>(fileOf: (dir: string, name: N) => string, write: (dir: string, names: N[]) => Promise<void>): (name: N) => Promise<string> {
  const local = new Map<N, Promise<string>>();
  return (name) => {
    const shared = process.env[PLANS_ENV];
    if (shared && existsSync(fileOf(shared, name))) return Promise.resolve(shared);
    let made = local.get(name);
    if (made === undefined) {
      made = (async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-shared-"));
        await write(dir, [name]);
        return dir;
      })();
      local.set(name, made);
    }
    return made;
  };
}

/** The folder holding the plan's files. */
const folderOf = sharedFolders<SharedPlanName>(registeredFile, writeSharedPlans);

/** A shared plan as synthesizePlan returned it (registration order), parsed afresh for each caller. */
export async function sharedPlan(name: SharedPlanName): Promise<Plan> {
  return JSON.parse(readFileSync(registeredFile(await folderOf(name), name), "utf8")) as Plan;
}

/** The default plan's file, as `hardened-mcp plan` writes it (read-only: tests share it). */
export async function kitPlanFile(): Promise<string> {
  return path.join(await folderOf("kit-dev"), KIT_PLAN);
}

/** The default plan file's JSON, parsed afresh for each caller (callers may change their copy). */
export async function kitPlanJson(): Promise<unknown> {
  return JSON.parse(readFileSync(await kitPlanFile(), "utf8")) as unknown;
}

/** The default plan (registration order), parsed afresh for each caller. */
export function kitPlan(): Promise<Plan> {
  return sharedPlan("kit-dev");
}
