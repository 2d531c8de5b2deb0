/**
 * What every refusal and every answer shares: JSON-RPC error bodies, the security headers, the audit record and
 * the Bearer challenges. Refusals are JSON-RPC-shaped (`{"jsonrpc":"2.0","id":null,"error":{...}}`), carry the
 * status code the MCP spec names, the security headers (return-response skips the outbound section) and an audit
 * record, and never reveal internals (no policy names, no token details, no backend addresses).
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

/** Server/framework banners removed from every response. */
export const BANNER_HEADERS: readonly string[] = ["Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"];

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

/** The JSON-RPC error body. Static text: JSON.stringify of gateway-authored strings, checked free of `{{`/`@`. */
export function jsonRpcErrorBody(code: number, message: string): string {
  // `}}` closes a named-value reference in APIM's eyes; JSON allows whitespace between the two braces.
  const body = JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }).replace(/\}\}/g, "} }");
  if (body.includes("{{") || body.includes("}}") || body.startsWith("@")) throw new Error(`JSON-RPC error body would be misread by APIM: ${body}`);
  return body;
}

/** Audit record: one trace and one metric. Caller, client app, session, method, tool, decision, status, latency;
 * never argument values or tokens. `statusExpr` is a C# int expression. */
export function auditNodes(s: McpPolicySettings, statusExpr: string): PolicyElement[] {
  const decision = `context.Variables.GetValueOrDefault<string>(${csString(Vars.decision)}, "allow")`;
  const tool = strVar(Vars.tool);
  const metricToolCode =
    `string tool = ${tool}; string checkedTool = ${strVar(Vars.toolDecision)}; ` +
    `return tool == "" ? "(none)" : ((checkedTool == "allow" || checkedTool == "insufficient") ? tool : "(unchecked)");`;
  const record = [
    `new JProperty("event", "mcp.gateway.request")`,
    `new JProperty("server", ${csString(s.serverName)})`,
    `new JProperty("requestId", context.RequestId.ToString())`,
    `new JProperty("caller", ${strVar(Vars.caller)})`,
    `new JProperty("clientApp", ${strVar(Vars.clientApp)})`,
    `new JProperty("session", ${strVar(Vars.sessionId)})`,
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
      { name: AUDIT_METRIC_NAME, value: "1", namespace: s.metricNamespace },
      el("dimension", { name: "server", value: s.serverName }),
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
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
} as const;

export interface Refusal {
  readonly status: keyof typeof REASON_PHRASES;
  readonly code: number;
  readonly message: string;
  /** Audit decision, `deny:<why>`. */
  readonly decision: string;
  /** Extra response headers; values may be policy expressions. */
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

/** set decision, audit, return-response with the JSON-RPC error and the security headers. */
export function refuse(s: McpPolicySettings, r: Refusal): PolicyElement[] {
  return [
    setVariable(Vars.decision, r.decision),
    ...auditNodes(s, String(r.status)),
    el(
      "return-response",
      {},
      el("set-status", { code: r.status, reason: REASON_PHRASES[r.status] }),
      setHeader("Content-Type", "application/json"),
      ...SECURITY_HEADERS.map((h) => setHeader(h.name, h.value)),
      ...(r.headers ?? []).map((h) => setHeader(h.name, h.value)),
      el("set-body", {}, jsonRpcErrorBody(r.code, r.message)),
    ),
  ];
}

/** `<choose><when condition>` + refusal: the shape of most request checks. */
export function refuseWhen(s: McpPolicySettings, condition: string, r: Refusal): PolicyElement {
  return choose(when(condition, ...refuse(s, r)));
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
