/**
 * The pack's checks a plan leaves blind: rules that read a value unknown until apply, so neither the
 * pack under `pulumi preview --policy-pack` nor `hardened-mcp check` can decide them (reported as
 * deferred, never as passed). The plan summary lists each with its reason.
 */
import { readPlan } from "../policies/offline/readers";
import { runCheck } from "../policies/offline/run";
import { allRules } from "../policies/rules";
import { Plan, planToJson } from "../testing/planFile";

export interface BlindCheck {
  readonly policy: string;
  /** How many resources the check could not judge. */
  readonly resources: number;
  /** The first reason given, with the resource it was about. */
  readonly reason: string;
}

export async function blindChecks(plan: Plan): Promise<BlindCheck[]> {
  const report = await runCheck(readPlan(JSON.parse(planToJson(plan))), allRules);
  const byPolicy = new Map<string, { resources: number; reason: string }>();
  for (const d of report.deferred) {
    const seen = byPolicy.get(d.policy);
    const name = d.urn ? d.urn.slice(d.urn.lastIndexOf("::") + 2) : "the stack";
    if (seen) seen.resources += 1;
    else byPolicy.set(d.policy, { resources: 1, reason: `${name}: ${d.message}` });
  }
  return [...byPolicy.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([policy, v]) => ({ policy, ...v }));
}
