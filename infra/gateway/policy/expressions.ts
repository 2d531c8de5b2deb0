/**
 * Helpers for APIM policy expressions (C#). Configured values are spliced into expressions only as C# string
 * literals produced here; settings validation already excludes quotes, backslashes and `{{`, so escaping is a
 * second line of defence, not the only one.
 */

/** A C# regular string literal for `value`. */
export function csString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (code > 0xffff) out += `\\U${code.toString(16).padStart(8, "0")}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** `@(expr)`: a single-expression policy expression. */
export function expr(code: string): string {
  return `@(${code})`;
}

/** `@{ statements }`: a multi-statement policy expression (must `return`). */
export function block(code: string): string {
  return `@{ ${code.trim()} }`;
}

/** Names of the context variables the MCP policy sets; the emulator and tests read them. */
export const Vars = {
  token: "mcpToken",
  caller: "mcpCaller",
  clientApp: "mcpClientApp",
  rpc: "mcpRpc",
  method: "mcpMethod",
  tool: "mcpTool",
  toolDecision: "mcpToolDecision",
  sessionId: "mcpSessionId",
  sessionOwner: "mcpSessionOwner",
  issuedSessionOwner: "mcpIssuedSessionOwner",
  decision: "mcpDecision",
  retryAfter: "mcpRetryAfter",
  shieldBodies: "mcpShieldBodies",
  shieldResponse: "mcpShield",
  shieldVerdict: "mcpShieldVerdict",
  server: "mcpServer",
  // Outbound inspection of answers (toolList.ts, resultScreening.ts) and the one outbound cache store.
  toolList: "mcpToolList",
  toolDefsVerdict: "mcpToolDefsVerdict",
  toolDefsBodies: "mcpToolDefsBodies",
  toolDefsResponse: "mcpToolDefsShield",
  result: "mcpResult",
  resultBodies: "mcpResultBodies",
  resultResponse: "mcpResultShield",
  resultVerdict: "mcpResultVerdict",
  cacheKey: "mcpCacheKey",
  cacheValue: "mcpCacheValue",
  // What a refusal site hands to the refusal fragment (respond.ts).
  refusalStatus: "mcpRefusalStatus",
  refusalCode: "mcpRefusalCode",
  refusalMessage: "mcpRefusalMessage",
  refusalChallenge: "mcpRefusalChallenge",
  refusalAllow: "mcpRefusalAllow",
  refusalRetryAfter: "mcpRefusalRetryAfter",
} as const;

/** `context.Variables.GetValueOrDefault<string>("name", "")`. */
export function strVar(name: string): string {
  return `context.Variables.GetValueOrDefault<string>(${csString(name)}, "")`;
}

/** `context.Request.Headers.GetValueOrDefault("name", "")`. */
export function reqHeader(name: string): string {
  return `context.Request.Headers.GetValueOrDefault(${csString(name)}, "")`;
}

/**
 * Membership in a `;a;b;`-encoded list (see namedValues.ts). `valueExpr` must be a simple variable: it is evaluated
 * twice. A value containing `;` could span two entries, so it never matches.
 */
export function inList(listLiteral: string, valueVar: string): string {
  return `(${valueVar}.IndexOf(';') < 0 && ${listLiteral}.Contains(";" + ${valueVar} + ";"))`;
}
