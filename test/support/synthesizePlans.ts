/**
 * Child process of globalSetup (test/support/plans.ts writeSharedPlansInChild):
 * `node --import tsx synthesizePlans.ts <dir> <name>...` writes each named shared plan (planConfigs.ts) and
 * each named program run (programRuns.ts) into <dir>.
 */
import { writeSharedPlans } from "./plans";
import { SHARED_PLAN_NAMES, SharedPlanName } from "./planConfigs";
import { PROGRAM_RUN_NAMES, ProgramRunName, writeProgramRuns } from "./programRuns";

const [dir, ...names] = process.argv.slice(2);
const plans = names.filter((n): n is SharedPlanName => (SHARED_PLAN_NAMES as string[]).includes(n));
const runs = names.filter((n): n is ProgramRunName => (PROGRAM_RUN_NAMES as string[]).includes(n));
const unknown = names.filter((n) => !(plans as string[]).includes(n) && !(runs as string[]).includes(n));
if (!dir || names.length === 0 || unknown.length > 0) {
  console.error(`usage: synthesizePlans.ts <dir> <name>... (plans: ${SHARED_PLAN_NAMES.join(", ")}; runs: ${PROGRAM_RUN_NAMES.join(", ")}; unknown: ${unknown.join(", ") || "none"})`);
  process.exit(2);
}
(async () => {
  await writeSharedPlans(dir, plans);
  await writeProgramRuns(dir, runs);
})().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
