import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Plan } from "../../testing/planFile";
import type { Checkpoint } from "../../testing/engine/checkpoint";
import type { EngineResource } from "../../testing/engine/records";
import { sharedFolders } from "./plans";

/**
 * Program runs on the users' real path (the nodejs language host's launch against the engine stand-in) that
 * several test files read: each is launched once per `npm test`, by globalSetup's child processes (next to the
 * shared plans, in the folder HARDENED_MCP_TEST_PLANS names), and its record is read from a file. A launch costs
 * several CPU-seconds, so the suite runs each of these exactly once. A test file run on its own
 * (`npx jest path`) launches on first use instead, once per worker.
 */
const REPO = path.join(__dirname, "..", "..");
const CONSUMER = path.join(REPO, "examples", "consumer");

export const PROGRAM_RUNS = {
  /** `pulumi preview` of the kit's default program with Pulumi.dev.yaml. */
  "kit-preview": { dir: REPO, stack: "dev", mode: "preview" },
  /** `pulumi up` of the same. */
  "kit-up": { dir: REPO, stack: "dev", mode: "up" },
  /** examples/consumer (another team's stack importing the kit by its package name), previewed. */
  "consumer-preview": { dir: CONSUMER, stack: "prod", mode: "preview" },
  "consumer-up": { dir: CONSUMER, stack: "prod", mode: "up" },
} as const satisfies Record<string, { dir: string; stack: string; mode: "preview" | "up" }>;

export type ProgramRunName = keyof typeof PROGRAM_RUNS;
export const PROGRAM_RUN_NAMES = Object.keys(PROGRAM_RUNS) as ProgramRunName[];

/** What a test can read of a finished run: the plain data of ProgramRun, without the live stand-in. */
export interface ProgramRunRecord {
  readonly plan: Plan;
  /** Warnings, errors, refusals and a failed exit (ProgramRun.problems): empty for a clean run. */
  readonly problems: string[];
  readonly exitCode: number | null;
  /** The node arguments the launcher used. */
  readonly args: string[];
  readonly rootResource: string;
  readonly stackOutputs: Record<string, unknown>;
  /** Every registration with what the stand-in answered (outputs filled in an update). */
  readonly resources: EngineResource[];
  /** The state an update leaves, for a later deployment; absent for a preview. */
  readonly checkpoint?: Checkpoint;
}

const runFile = (dir: string, name: ProgramRunName) => path.join(dir, `${name}.run.json`);

/** Launches the named runs one after another and writes their records into `dir`. */
export async function writeProgramRuns(dir: string, names: readonly ProgramRunName[]): Promise<void> {
  const { previewProgram } = await import("../../testing/engine/previewProgram");
  for (const name of names) {
    const { plan, run } = await previewProgram(PROGRAM_RUNS[name]);
    const d = run.deployment;
    const record: ProgramRunRecord = {
      plan,
      problems: run.problems,
      exitCode: run.launch.exitCode,
      args: run.launch.args,
      rootResource: d.rootResource,
      stackOutputs: d.stackOutputs,
      resources: d.resources,
      ...(d.preview || run.launch.exitCode !== 0 ? {} : { checkpoint: d.checkpoint() }),
    };
    writeFileSync(runFile(dir, name), JSON.stringify(record));
  }
}

const folderOf = sharedFolders<ProgramRunName>(runFile, writeProgramRuns);

/** A shared run's record, parsed afresh for each caller (callers may change their copy). */
export async function sharedRun(name: ProgramRunName): Promise<ProgramRunRecord> {
  return JSON.parse(readFileSync(runFile(await folderOf(name), name), "utf8")) as ProgramRunRecord;
}
