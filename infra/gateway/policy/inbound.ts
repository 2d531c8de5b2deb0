/** The request-side controls, one fragment builder each, in pipeline order (see documents.ts). */
import { el, type PolicyElement } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, inList, reqHeader, strVar, Vars } from "./expressions";
import { namedValueRef } from "./namedValues";
import { choose, deleteHeader, setHeader, setVariable, when } from "./elements";
import { bearerChallenge, CLIENT_IDENTITY_HEADERS, fullScopes, refuse, refuseWhen, RpcErrors } from "./respond";

const ALLOWED_HTTP_METHODS = ["POST", "GET", "DELETE"] as const;
/**
 * Query parameter names (lower case) that carry credentials. MCP: tokens MUST NOT be in the URI; the request is
 * refused (`denyQueryStringTokens`) and the same names are masked in the API's diagnostics (`McpServerApi`), which
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
const HEADER_ERA = "2026-07-28";

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

/** Control 5: tokens in the query string are refused before anything else looks at the request. */
export function denyQueryStringTokens(s: McpPolicySettings): PolicyFragment {
  const names = `new string[] { ${CREDENTIAL_QUERY_PARAMS.map(csString).join(", ")} }`;
  return {
    id: "denyQueryStringTokens",
    section: "inbound",
    controls: [5],
    nodes: [
      refuseWhen(s, expr(`context.Request.Url.Query.Keys.Any(k => ${names}.Contains(k.ToLowerInvariant()))`), {
        status: 400,
        code: RpcErrors.invalidRequest,
        message: "Credentials must not be sent in the URL; use the Authorization header.",
        decision: "deny:query-token",
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

/** Control 15: only POST/GET/DELETE (405 + Allow); POST must be JSON and accept both JSON and SSE. */
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

/** The `openid-config` URL of the pinned tenant (v2.0 metadata; its JWKS signs v1 and v2 tokens alike). */
export function openIdConfigUrl(s: McpPolicySettings): string {
  return `https://login.microsoftonline.com/${s.tenantId}/v2.0/.well-known/openid-configuration`;
}

/** Issuers for the accepted token versions; never a multi-tenant issuer. */
export function pinnedIssuers(s: McpPolicySettings): string[] {
  return s.acceptedTokenVersions.map((v) => (v === 2 ? `https://login.microsoftonline.com/${s.tenantId}/v2.0` : `https://sts.windows.net/${s.tenantId}/`));
}

/**
 * Controls 1, 3, 4: no token -> 401 with the PRM/scope challenge; then validate-jwt (validate-azure-ad-token has no
 * clock-skew or issuer-version pinning): signature from the tenant's OIDC metadata, issuer and `tid` pinned,
 * audience = App ID URI or client ID, exp required, small skew. Failures land in on-error (`onErrorResponses`),
 * which answers 401 with `error="invalid_token"`. Caller identity is taken from the VALIDATED token only.
 */
export function validateToken(s: McpPolicySettings): PolicyFragment {
  const jwt = `context.Variables.GetValueOrDefault<Jwt>(${csString(Vars.token)})`;
  const nodes: PolicyElement[] = [
    refuseWhen(s, expr(`!context.Request.Headers.ContainsKey("Authorization")`), {
      status: 401,
      code: RpcErrors.unauthorized,
      message: "Authentication required.",
      decision: "deny:no-token",
      headers: [{ name: "WWW-Authenticate", value: bearerChallenge(s) }],
    }),
    el(
      "validate-jwt",
      {
        "header-name": "Authorization",
        "failed-validation-httpcode": 401,
        "failed-validation-error-message": "Unauthorized",
        "require-expiration-time": true,
        "require-scheme": "Bearer",
        "require-signed-tokens": true,
        "clock-skew": s.clockSkewSeconds,
        "output-token-variable-name": Vars.token,
      },
      el("openid-config", { url: openIdConfigUrl(s) }),
      el("audiences", {}, ...s.audiences.map((a) => el("audience", {}, a))),
      el("issuers", {}, ...pinnedIssuers(s).map((i) => el("issuer", {}, i))),
      el("required-claims", {}, el("claim", { name: "tid", match: "all" }, el("value", {}, s.tenantId))),
    ),
    setVariable(
      Vars.caller,
      block(
        `var jwt = ${jwt}; string oid = jwt.Claims.GetValueOrDefault("oid", ""); ` +
          `if (oid == "") { oid = jwt.Subject ?? ""; } return jwt.Claims.GetValueOrDefault("tid", "") + ":" + oid;`,
      ),
    ),
    setVariable(
      Vars.clientApp,
      block(`var jwt = ${jwt}; string app = jwt.Claims.GetValueOrDefault("azp", ""); return app != "" ? app : jwt.Claims.GetValueOrDefault("appid", "");`),
    ),
    // A caller key without an object id would let different principals share sessions and rate-limit counters.
    // Every Entra ACCESS token names its client (azp in v2, appid in v1); an ID token does not, so requiring it
    // also stops an ID token minted for the server's own app registration from being used as an access token.
    refuseWhen(s, expr(`${strVar(Vars.caller)}.EndsWith(":") || ${strVar(Vars.clientApp)} == ""`), {
      status: 401,
      code: RpcErrors.unauthorized,
      message: "Authentication required.",
      decision: "deny:token-subject",
      headers: [{ name: "WWW-Authenticate", value: bearerChallenge(s, "invalid_token") }],
    }),
  ];
  if (s.allowedClientAppIds.length > 0) {
    const apps = `new string[] { ${s.allowedClientAppIds.map(csString).join(", ")} }`;
    nodes.push(
      refuseWhen(s, expr(`!${apps}.Contains(${strVar(Vars.clientApp)}.ToLowerInvariant())`), {
        status: 403,
        code: RpcErrors.forbidden,
        message: "Client application not permitted.",
        decision: "deny:client-app",
      }),
    );
  }
  return { id: "validateToken", section: "inbound", controls: [1, 3, 4], nodes };
}

/**
 * Control 19 (first half): per-caller rate limit and per-client-app limit, placed right after authentication so
 * an authenticated flood is throttled before the body is parsed or Content Safety is called. Counter keys are
 * prefixed with the server name: counters are shared across every scope that uses the same key. The client-app
 * limit is quota-by-key on classic tiers; v2 tiers have no quota-by-key, so there it is a rate-limit-by-key.
 */
export function limitCallerAndClientApp(s: McpPolicySettings): PolicyFragment {
  const appLimit = {
    calls: namedValueRef(s.serverName, "quotaCalls"),
    "renewal-period": namedValueRef(s.serverName, "quotaPeriod"),
    "counter-key": expr(`${csString(`mcp:${s.serverName}:app:`)} + ${strVar(Vars.clientApp)}`),
  };
  return {
    id: "limitCallerAndClientApp",
    section: "inbound",
    controls: [19],
    nodes: [
      el("rate-limit-by-key", {
        calls: namedValueRef(s.serverName, "callerCalls"),
        "renewal-period": namedValueRef(s.serverName, "callerPeriod"),
        "counter-key": expr(`${csString(`mcp:${s.serverName}:caller:`)} + ${strVar(Vars.caller)}`),
        "retry-after-variable-name": Vars.retryAfter,
      }),
      s.gatewayTierFamily === "classic"
        ? el("quota-by-key", appLimit)
        : el("rate-limit-by-key", { ...appLimit, "retry-after-variable-name": Vars.retryAfter }),
    ],
  };
}

/**
 * Control 14: read the body ONCE (preserveContent) into a gateway-built envelope
 * `{ problem, method, tool, message }`; the client's JSON is nested under `message`, so a client cannot forge the
 * gateway's fields. Only POST carries JSON-RPC; GET (SSE stream) and DELETE have no body.
 */
export function parseJsonRpc(s: McpPolicySettings): PolicyFragment {
  const methods = csString(namedValueRef(s.serverName, "methods"));
  const code = [
    `var env = new JObject(); env["problem"] = ""; env["method"] = ""; env["tool"] = "";`,
    `if (context.Request.Method != "POST") { return env; }`,
    `long max = long.Parse(${csString(namedValueRef(s.serverName, "maxBodyBytes"))});`,
    `long declared; if (long.TryParse(${reqHeader("Content-Length")}, out declared) && declared > max) { env["problem"] = "too-large"; return env; }`,
    `string raw = context.Request.Body.As<string>(preserveContent: true) ?? "";`,
    `if (System.Text.Encoding.UTF8.GetByteCount(raw) > max) { env["problem"] = "too-large"; return env; }`,
    // Strict RFC 8259 lexing first: JSON.NET also accepts comments, single quotes, unquoted names and raw control
    // characters in strings, which a differently lenient backend parser could read as a different message.
    // The lexer also keeps the property names of each open object: JToken.Parse silently keeps the LAST of two equal
    // names, a first-wins backend the first, so an exact duplicate would be authorized as one tool and run as another.
    `bool inString = false; bool isKey = false; bool expectKey = false; int start = 0; bool duplicate = false;`,
    `var open = new List<HashSet<string>>();`,
    `try { for (int i = 0; i < raw.Length; i++) { char c = raw[i];`,
    `  if (inString) { if (c == '\\\\') { i++; } else if (c == '"') { inString = false;`,
    `      if (isKey && open.Count > 0 && open[open.Count - 1] != null) { string key = raw.Substring(start, i - start); if (key.IndexOf('\\\\') >= 0) { key = (string)JToken.Parse("\\"" + key + "\\""); } if (!open[open.Count - 1].Add(key)) { duplicate = true; } } }`,
    `    else if (c < ' ') { env["problem"] = "parse"; return env; } continue; }`,
    `  if (c == '"') { inString = true; isKey = expectKey; expectKey = false; start = i + 1; }`,
    `  else if (c == '{') { open.Add(new HashSet<string>()); expectKey = true; }`,
    `  else if (c == '[') { open.Add(null); expectKey = false; }`,
    `  else if (c == '}' || c == ']') { if (open.Count > 0) { open.RemoveAt(open.Count - 1); } expectKey = false; }`,
    `  else if (c == ',') { expectKey = open.Count > 0 && open[open.Count - 1] != null; }`,
    `  else if (c == ':') { expectKey = false; }`,
    `  else if ("0123456789+-.eEtrufalsn \\t\\r\\n".IndexOf(c) < 0) { env["problem"] = "parse"; return env; } } }`,
    `catch (Exception) { env["problem"] = "parse"; return env; }`,
    `if (inString) { env["problem"] = "parse"; return env; }`,
    `JToken token; try { token = JToken.Parse(raw); } catch (Exception) { env["problem"] = "parse"; return env; }`,
    `if (duplicate) { env["problem"] = "invalid"; return env; }`,
    `if (token.Type == JTokenType.Array) { env["problem"] = "batch"; return env; }`,
    `JObject msg = token as JObject; if (msg == null) { env["problem"] = "invalid"; return env; }`,
    `env["message"] = msg;`,
    // Property names that differ only in case (or by Unicode folding) would be read differently by the gateway
    // and by case-insensitive decoders (e.g. Go's encoding/json): authorize one "name", execute another.
    `foreach (JObject o in msg.DescendantsAndSelf().OfType<JObject>()) { var names = o.Properties().Select(x => x.Name.ToUpperInvariant().ToLowerInvariant()).ToList(); if (names.Distinct().Count() != names.Count) { env["problem"] = "invalid"; return env; } }`,
    // Only the JSON-RPC members, spelled exactly: a "METHOD" next to "result" would pass as a client response here
    // and run as a tools/call in a decoder that matches names ignoring case.
    `foreach (JProperty top in msg.Properties()) { if (!new string[] { "jsonrpc", "id", "method", "params", "result", "error" }.Contains(top.Name)) { env["problem"] = "invalid"; return env; } }`,
    `JToken version = msg["jsonrpc"]; if (version == null || version.Type != JTokenType.String || (string)version != "2.0") { env["problem"] = "invalid"; return env; }`,
    `JToken m = msg["method"];`,
    // MCP: ids are strings or integers (null only on an error response); params, when present, are an object.
    `JToken id = msg["id"]; if (id != null && id.Type != JTokenType.String && id.Type != JTokenType.Integer && !(m == null && id.Type == JTokenType.Null)) { env["problem"] = "invalid"; return env; }`,
    `JToken prm = msg["params"]; if (prm != null && prm.Type != JTokenType.Object) { env["problem"] = "invalid"; return env; }`,
    // The members MCP reads from params must be spelled exactly (a look-alike is what a case-insensitive decoder reads).
    `if (prm != null) { foreach (JProperty q in ((JObject)prm).Properties()) { string folded = q.Name.ToUpperInvariant().ToLowerInvariant(); if ((folded == "name" || folded == "arguments" || folded == "_meta") && q.Name != folded) { env["problem"] = "invalid"; return env; } } }`,
    `if (m == null) {`,
    `  if (prm != null) { env["problem"] = "invalid"; return env; }`,
    `  bool isResponse = msg["id"] != null && ((msg["result"] != null) != (msg["error"] != null));`,
    s.allowClientResponses
      ? `  env["problem"] = isResponse ? "" : "invalid"; env["method"] = isResponse ? "(response)" : ""; return env;`
      : `  env["problem"] = "invalid"; return env;`,
    `}`,
    `if (m.Type != JTokenType.String || msg["result"] != null || msg["error"] != null) { env["problem"] = "invalid"; return env; }`,
    `string method = (string)m;`,
    `if (!${inList(methods, "method")}) { env["problem"] = "method"; env["method"] = "(other)"; return env; }`,
    `env["method"] = method;`,
    `if (method == "tools/call") {`,
    `  JObject p = msg["params"] as JObject; JToken name = p == null ? null : p["name"];`,
    `  if (name == null || name.Type != JTokenType.String) { env["problem"] = "invalid"; return env; }`,
    // Never truncate: authorization must see exactly the name the server executes. A name outside the MCP tool-name
    // rule cannot be approved (settings enforce the rule) and is logged as "(invalid)" instead of echoing it.
    `  string tool = (string)name; env["tool"] = Regex.IsMatch(tool, @"^[A-Za-z0-9_.-]{1,128}\\z") ? tool : "(invalid)";`,
    `}`,
    `return env;`,
  ].join(" ");
  const env = `context.Variables.GetValueOrDefault<JObject>(${csString(Vars.rpc)})`;
  return {
    id: "parseJsonRpc",
    section: "inbound",
    controls: [14],
    nodes: [
      setVariable(Vars.rpc, block(code)),
      setVariable(Vars.method, expr(`(string)${env}["method"]`)),
      setVariable(Vars.tool, expr(`(string)${env}["tool"]`)),
    ],
  };
}

function rpcProblemCode(problem: string): string {
  return `(string)context.Variables.GetValueOrDefault<JObject>(${csString(Vars.rpc)})["problem"] == ${csString(problem)}`;
}

function rpcProblem(problem: string): string {
  return expr(rpcProblemCode(problem));
}

/**
 * Controls 14, 13: refuse what parseJsonRpc found. Unknown method: 404 for 2026-07-28+ clients (the revision says
 * so), 400 for older ones (a 404 there means "session expired" and would make the client re-initialize forever).
 * A missing MCP-Protocol-Version is accepted only on `initialize` (it negotiates the version in the body) unless
 * `allowMissingProtocolVersion`: the spec reads a missing header as 2025-03-26, which APIM does not support.
 */
export function enforceJsonRpc(s: McpPolicySettings): PolicyFragment {
  const bad = (message: string, decision: string, code: number = RpcErrors.invalidRequest): PolicyElement[] =>
    refuse(s, { status: 400, code, message, decision });
  const whens: PolicyElement[] = [
    when(
      rpcProblem("too-large"),
      ...refuse(s, { status: 413, code: RpcErrors.tooLarge, message: "Request body too large.", decision: "deny:body-size" }),
    ),
    when(rpcProblem("parse"), ...bad("Parse error.", "deny:parse", RpcErrors.parse)),
    when(rpcProblem("batch"), ...bad("JSON-RPC batches are not supported.", "deny:batch")),
    when(rpcProblem("invalid"), ...bad("Invalid JSON-RPC 2.0 message.", "deny:invalid")),
    when(
      block(`return ${rpcProblemCode("method")} && string.CompareOrdinal(${reqHeader("MCP-Protocol-Version")}, ${csString(HEADER_ERA)}) >= 0;`),
      ...refuse(s, { status: 404, code: RpcErrors.methodNotFound, message: "Method not found.", decision: "deny:method" }),
    ),
    when(rpcProblem("method"), ...bad("Method not found.", "deny:method", RpcErrors.methodNotFound)),
  ];
  if (!s.allowMissingProtocolVersion) {
    whens.push(
      when(
        expr(`!context.Request.Headers.ContainsKey("MCP-Protocol-Version") && ${strVar(Vars.method)} != "initialize"`),
        ...bad("MCP-Protocol-Version header required.", "deny:protocol-version-missing"),
      ),
    );
  }
  return { id: "enforceJsonRpc", section: "inbound", controls: [13, 14], nodes: [choose(...whens)] };
}

/**
 * Control 9: Mcp-Method / Mcp-Name must agree with the body (so nothing routing or authorizing on headers can be
 * fooled), and are required from 2026-07-28 clients. `=?base64?...?=` values are decoded first. 400 / -32020.
 */
export function checkMcpHeaders(s: McpPolicySettings): PolicyFragment {
  const decode =
    `Func<string, string> decode = v => (v.StartsWith("=?base64?") && v.EndsWith("?=") && v.Length >= 11) ? ` +
    `System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(v.Substring(9, v.Length - 11))) : v;`;
  const code = [
    // GET, DELETE and client responses carry no method: a header there has nothing to agree with, and anything
    // routing on it would be routing on the client's word alone.
    `bool headers = context.Request.Headers.ContainsKey("Mcp-Method") || context.Request.Headers.ContainsKey("Mcp-Name");`,
    `if (context.Request.Method != "POST") { return headers; }`,
    `var env = context.Variables.GetValueOrDefault<JObject>(${csString(Vars.rpc)});`,
    `JObject msg = env["message"] as JObject; if (msg == null || msg["method"] == null) { return headers; }`,
    `string method = (string)msg["method"];`,
    `bool required = string.CompareOrdinal(${reqHeader("MCP-Protocol-Version")}, ${csString(HEADER_ERA)}) >= 0;`,
    decode,
    `try {`,
    `  if (context.Request.Headers.ContainsKey("Mcp-Method")) { if (decode(${reqHeader("Mcp-Method")}) != method) { return true; } }`,
    `  else if (required) { return true; }`,
    `  JObject p = msg["params"] as JObject;`,
    `  string nameField = method == "resources/read" ? "uri" : "name";`,
    `  bool named = method == "tools/call" || method == "prompts/get" || method == "resources/read";`,
    `  JToken bodyName = (named && p != null) ? p[nameField] : null;`,
    `  if (context.Request.Headers.ContainsKey("Mcp-Name")) { return bodyName == null || bodyName.Type != JTokenType.String || decode(${reqHeader("Mcp-Name")}) != (string)bodyName; }`,
    `  return named && required;`,
    `} catch (Exception) { return true; }`,
  ].join(" ");
  return {
    id: "checkMcpHeaders",
    section: "inbound",
    controls: [9],
    nodes: [
      refuseWhen(s, block(code), {
        status: 400,
        code: RpcErrors.headerMismatch,
        message: "Mcp-Method/Mcp-Name headers do not match the request body.",
        decision: "deny:header-mismatch",
      }),
    ],
  };
}

/** C# statements that look the current tool up in the tools named value; defines `needScopes`, `needRoles`, `known`. */
function toolEntryCode(s: McpPolicySettings): string {
  return [
    `string tool = ${strVar(Vars.tool)}; string map = ${csString(namedValueRef(s.serverName, "tools"))};`,
    `string[] needScopes = new string[0]; string[] needRoles = new string[0]; bool known = false;`,
    `if (tool != "" && tool.IndexOf(';') < 0 && tool.IndexOf('=') < 0 && tool.IndexOf('|') < 0) {`,
    `  int at = map.IndexOf(";" + tool + "=");`,
    `  if (at >= 0) { int start = at + tool.Length + 2; string[] parts = map.Substring(start, map.IndexOf(';', start) - start).Split('|');`,
    `    needScopes = parts[0].Split(new char[] { ',' }, StringSplitOptions.RemoveEmptyEntries);`,
    `    needRoles = parts[1].Split(new char[] { ',' }, StringSplitOptions.RemoveEmptyEntries); known = true; }`,
    `}`,
  ].join(" ");
}

/** C# statements defining `callerScopes` / `callerRoles` from the validated token. */
const CALLER_PERMISSIONS_CODE = [
  `var jwt = context.Variables.GetValueOrDefault<Jwt>(${csString(Vars.token)});`,
  `string[] callerScopes = jwt.Claims.GetValueOrDefault("scp", "").Split(new char[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);`,
  `string[] callerRoles = jwt.Claims.ContainsKey("roles") ? jwt.Claims["roles"] : new string[0];`,
].join(" ");

/**
 * Controls 7, 8, 33: every request needs a baseline permission (a baseline scope, or an app role some approved tool
 * accepts: app-only tokens carry no scopes, and Entra issues tokens without roles to any app in the tenant unless
 * assignment is required). `tools/call` needs an approved tool and one of ITS scopes/roles; otherwise 403 with an
 * `insufficient_scope` challenge naming only what that tool needs (step-up, not the full catalogue).
 */
export function authorizeTool(s: McpPolicySettings): PolicyFragment {
  const baselineScopes = s.scopes;
  const baselineRoles = [...new Set(s.tools.flatMap((t) => t.roles))].sort();
  const arr = (xs: readonly string[]): string => `new string[] { ${xs.map(csString).join(", ")} }`;
  const resourcePrefix = csString(`${s.applicationIdUri}/`);
  const challenge = block(
    [
      toolEntryCode(s),
      `string scopes = string.Join(" ", needScopes.Select(x => ${resourcePrefix} + x));`,
      `return "Bearer error=\\"insufficient_scope\\", " + (scopes != "" ? "scope=\\"" + scopes + "\\", " : "") + ${csString(`resource_metadata="${s.prmUrl}"`)};`,
    ].join(" "),
  );
  return {
    id: "authorizeTool",
    section: "inbound",
    controls: [7, 8, 33],
    nodes: [
      refuseWhen(s, block(`${CALLER_PERMISSIONS_CODE} return !(callerScopes.Intersect(${arr(baselineScopes)}).Any() || callerRoles.Intersect(${arr(baselineRoles)}).Any());`),
        {
          status: 403,
          code: RpcErrors.forbidden,
          message: "Insufficient scope.",
          decision: "deny:baseline-scope",
          headers: [
              {
                name: "WWW-Authenticate",
                value: `Bearer error="insufficient_scope", scope="${fullScopes(s, s.scopes).join(" ")}", resource_metadata="${s.prmUrl}"`,
              },
            ],
        },
      ),
      setVariable(
        Vars.toolDecision,
        block(
          [
            `if (${strVar(Vars.method)} != "tools/call") { return "n/a"; }`,
            toolEntryCode(s),
            `if (!known) { return "unknown"; }`,
            CALLER_PERMISSIONS_CODE,
            `return (callerScopes.Intersect(needScopes).Any() || callerRoles.Intersect(needRoles).Any()) ? "allow" : "insufficient";`,
          ].join(" "),
        ),
      ),
      choose(
        when(
          expr(`${strVar(Vars.toolDecision)} == "unknown"`),
          // The requested name is attacker-chosen: keep it out of logs and metric dimensions.
          setVariable(Vars.tool, "(unapproved)"),
          ...refuse(s, { status: 403, code: RpcErrors.forbidden, message: "Tool not permitted.", decision: "deny:tool-unknown" }),
        ),
        when(
          expr(`${strVar(Vars.toolDecision)} == "insufficient"`),
          ...refuse(s, {
            status: 403,
            code: RpcErrors.forbidden,
            message: "Insufficient scope for this tool.",
            decision: "deny:tool-scope",
            headers: [{ name: "WWW-Authenticate", value: challenge }],
          }),
        ),
      ),
    ],
  };
}

/** Cache key of a session binding. */
export function sessionCacheKeyPrefix(s: McpPolicySettings): string {
  return `mcp-session:${s.serverName}:`;
}

/**
 * Controls 16, 18: a request carrying Mcp-Session-Id must come from the principal (tid:oid of the VALIDATED token)
 * that created the session; unknown, expired, malformed or someone else's -> 404 (the spec's "start a new
 * session" signal, which reveals nothing about other callers' sessions). DELETE evicts the binding after the check.
 */
export function bindSession(s: McpPolicySettings): PolicyFragment {
  const key = expr(`${csString(sessionCacheKeyPrefix(s))} + ${strVar(Vars.sessionId)}`);
  const notFound = refuse(s, { status: 404, code: RpcErrors.sessionNotFound, message: "Session not found.", decision: "deny:session" });
  return {
    id: "bindSession",
    section: "inbound",
    controls: [16, 18],
    nodes: [
      // Vars.sessionId was set from the Mcp-Session-Id header by declareServer.
      choose(
        when(
          expr(`${strVar(Vars.sessionId)} != ""`),
          refuseWhen(s, expr(`!Regex.IsMatch(${strVar(Vars.sessionId)}, @"^[\\x21-\\x7E]{1,256}\\z")`), {
            status: 404,
            code: RpcErrors.sessionNotFound,
            message: "Session not found.",
            decision: "deny:session-malformed",
          }),
          el("cache-lookup-value", { key, "variable-name": Vars.sessionOwner, "default-value": "", "caching-type": s.sessionCachingType }),
          choose(when(expr(`${strVar(Vars.sessionOwner)} == "" || ${strVar(Vars.sessionOwner)} != ${strVar(Vars.caller)}`), ...notFound)),
          choose(when(expr(`context.Request.Method == "DELETE"`), el("cache-remove-value", { key, "caching-type": s.sessionCachingType }))),
        ),
      ),
    ],
  };
}

/** Control 19 (second half): per caller + tool limit on tools/call. */
export function limitCallerTool(s: McpPolicySettings): PolicyFragment {
  return {
    id: "limitCallerTool",
    section: "inbound",
    controls: [19],
    nodes: [
      choose(
        when(
          expr(`${strVar(Vars.method)} == "tools/call"`),
          el("rate-limit-by-key", {
            calls: namedValueRef(s.serverName, "toolCalls"),
            "renewal-period": namedValueRef(s.serverName, "toolPeriod"),
            "counter-key": expr(`${csString(`mcp:${s.serverName}:tool:`)} + ${strVar(Vars.caller)} + ":" + ${strVar(Vars.tool)}`),
            "retry-after-variable-name": Vars.retryAfter,
          }),
        ),
      ),
    ],
  };
}

/**
 * C# returning true when a request header merely LOOKS like an identity header: `set-header` deletes exact names
 * only (case-insensitively), while WSGI/CGI, nginx and others map `-`, `_` (and sloppy whitespace) to one variable,
 * so `X_MCP_Caller_Oid` or `X-MCP-Caller-Oid ` would reach such a backend as the caller's identity. Refused (a
 * header name cannot be an expression, so look-alikes cannot be deleted): a name in the gateway's own `X-MCP-`
 * namespace, or in App Service/Container Apps authentication's `X-MS-CLIENT-PRINCIPAL*`/`X-MS-TOKEN-*`, or equal to
 * a deleted header once `-`, `_` and whitespace are dropped, unless it is exactly a header the gateway deletes.
 * Other `X-MS-*` headers (Azure SDK request ids) pass.
 */
function lookAlikeIdentityHeaderCode(): string {
  const managed = ["Authorization", ...CLIENT_IDENTITY_HEADERS].map((h) => h.toLowerCase());
  const squash = (h: string): string => h.replace(/[-_\s]/g, "");
  const arr = (xs: readonly string[]): string => `new string[] { ${xs.map(csString).join(", ")} }`;
  return [
    `string[] managed = ${arr(managed)}; string[] squashed = ${arr(managed.map(squash))};`,
    `foreach (string name in context.Request.Headers.Keys) {`,
    `  string lower = name.ToLowerInvariant(); if (managed.Contains(lower)) { continue; }`,
    `  string flat = Regex.Replace(lower, @"[-_\\s]", "");`,
    `  if (Regex.IsMatch(lower, @"^x[-_\\s]*mcp[-_\\s]") || flat.StartsWith("xmsclientprincipal") || flat.StartsWith("xmstoken") || squashed.Contains(flat)) { return true; }`,
    `}`,
    `return false;`,
  ].join(" ");
}

/**
 * Control 6: no token passthrough. The client's Authorization and any client-sent identity headers are deleted,
 * the caller identity is re-sent from the validated token, and the gateway authenticates to the backend with
 * its own managed identity for the backend's audience.
 */
export function forwardIdentity(s: McpPolicySettings): PolicyFragment {
  const claim = (name: string): string => expr(`context.Variables.GetValueOrDefault<Jwt>(${csString(Vars.token)}).Claims.GetValueOrDefault(${csString(name)}, "")`);
  return {
    id: "forwardIdentity",
    section: "inbound",
    controls: [6],
    nodes: [
      refuseWhen(s, block(lookAlikeIdentityHeaderCode()), {
        status: 400,
        code: RpcErrors.invalidRequest,
        message: "Request header not allowed.",
        decision: "deny:identity-header",
      }),
      deleteHeader("Authorization"),
      ...CLIENT_IDENTITY_HEADERS.map(deleteHeader),
      setHeader("X-MCP-Caller-Tenant", claim("tid")),
      setHeader("X-MCP-Caller-Oid", expr(`${strVar(Vars.caller)}.Substring(${strVar(Vars.caller)}.IndexOf(':') + 1)`)),
      setHeader("X-MCP-Caller-Roles", claim("roles")),
      setHeader("X-MCP-Caller-Scopes", claim("scp")),
      setHeader("X-MCP-Client-App", expr(strVar(Vars.clientApp))),
      el("authentication-managed-identity", { resource: s.backend.audience, "client-id": s.backend.gatewayIdentityClientId }),
      el("set-backend-service", { "backend-id": s.backend.backendId }),
    ],
  };
}
