import type { AzureRest } from "./rest";
import type { PreflightNeeds } from "./needs";
import { normalizeRegion } from "../../infra/contentsafety/contentSafety";

/**
 * One row of the preflight table. "unknown" means the check could not run (no answer, no right to
 * read): it is never counted as a pass, and blocks like a failure. "warn" does not block the first
 * deployment but will block a later one (day-2 rights).
 */
export type CheckStatus = "pass" | "fail" | "unknown" | "warn";

export interface CheckResult {
  /** Which check: "provider", "rights", "graph", "name", "prompt-shields", "gateway-sku", "registry". */
  readonly check: string;
  /** What it looked at: "Microsoft.App", "resource group rg-mcp-dev", "kv-mcp-dev-abcde". */
  readonly subject: string;
  readonly status: CheckStatus;
  /** Why it passed or failed, in one sentence. */
  readonly why: string;
  /** The exact command or setting that fixes a failure. */
  readonly fix?: string;
}

export interface CheckContext {
  readonly rest: AzureRest;
  readonly needs: PreflightNeeds;
}

export type Check = (ctx: CheckContext) => Promise<CheckResult[]>;

/** A check that threw (no answer from the endpoint): reported as unknown, never as passed. */
export function couldNotRun(check: string, subject: string, err: unknown): CheckResult {
  return { check, subject, status: "unknown", why: `could not check: ${err instanceof Error ? err.message : String(err)}` };
}

/** `"West Europe"` and `"westeurope"` are one region to ARM. */
export function sameRegion(a: string, b: string): boolean {
  return normalizeRegion(a) === normalizeRegion(b);
}
