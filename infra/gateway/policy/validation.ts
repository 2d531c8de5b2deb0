/** Validators the settings resolution shares: each failure names the setting, the problem and the fix. */
import { ENTRA_CLAIM_VALUE, GUID, MCP_TOOL_NAME } from "../../../baseline/identifiers";
import type { CallLimit } from "./settingsTypes";

export { GUID };

export const API_PATH = /^[a-z0-9][a-z0-9._~-]*(\/[a-z0-9][a-z0-9._~-]*)*$/i;
export const TOOL_NAME = MCP_TOOL_NAME;
/** Entra scope and app-role values (no spaces, none of the separators our named values use: `;|,=`). */
export const PERMISSION = ENTRA_CLAIM_VALUE;
export const METHOD = /^[A-Za-z0-9_/.-]{1,100}$/;
export const PROTOCOL_VERSION = /^\d{4}-\d{2}-\d{2}$/;
export const BACKEND_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
export const METRIC_NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,255}$/;
/** Policy fragment ids as API Management accepts them (word characters and dashes, 80 at most). */
export const FRAGMENT_ID = /^(?:\w|\w[\w-]{0,78}\w)$/;
/** Characters that must never appear in a value spliced into a policy (see the module comment). */
export const UNSAFE = /["\\`\u0000-\u001f\u007f]|\{\{|\}\}/;


/** Thrown for an invalid setting; `setting` names it so callers can map it back to stack config. */
export class McpPolicySettingsError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
    fix: string,
  ) {
    super(`MCP gateway policy setting '${setting}': ${problem}. Fix: ${fix}.`);
    this.name = "McpPolicySettingsError";
  }
}


export function fail(setting: string, problem: string, fix: string): never {
  throw new McpPolicySettingsError(setting, problem, fix);
}

export function safeText(setting: string, value: string): string {
  if (typeof value !== "string" || value.length === 0) fail(setting, "is empty", "set a non-empty value");
  if (UNSAFE.test(value)) {
    fail(
      setting,
      `contains a character sequence that is unsafe inside an APIM policy (quote, backslash, backtick, control character, '{{' or '}}'): ${JSON.stringify(value)}`,
      "remove it; APIM would treat '{{...}}' as a named-value reference and the others break policy expressions",
    );
  }
  if (value.startsWith("@")) fail(setting, `starts with '@', which APIM reads as a policy expression`, "remove the leading '@'");
  return value;
}

export function httpsUrl(setting: string, value: string, opts: { pathAllowed: boolean }): URL {
  safeText(setting, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(setting, `is not an absolute URL: ${JSON.stringify(value)}`, "use an https:// URL");
  }
  if (url.protocol !== "https:") fail(setting, `must use https, got ${JSON.stringify(value)}`, "use an https:// URL");
  if (url.username || url.password) fail(setting, "contains credentials", "remove the user-info part");
  if (url.search || url.hash) fail(setting, "contains a query or fragment", "remove the '?...' / '#...' part");
  if (!opts.pathAllowed && url.pathname !== "/") fail(setting, "must not contain a path", "use scheme://host[:port] only");
  if (value.endsWith("/")) fail(setting, "ends with '/'", "use the canonical form without a trailing slash");
  return url;
}

export function positiveInt(setting: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    fail(setting, `must be an integer between 1 and ${max}, got ${String(value)}`, `choose a value in 1..${max}`);
  }
  return value;
}

export function limit(setting: string, value: CallLimit, maxPeriod: number): CallLimit {
  return {
    calls: positiveInt(`${setting}.calls`, value.calls, 1_000_000_000),
    renewalPeriodSeconds: positiveInt(`${setting}.renewalPeriodSeconds`, value.renewalPeriodSeconds, maxPeriod),
  };
}

export function uniqueList(setting: string, values: readonly string[], pattern: RegExp, what: string): string[] {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    safeText(`${setting}[${i}]`, v);
    if (!pattern.test(v)) fail(`${setting}[${i}]`, `${JSON.stringify(v)} is not a valid ${what} (${pattern.source})`, `use a valid ${what}`);
    if (seen.has(v)) fail(`${setting}[${i}]`, `duplicate value ${JSON.stringify(v)}`, "list each value once");
    seen.add(v);
  });
  return [...values];
}

