/**
 * Child process of globalSetup (test/support/plans.ts writeSharedPlansInChild):
 * `node --import tsx synthesizePlans.ts <dir> <name>...` writes each named shared plan into <dir>.
 */
import { writeSharedPlans } from "./plans";
import { SHARED_PLAN_NAMES, SharedPlanName } from "./planConfigs";

const [dir, ...names] = process.argv.slice(2);
const unknown = names.filter((n) => !(SHARED_PLAN_NAMES as string[]).includes(n));
if (!dir || names.length === 0 || unknown.length > 0) {
  console.error(`usage: synthesizePlans.ts <dir> <name>... (names: ${SHARED_PLAN_NAMES.join(", ")}; unknown: ${unknown.join(", ") || "none"})`);
  process.exit(2);
}
writeSharedPlans(dir, names as SharedPlanName[]).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
