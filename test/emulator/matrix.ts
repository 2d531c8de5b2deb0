/**
 * The attack matrix: scripted requests against the kit's generated gateway policies (see fixture.ts), each
 * asserting status, headers and body of what the client sees and what (if anything) reached the backend.
 * Run by attackMatrix.test.ts (every scenario must pass, and mutated policies must make named scenarios fail).
 */
import { happyPathScenarios } from "./scenarios/happyPath";
import { auditScenarios } from "./scenarios/audit";
import { parserDifferentialScenarios } from "./scenarios/parserDifferentials";
import { authenticationScenarios } from "./scenarios/authentication";
import { requestScenarios } from "./scenarios/requests";
import { authorizationScenarios } from "./scenarios/authorization";
import { sessionScenarios } from "./scenarios/sessions";
import { rateLimitScenarios } from "./scenarios/rateLimits";
import { contentSafetyScenarios } from "./scenarios/contentSafety";
import { identityScenarios } from "./scenarios/identity";
import { allowListScenarios } from "./scenarios/allowLists";
import { resultScenarios } from "./scenarios/results";
import { toolDefinitionScenarios } from "./scenarios/toolDefinitions";
import { hygieneScenarios } from "./scenarios/hygiene";
import { headerScenarios } from "./scenarios/headers";
import { transportScenarios } from "./scenarios/transport";
import type { Scenario } from "./assertions";

export type { Scenario } from "./assertions";
export { expectForwarded, expectRefused, expectRefusedWith } from "./assertions";

/** Every scenario, in the order the matrix runs them (each group lives in scenarios/, by concern). */
export const scenarios: Scenario[] = [
  ...happyPathScenarios,
  ...auditScenarios,
  ...parserDifferentialScenarios,
  ...authenticationScenarios,
  ...requestScenarios,
  ...authorizationScenarios,
  ...sessionScenarios,
  ...rateLimitScenarios,
  ...contentSafetyScenarios,
  ...identityScenarios,
  ...allowListScenarios,
  ...toolDefinitionScenarios,
  ...resultScenarios,
  ...hygieneScenarios,
  ...headerScenarios,
  ...transportScenarios,
];

export function scenario(name: string): Scenario {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario named ${JSON.stringify(name)}`);
  return s;
}
