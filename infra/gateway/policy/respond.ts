/**
 * What every refusal and every answer shares: the security headers, the audit record, the Bearer challenges and
 * the refusal itself. Refusals are JSON-RPC-shaped (`{"jsonrpc":"2.0","id":null,"error":{...}}`), carry the status
 * code the MCP spec names, the security headers (return-response skips the outbound section) and an audit record,
 * and never reveal internals (no policy names, no token details, no backend addresses). That response is written
 * once, in the service-level refusal fragment (`refusalFragmentNodes`); each refusal site only names it.
 */
import { el, type PolicyElement } from "./xml";
import type { McpPolicySettings } from "./settings";
import { csString, expr, block, strVar, Vars } from "./expressions";
import { choose, deleteHeader, setHeader, setVariable, when } from "./elements";

/** JSON-RPC error codes the gateway uses. -32000..-32099 is the implementation-defined server-error range; the
 * MCP-assigned codes -32002 (resource not found), -32020 (header mismatch) and -32042 are not reused. */
export const RpcErrors = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  unauthorized: -32001,
  forbidden: -32003,
  sessionNotFound: -32004,
  headerMismatch: -32020,
  rateLimited: -32029,
  contentBlocked: -32030,
  unavailable: -32050,
  tooLarge: -32013,
} as const;

/** Response headers set on every answer (backend, refusal or error). */
export const SECURITY_HEADERS: readonly { readonly name: string; readonly value: string }[] = [
  { name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
  { name: "X-Content-Type-Options", value: "nosniff" },
  { name: "Cache-Control", value: "no-store" },
  { name: "X-Frame-Options", value: "DENY" },
  { name: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
  { name: "Referrer-Policy", value: "no-referrer" },
];

/**
 * Framework banners removed from every response. Not `Server`: the set-header reference documents that the gateway
 * cannot remove or modify it, so the policy does not claim to.
 */
export const BANNER_HEADERS: readonly string[] = ["X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"];

/** Identity headers a client could forge; deleted before the gateway sets its own from the validated token. */
export const CLIENT_IDENTITY_HEADERS: readonly string[] = [
  "X-MCP-Caller-Tenant",
  "X-MCP-Caller-Oid",
  "X-MCP-Caller-Roles",
  "X-MCP-Caller-Scopes",
  "X-MCP-Client-App",
  "X-MS-CLIENT-PRINCIPAL",
  "X-MS-CLIENT-PRINCIPAL-ID",
  "X-MS-CLIENT-PRINCIPAL-NAME",
  "X-MS-CLIENT-PRINCIPAL-IDP",
  "X-MS-TOKEN-AAD-ACCESS-TOKEN",
  "X-MS-TOKEN-AAD-ID-TOKEN",
  "X-Forwarded-User",
  "X-Forwarded-Email",
  // Other client credentials: none of them is meant for the backend.
  "Cookie",
  "Proxy-Authorization",
  "Ocp-Apim-Subscription-Key",
];

const AUDIT_METRIC_NAME = "mcp-gateway-requests";
const AUDIT_TRACE_SOURCE = "hardened-mcp-gateway";

/**
 * The session in the audit record: the first 16 hex digits of SHA-256(Mcp-Session-Id), "" without one. Enough to
 * correlate a session's requests; the raw id is a bearer value (with a token it resumes the session) and must not
 * sit in logs readable by more people than the callers.
 */
const SESSION_DIGEST =
  `(${strVar(Vars.sessionId)} == "" ? "" : BitConverter.ToString(SHA256.Create().ComputeHash(Encoding.UTF8.GetBytes(${strVar(Vars.sessionId)}))).Replace("-", "").Substring(0, 16).ToLowerInvariant())`;

/**
 * Audit record: one trace and one metric. Server, caller, client app, session digest, method, tool, decision, status,
 * latency; never argument values or tokens. The server is the `mcpServer` variable (set first in inbound), so the
 * same record serves every API; `statusExpr` is a C# int expression. emit-metric's namespace allows no
 * expression, so it is fixed where the record is built.
 */
export function auditNodes(metricNamespace: string, statusExpr: string): PolicyElement[] {
  const decision = `context.Variables.GetValueOrDefault<string>(${csString(Vars.decision)}, "allow")`;
  const tool = strVar(Vars.tool);
  const metricToolCode =
    `string tool = ${tool}; string checkedTool = ${strVar(Vars.toolDecision)}; ` +
    `return tool == "" ? "(none)" : ((checkedTool == "allow" || checkedTool == "insufficient") ? tool : "(unchecked)");`;
  const record = [
    `new JProperty("event", "mcp.gateway.request")`,
    `new JProperty("server", ${strVar(Vars.server)})`,
    `new JProperty("requestId", context.RequestId.ToString())`,
    `new JProperty("caller", ${strVar(Vars.caller)})`,
    `new JProperty("clientApp", ${strVar(Vars.clientApp)})`,
    `new JProperty("session", ${SESSION_DIGEST})`,
    `new JProperty("method", ${strVar(Vars.method)})`,
    `new JProperty("tool", ${tool})`,
    `new JProperty("decision", ${decision})`,
    `new JProperty("status", ${statusExpr})`,
    `new JProperty("latencyMs", (long)context.Elapsed.TotalMilliseconds)`,
  ];
  return [
    el(
      "trace",
      { source: AUDIT_TRACE_SOURCE, severity: "information" },
      el("message", {}, expr(`new JObject(${record.join(", ")}).ToString(Newtonsoft.Json.Formatting.None)`)),
      el("metadata", { name: "mcp-decision", value: expr(decision) }),
    ),
    el(
      "emit-metric",
      { name: AUDIT_METRIC_NAME, value: "1", namespace: metricNamespace },
      el("dimension", { name: "server", value: expr(strVar(Vars.server)) }),
      el("dimension", { name: "method", value: expr(`${strVar(Vars.method)} == "" ? "(none)" : ${strVar(Vars.method)}`) }),
      // Bounded cardinality: only tools that passed the approved-tool lookup appear by name.
      el("dimension", { name: "tool", value: block(metricToolCode) }),
      el("dimension", { name: "decision", value: expr(decision) }),
      el("dimension", { name: "status", value: expr(`(${statusExpr}).ToString()`) }),
    ),
  ];
}

/** Reason phrases of the statuses the gateway answers with (RFC 9110). */
export const REASON_PHRASES = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  411: "Length Required",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
} as const;

/** The response headers a refusal may add, and the variable that carries each to the fragment. */
export const REFUSAL_HEADER_VARIABLES = {
  "WWW-Authenticate": Vars.refusalChallenge,
  Allow: Vars.refusalAllow,
  "Retry-After": Vars.refusalRetryAfter,
} as const;

export type RefusalHeader = keyof typeof REFUSAL_HEADER_VARIABLES;

export interface Refusal {
  readonly status: keyof typeof REASON_PHRASES;
  readonly code: number;
  readonly message: string;
  /** Audit decision, `deny:<why>`. */
  readonly decision: string;
  /** Extra response headers; values may be policy expressions. */
  readonly headers?: readonly { readonly name: RefusalHeader; readonly value: string }[];
}

/** A gateway-authored literal that APIM must read as text: no `{{`/`}}` (named values), no leading `@` (C#). */
function literal(value: string, what: string): string {
  if (value.includes("{{") || value.includes("}}") || value.startsWith("@")) throw new Error(`${what} would be misread by APIM: ${value}`);
  return value;
}

/**
 * A refusal site: it names the refusal in context variables and includes the refusal fragment, which audits and
 * answers. No site can see another site's variables: the fragment ends the request, and its expressions only read
 * variables, so it cannot fail over to on-error halfway.
 */
export function refuse(s: McpPolicySettings, r: Refusal): PolicyElement[] {
  return [
    setVariable(Vars.decision, literal(r.decision, "audit decision")),
    setVariable(Vars.refusalStatus, String(r.status)),
    setVariable(Vars.refusalCode, String(r.code)),
    setVariable(Vars.refusalMessage, literal(r.message, "JSON-RPC error message")),
    ...(r.headers ?? []).map((h) => setVariable(REFUSAL_HEADER_VARIABLES[h.name], h.value)),
    el("include-fragment", { "fragment-id": s.refusalFragmentId }),
  ];
}

/** `<choose><when condition>` + refusal: the shape of most request checks. */
export function refuseWhen(s: McpPolicySettings, condition: string, r: Refusal): PolicyElement {
  return choose(when(condition, ...refuse(s, r)));
}

/**
 * The one refusal: audit, then a fresh response (return-response skips outbound, so the security headers are set
 * here) with the status and reason, the optional headers the site named (a header whose variable is unset is
 * deleted, i.e. never sent) and the JSON-RPC error `{"jsonrpc":"2.0","id":null,"error":{code,message}}`, serialized
 * by JSON.NET so the message is escaped. Never reveals internals: the site's message is gateway-authored.
 */
export function refusalFragmentNodes(metricNamespace: string): PolicyElement[] {
  const status = `int.Parse(${strVar(Vars.refusalStatus)})`;
  const reasons = Object.entries(REASON_PHRASES).map(([code, phrase]) => `case ${code}: return ${csString(phrase)};`);
  const body =
    `new JObject(new JProperty("jsonrpc", "2.0"), new JProperty("id", (object)null), new JProperty("error", new JObject(` +
    `new JProperty("code", int.Parse(${strVar(Vars.refusalCode)})), new JProperty("message", ${strVar(Vars.refusalMessage)})))).ToString(Newtonsoft.Json.Formatting.None)`;
  return [
    ...auditNodes(metricNamespace, status),
    el(
      "return-response",
      {},
      el("set-status", { code: expr(status), reason: block(`switch (${status}) { ${reasons.join(" ")} default: return "Error"; }`) }),
      setHeader("Content-Type", "application/json"),
      ...SECURITY_HEADERS.map((h) => setHeader(h.name, h.value)),
      ...Object.entries(REFUSAL_HEADER_VARIABLES).map(([name, variable]) =>
        el(
          "set-header",
          { name, "exists-action": expr(`context.Variables.ContainsKey(${csString(variable)}) ? "override" : "delete"`) },
          el("value", {}, expr(strVar(variable))),
        ),
      ),
      el("set-body", {}, expr(body)),
    ),
  ];
}

function quoteParam(value: string): string {
  return `"${value}"`;
}

/** Scopes as a client requests them from Entra: `<Application ID URI>/<scope>`. */
export function fullScopes(s: McpPolicySettings, scopes: readonly string[]): string[] {
  return scopes.map((sc) => `${s.applicationIdUri}/${sc}`);
}

/** `Bearer resource_metadata="...", scope="..."` (+ `error="..."`), RFC 6750 §3 / RFC 9728 §5.1. */
export function bearerChallenge(s: McpPolicySettings, error?: "invalid_token"): string {
  const params = [
    ...(error ? [`error=${quoteParam(error)}`] : []),
    `resource_metadata=${quoteParam(s.prmUrl)}`,
    `scope=${quoteParam(fullScopes(s, s.scopes).join(" "))}`,
  ];
  return `Bearer ${params.join(", ")}`;
}

/** Security headers set and banners removed (used in outbound and on-error, at API and global scope). */
export function securityHeaderNodes(): PolicyElement[] {
  return [...BANNER_HEADERS.map(deleteHeader), ...SECURITY_HEADERS.map((h) => setHeader(h.name, h.value))];
}
