/** Request-shape controls before authentication: query string, Origin, HTTP method and media types, protocol version. */
import { el } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, inList, reqHeader, Vars } from "./expressions";
import { namedValueRef } from "./namedValues";
import { choose, setVariable, when } from "./elements";
import { refuse, refuseWhen, RpcErrors } from "./respond";

const ALLOWED_HTTP_METHODS = ["POST", "GET", "DELETE"] as const;
/**
 * Query parameter names (lower case) that carry credentials. MCP: tokens MUST NOT be in the URI; the request is
 * refused (`refuseQueryString` refuses any query) and the same names are masked in the API's diagnostics (`McpServerApi`), which
 * still log the refused request.
 */
export const CREDENTIAL_QUERY_PARAMS: readonly string[] = [
  "access_token",
  "token",
  "id_token",
  "refresh_token",
  "code",
  "client_secret",
  "client_assertion",
  "assertion",
  "password",
  "api_key",
  "apikey",
  "subscription-key",
];
/** The first protocol revision whose rules (Mcp-Method/Mcp-Name required, 404 for unknown methods) apply. */
/** Request headers an MCP browser client sends, and response headers it must read. */
const CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "Accept", "Mcp-Session-Id", "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name", "Last-Event-ID"];
const CORS_EXPOSED_HEADERS = ["Mcp-Session-Id", "WWW-Authenticate", "Retry-After"];

/**
 * Control 23: the server's name and the client's Mcp-Session-Id, first thing in inbound, for the audit record the
 * shared refusal fragment writes (so even an early refusal names the session, as a digest; `bindSession` checks it).
 */
export function declareServer(s: McpPolicySettings): PolicyFragment {
  return {
    id: "declareServer",
    section: "inbound",
    controls: [23],
    nodes: [setVariable(Vars.server, s.serverName), setVariable(Vars.sessionId, expr(reqHeader("Mcp-Session-Id")))],
  };
}

/**
 * Control 12 (browser clients): CORS preflights for the allowlisted origins only (`enableCors`). Unmatched
 * requests are not terminated here, so `enforceOrigin` answers them with its JSON-RPC 403.
 */
export function corsPreflight(s: McpPolicySettings): PolicyFragment {
  return {
    id: "corsPreflight",
    section: "inbound",
    controls: [12],
    nodes: [
      el(
        "cors",
        { "allow-credentials": false, "terminate-unmatched-request": false },
        el("allowed-origins", {}, ...s.allowedOrigins.map((o) => el("origin", {}, o))),
        el("allowed-methods", { "preflight-result-max-age": 600 }, ...ALLOWED_HTTP_METHODS.map((m) => el("method", {}, m))),
        el("allowed-headers", {}, ...CORS_REQUEST_HEADERS.map((h) => el("header", {}, h))),
        el("expose-headers", {}, ...CORS_EXPOSED_HEADERS.map((h) => el("header", {}, h))),
      ),
    ],
  };
}

/**
 * Control 5: the MCP endpoint takes no query string (Streamable HTTP uses none), so any query is refused before
 * anything else looks at the request: a credential in `?t=<jwt>` or any other name must never be forwarded or
 * logged, and an allow-list (nothing) cannot miss a name the way a list of credential names can. Both the parsed
 * parameters and the raw query are checked (`?x` without `=`). `CREDENTIAL_QUERY_PARAMS` still masks the known
 * names in the diagnostics, which log the refused request.
 */
export function refuseQueryString(s: McpPolicySettings): PolicyFragment {
  return {
    id: "refuseQueryString",
    section: "inbound",
    controls: [5],
    nodes: [
      refuseWhen(s, expr(`context.Request.Url.Query.Count > 0 || context.Request.Url.QueryString.Length > 0`), {
        status: 400,
        code: RpcErrors.invalidRequest,
        message: "The MCP endpoint takes no query string; send credentials only in the Authorization header.",
        decision: "deny:query-string",
      }),
    ],
  };
}

/** Control 12: an Origin header that is present and not allowlisted gets 403 (DNS-rebinding defence). */
export function enforceOrigin(s: McpPolicySettings): PolicyFragment {
  const origins = csString(namedValueRef(s.serverName, "origins"));
  return {
    id: "enforceOrigin",
    section: "inbound",
    controls: [12],
    nodes: [
      refuseWhen(s, block(`string origin = ${reqHeader("Origin")}; return origin != "" && !${inList(origins, "origin")};`),
        {
          status: 403,
          code: RpcErrors.forbidden,
          message: "Origin not allowed.",
          decision: "deny:origin",
        },
      ),
    ],
  };
}

/** Control 15: only POST/GET/DELETE (405 + Allow); POST must declare its length (411), be JSON and accept both JSON and SSE. */
export function enforceHttpMethod(s: McpPolicySettings): PolicyFragment {
  const methods = `new string[] { ${ALLOWED_HTTP_METHODS.map(csString).join(", ")} }`;
  const accept = `${reqHeader("Accept")}.ToLowerInvariant()`;
  return {
    id: "enforceHttpMethod",
    section: "inbound",
    controls: [15],
    nodes: [
      choose(
        when(
          expr(`!${methods}.Contains(context.Request.Method)`),
          ...refuse(s, {
            status: 405,
            code: RpcErrors.invalidRequest,
            message: "HTTP method not allowed.",
            decision: "deny:http-method",
            headers: [{ name: "Allow", value: ALLOWED_HTTP_METHODS.join(", ") }],
          }),
        ),
        when(
          // GET and DELETE carry no JSON-RPC message; a body there would reach the backend unchecked.
          block(
            `if (context.Request.Method == "POST") { return false; } long length; ` +
              `return context.Request.Headers.ContainsKey("Transfer-Encoding") || (long.TryParse(${reqHeader("Content-Length")}, out length) && length > 0);`,
          ),
          ...refuse(s, {
            status: 400,
            code: RpcErrors.invalidRequest,
            message: "Request body not allowed for this method.",
            decision: "deny:unexpected-body",
          }),
        ),
        when(
          // The body-size cap must hold before the body is read: a chunked body (no length) is read whole before its
          // size is known, and v2 tiers buffer at most 2 MiB. MCP clients send one JSON-RPC message with its length.
          block(
            `if (context.Request.Method != "POST") { return false; } long length; ` +
              `return context.Request.Headers.ContainsKey("Transfer-Encoding") || !long.TryParse(${reqHeader("Content-Length")}, out length) || length < 0;`,
          ),
          ...refuse(s, {
            status: 411,
            code: RpcErrors.invalidRequest,
            message: "Content-Length required.",
            decision: "deny:length-required",
          }),
        ),
        when(
          // The media type exactly (not a prefix: application/jsonl, application/json-seq) and UTF-8 only (RFC 8259
          // §8.1): a UTF-16 body is read by the gateway and the backend as two different texts.
          block(
            `if (context.Request.Method != "POST") { return false; } string[] parts = ${reqHeader("Content-Type")}.Split(';'); ` +
              `if (parts[0].Trim().ToLowerInvariant() != "application/json") { return true; } ` +
              `for (int i = 1; i < parts.Length; i++) { string[] kv = parts[i].Split('='); ` +
              `if (kv.Length != 2 || kv[0].Trim().ToLowerInvariant() != "charset" || kv[1].Trim().Trim('"').ToLowerInvariant() != "utf-8") { return true; } } ` +
              `return false;`,
          ),
          ...refuse(s, {
            status: 415,
            code: RpcErrors.invalidRequest,
            message: "Content-Type must be application/json.",
            decision: "deny:content-type",
          }),
        ),
        when(
          block(
            `if (context.Request.Method != "POST") { return false; } string accept = ${accept}; ` +
              `return !(accept.Contains("*/*") || (accept.Contains("application/json") && accept.Contains("text/event-stream")));`,
          ),
          ...refuse(s, {
            status: 406,
            code: RpcErrors.invalidRequest,
            message: "Accept must include application/json and text/event-stream.",
            decision: "deny:accept",
          }),
        ),
      ),
    ],
  };
}

/**
 * Control 13: a present MCP-Protocol-Version must be allowlisted (400). An ABSENT header is decided in
 * `enforceJsonRpc`, once the body says whether this is `initialize` (which legitimately has none).
 */
export function enforceProtocolVersion(s: McpPolicySettings): PolicyFragment {
  const versions = csString(namedValueRef(s.serverName, "protocolVersions"));
  return {
    id: "enforceProtocolVersion",
    section: "inbound",
    controls: [13],
    nodes: [
      refuseWhen(s, block(
          `if (!context.Request.Headers.ContainsKey("MCP-Protocol-Version")) { return false; } ` +
            `string version = ${reqHeader("MCP-Protocol-Version")}; return !${inList(versions, "version")};`,
        ),
        {
          status: 400,
          code: RpcErrors.invalidRequest,
          message: "Unsupported MCP-Protocol-Version.",
          decision: "deny:protocol-version",
        },
      ),
    ],
  };
}
