/**
 * The shape of a mutation of the generated policy, and how it is applied. Each mutation weakens the policy as a
 * plausible regression would (a check removed, a condition inverted, a header kept), and the scenarios it names
 * must then fail (attackMatrix.test.ts). A mutation whose text is not found fails the test: the generated policy
 * changed shape, so update the mutation, do not delete it.
 */
import { REFUSAL_FRAGMENT_ID } from "../../../infra/gateway/policy";
import type { PolicyDocuments } from "../fixture";

/** One mutation: text edits of the generated documents and the scenarios that must catch it. */
export interface Mutation {
  name: string;
  /**
   * Exact (XML-escaped) text in the API document (or, with `in: "refusal"`, the shared refusal fragment) and its
   * replacement; every occurrence is replaced.
   */
  edits: { find: string | RegExp; replace: string; in?: "api" | "refusal" }[];
  /** Names of attack-matrix scenarios; each must pass on the generated policy and fail on the mutant. */
  killedBy: string[];
}

/** XML-escapes text as the generated document carries it inside attributes. */
export const q = (s: string): string => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The documents with the mutation's edits applied; throws when an edit's text is not there. */
export function applyMutation(m: Mutation, docs: PolicyDocuments): PolicyDocuments {
  let api = docs.api;
  let refusal = docs.fragments[REFUSAL_FRAGMENT_ID]!;
  for (const e of m.edits) {
    const before = e.in === "refusal" ? refusal : api;
    const after = typeof e.find === "string" ? before.split(e.find).join(e.replace) : before.replace(new RegExp(e.find.source, "g"), e.replace);
    if (after === before) throw new Error(`mutation "${m.name}": text not found in the generated ${e.in === "refusal" ? "refusal fragment" : "API policy"}: ${String(e.find)}`);
    if (e.in === "refusal") refusal = after;
    else api = after;
  }
  return { ...docs, api, fragments: { ...docs.fragments, [REFUSAL_FRAGMENT_ID]: refusal } };
}
