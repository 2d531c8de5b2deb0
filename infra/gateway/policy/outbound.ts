/** The backend, outbound and on-error fragments of the MCP API document. */
import { el } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, strVar, Vars } from "./expressions";
import { namedValueRef } from "./namedValues";
import { choose, deleteHeader, setHeader, setVariable, when } from "./elements";
import { auditNodes, bearerChallenge, refuse, refuseWhen, RpcErrors, securityHeaderNodes } from "./respond";
import { sessionCacheKeyPrefix } from "./authorize";
import { TOOL_DEFINITION_VERDICT_TTL } from "./toolList";

/** Streamed (SSE) responses must not be buffered; the API's backend section replaces (not extends) the global one. */
export function forwardRequest(s: McpPolicySettings): PolicyFragment {
  return {
    id: "forwardRequest",
    section: "backend",
    controls: [],
    nodes: [el("forward-request", { timeout: s.backend.timeoutSeconds, "buffer-response": false, "follow-redirects": false })],
  };
}

/**
 * Control 16: bind a new session to its creator, and the outbound section's ONE cache store (the policy reference
 * allows `cache-store-value` once per section). `initialize` binds the Mcp-Session-Id the backend issued, also when
 * the client sent an old id (the new session must be usable; the old binding just expires); a backend header on any
 * other response is ignored. The sliding TTL of an existing binding is renewed in inbound (`bindSession`). Other
 * outbound controls hand their entry over in `mcpCacheKey`/`mcpCacheValue` (screenToolList: a definition
 * verdict); they never coincide with `initialize`. Headers only for the session: its body is not read. An issued id
 * already bound to another caller is never re-bound (502).
 */
export function storeSessionBinding(s: McpPolicySettings): PolicyFragment {
  const responseSession = `context.Response.Headers.GetValueOrDefault("Mcp-Session-Id", "")`;
  const prefix = sessionCacheKeyPrefix(s);
  const ttl = namedValueRef(s.serverName, "sessionTtl");
  return {
    id: "storeSessionBinding",
    section: "outbound",
    controls: [16],
    nodes: [
      choose(
        when(
          // Visible ASCII without a comma: the inbound header check refuses commas (duplicates), so such an id could
          // never be used; it is not bound either.
          block(
            `string sid = ${responseSession}; return context.Response.StatusCode < 400 && ` +
              `${strVar(Vars.method)} == "initialize" && Regex.IsMatch(sid, @"^[\\x21-\\x2B\\x2D-\\x7E]{1,256}\\z");`,
          ),
          // Never re-bind: an id the backend hands out again (a reused, predictable or echoed id) that is bound to
          // another caller keeps its owner, and this caller gets no session (502) rather than someone else's.
          el("cache-lookup-value", { key: expr(`${csString(prefix)} + ${responseSession}`), "variable-name": Vars.issuedSessionOwner, "default-value": "", "caching-type": s.sessionCachingType }),
          refuseWhen(s, expr(`${strVar(Vars.issuedSessionOwner)} != "" && ${strVar(Vars.issuedSessionOwner)} != ${strVar(Vars.caller)}`), {
            status: 502,
            code: RpcErrors.internal,
            message: "Upstream MCP server issued a session id that is in use.",
            decision: "error:session-reuse",
          }),
          setVariable(Vars.cacheKey, expr(`${csString(prefix)} + ${responseSession}`)),
          setVariable(Vars.cacheValue, expr(strVar(Vars.caller))),
        ),
      ),
      choose(
        when(
          expr(`${strVar(Vars.cacheKey)} != ""`),
          el("cache-store-value", {
            key: expr(strVar(Vars.cacheKey)),
            value: expr(strVar(Vars.cacheValue)),
            duration: expr(`${strVar(Vars.cacheKey)}.StartsWith(${csString(prefix)}) ? int.Parse(${csString(ttl)}) : ${TOOL_DEFINITION_VERDICT_TTL}`),
            "caching-type": s.sessionCachingType,
          }),
        ),
      ),
    ],
  };
}

/**
 * The client must only ever see the gateway's challenges: a backend WWW-Authenticate names the backend's own
 * audience and would send clients after tokens for it. A backend 401 means the GATEWAY's credential was refused,
 * which the client cannot fix: it becomes a 502.
 */
export function maskBackendAuthErrors(s: McpPolicySettings): PolicyFragment {
  return {
    id: "maskBackendAuthErrors",
    section: "outbound",
    controls: [6],
    nodes: [
      deleteHeader("WWW-Authenticate"),
      refuseWhen(s, expr(`context.Response.StatusCode == 401`), {
        status: 502,
        code: RpcErrors.internal,
        message: "Upstream MCP server unavailable.",
        decision: "error:backend-auth",
      }),
    ],
  };
}

/**
 * C# returning true when a backend 4xx body is not a JSON-RPC error (an HTML debug page, a framework's problem JSON, a
 * stack trace): only `{"jsonrpc":"2.0","id":...,"error":{"code":<int>,"message":<string>[,"data":...]}}` passes.
 * A 4xx is small and ends the exchange, so reading it costs no streaming.
 */
const NOT_JSON_RPC_ERROR_CODE = [
  `try { JObject m = JToken.Parse(context.Response.Body.As<string>(preserveContent: true) ?? "") as JObject; if (m == null) { return true; }`,
  `  foreach (JProperty p in m.Properties()) { if (p.Name != "jsonrpc" && p.Name != "id" && p.Name != "error") { return true; } }`,
  `  JObject e = m["error"] as JObject; if (m["jsonrpc"] == null || m["jsonrpc"].Type != JTokenType.String || (string)m["jsonrpc"] != "2.0" || e == null) { return true; }`,
  `  foreach (JProperty p in e.Properties()) { if (p.Name != "code" && p.Name != "message" && p.Name != "data") { return true; } }`,
  `  return e["code"] == null || e["code"].Type != JTokenType.Integer || e["message"] == null || e["message"].Type != JTokenType.String;`,
  `} catch (Exception) { return true; }`,
].join(" ");

/**
 * Backend error bodies (stack traces, connection strings, internal host names, HTML debug pages) never reach the
 * client. A non-SSE 5xx keeps its status and headers (Retry-After) but its body becomes a generic JSON-RPC error
 * answering the request's id, written without reading the backend body. A non-SSE 4xx keeps a JSON-RPC error body
 * (the server's own answer: invalid params, session not found) and gets the same generic error otherwise. SSE answers
 * are left alone (their status is sent before any event, so an error stream is the backend's own framing).
 */
export function maskBackendServerErrors(): PolicyFragment {
  const body = [
    `var env = context.Variables.GetValueOrDefault<JObject>(${csString(Vars.rpc)}); JObject msg = env == null ? null : env["message"] as JObject;`,
    `JToken id = msg == null ? null : msg["id"];`,
    `return new JObject(new JProperty("jsonrpc", "2.0"), new JProperty("id", id == null ? (object)null : id.DeepClone()), new JProperty("error", new JObject(` +
      `new JProperty("code", ${RpcErrors.internal}), new JProperty("message", "Upstream MCP server error.")))).ToString(Newtonsoft.Json.Formatting.None);`,
  ].join(" ");
  const notSse = `!context.Response.Headers.GetValueOrDefault("Content-Type", "").ToLowerInvariant().StartsWith("text/event-stream")`;
  const mask = [setVariable(Vars.decision, "masked:backend-error"), setHeader("Content-Type", "application/json"), el("set-body", {}, block(body))];
  return {
    id: "maskBackendServerErrors",
    section: "outbound",
    controls: [6, 23],
    nodes: [
      choose(
        when(expr(`context.Response.StatusCode >= 500 && ${notSse}`), ...mask),
        when(block(`if (context.Response.StatusCode < 400 || context.Response.StatusCode >= 500 || !(${notSse})) { return false; } ${NOT_JSON_RPC_ERROR_CODE}`), ...mask),
      ),
    ],
  };
}

export function responseHeaders(): PolicyFragment {
  return { id: "responseHeaders", section: "outbound", controls: [], nodes: securityHeaderNodes() };
}

/** Control 23: one audit record per forwarded call. */
export function auditOutbound(s: McpPolicySettings): PolicyFragment {
  return { id: "auditOutbound", section: "outbound", controls: [23], nodes: auditNodes(s.metricNamespace, "context.Response.StatusCode") };
}

/**
 * Errors raised by policies end here. Token validation -> 401 with `error="invalid_token"`; rate limit -> 429
 * with Retry-After; quota -> 429; backend unreachable -> 502; anything else -> 500. Bodies never echo
 * `context.LastError` (it can name policies, claims or hosts).
 */
export function onErrorResponses(s: McpPolicySettings): PolicyFragment {
  const retryAfter = expr(`context.Variables.GetValueOrDefault<int>(${csString(Vars.retryAfter)}, 60).ToString()`);
  return {
    id: "onErrorResponses",
    section: "on-error",
    controls: [1, 3, 19, 23],
    nodes: [
      choose(
        when(
          expr(`context.LastError.Source == "validate-jwt"`),
          ...refuse(s, {
            status: 401,
            code: RpcErrors.unauthorized,
            message: "Invalid or expired access token.",
            decision: "deny:invalid-token",
            headers: [{ name: "WWW-Authenticate", value: bearerChallenge(s, "invalid_token") }],
          }),
        ),
        when(
          expr(`context.LastError.Reason == "RateLimitExceeded"`),
          ...refuse(s, {
            status: 429,
            code: RpcErrors.rateLimited,
            message: "Rate limit exceeded.",
            decision: "deny:rate-limit",
            headers: [{ name: "Retry-After", value: retryAfter }],
          }),
        ),
        when(
          expr(`context.LastError.Reason == "QuotaExceeded"`),
          ...refuse(s, { status: 429, code: RpcErrors.rateLimited, message: "Quota exceeded.", decision: "deny:quota" }),
        ),
        when(
          expr(`context.LastError.Source == "forward-request"`),
          ...refuse(s, { status: 502, code: RpcErrors.internal, message: "Upstream MCP server unavailable.", decision: "error:backend" }),
        ),
        el(
          "otherwise",
          {},
          ...refuse(s, { status: 500, code: RpcErrors.internal, message: "Internal error.", decision: "error:gateway" }),
        ),
      ),
    ],
  };
}
