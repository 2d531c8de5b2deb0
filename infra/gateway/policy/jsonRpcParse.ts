/**
 * Control 14: the request body, read ONCE (preserveContent) and lexed strictly, becomes a gateway-built envelope
 * `{ problem, method, tool, message }`; the client's JSON is nested under `message`, so a client cannot forge the
 * gateway's fields. Only POST carries JSON-RPC; GET (SSE stream) and DELETE have no body.
 *
 * Every rule here is an allow-list decided with ordinal character comparisons, so the emulator's mono and APIM's
 * .NET agree by construction: property names are printable ASCII (U+0020-U+007E; a NUL, U+017F `ſ` or the Kelvin
 * sign cannot appear, so Unicode case folding, which differs between runtimes and between decoders such as Go's
 * encoding/json, has nothing to fold), no two names in one object are equal ignoring ASCII case, the envelope has
 * only the JSON-RPC members of its shape, and `params` only the members the MCP schema defines for the method
 * (methods.ts).
 */
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, inList, reqHeader, Vars } from "./expressions";
import { namedValueRef } from "./namedValues";
import { setVariable } from "./elements";
import { encodeParamsAllowList, ENVELOPE_MEMBERS, MCP_CLIENT_METHODS } from "./methods";

const csArray = (xs: readonly string[]): string => `new string[] { ${xs.map(csString).join(", ")} }`;
const problem = (p: string): string => `{ env["problem"] = ${csString(p)}; return env; }`;
const INVALID = problem("invalid");
const PARSE = problem("parse");

/** C# decoding one JSON string body (the text between quotes) without JSON.NET's date parsing: a property name never becomes a date. */
const decodeJsonString = (text: string): string =>
  `(${text}.IndexOf('\\\\') < 0 ? ${text} : ((JObject)JToken.Parse("{\\"" + ${text} + "\\":0}")).Properties().First().Name)`;

/**
 * Strict RFC 8259 lexing: JSON.NET also accepts comments, single quotes, unquoted names and raw control characters,
 * which a differently lenient backend parser could read as a different message. The lexer keeps the names of each
 * open object (escapes decoded; JToken.Parse keeps the LAST of two equal names, a first-wins backend the first) and
 * the raw text of every string value, in document order, for the date repair below.
 */
const LEX = [
  `bool inString = false; bool isKey = false; bool expectKey = false; int start = 0; bool duplicate = false;`,
  `var open = new List<HashSet<string>>(); var values = new List<string>();`,
  `try { for (int i = 0; i < raw.Length; i++) { char c = raw[i];`,
  `  if (inString) { if (c == '\\\\') { i++; } else if (c == '"') { inString = false; string text = raw.Substring(start, i - start);`,
  `      if (!isKey) { values.Add(text); } else if (open.Count > 0 && open[open.Count - 1] != null && !open[open.Count - 1].Add(${decodeJsonString("text")})) { duplicate = true; } }`,
  `    else if (c < ' ') ${PARSE} continue; }`,
  `  if (c == '"') { inString = true; isKey = expectKey; expectKey = false; start = i + 1; }`,
  `  else if (c == '{') { open.Add(new HashSet<string>()); expectKey = true; }`,
  `  else if (c == '[') { open.Add(null); expectKey = false; }`,
  `  else if (c == '}' || c == ']') { if (open.Count > 0) { open.RemoveAt(open.Count - 1); } expectKey = false; }`,
  `  else if (c == ',') { expectKey = open.Count > 0 && open[open.Count - 1] != null; }`,
  `  else if (c == ':') { expectKey = false; }`,
  `  else if ("0123456789+-.eEtrufalsn \\t\\r\\n".IndexOf(c) < 0) ${PARSE} } }`,
  `catch (Exception) ${PARSE}`,
  `if (inString) ${PARSE}`,
].join(" ");

/**
 * JSON.NET turns ISO-date-looking strings into Date tokens (DateParseHandling.DateTime, in JSON.NET 6 and 13 alike;
 * the setting to turn it off needs types outside the allowed list). A date-like id or tool name is a string to
 * the backend, so each Date token is put back as the string the client sent.
 */
const REPAIR_DATES = [
  `var strings = msg.Descendants().OfType<JValue>().Where(v => v.Type == JTokenType.String || v.Type == JTokenType.Date).ToList();`,
  `if (strings.Count != values.Count) ${INVALID}`,
  `for (int k = 0; k < strings.Count; k++) { if (strings[k].Type == JTokenType.Date) { string text = values[k]; strings[k].Replace(new JValue(${decodeJsonString("text")})); } }`,
].join(" ");

/** Property names anywhere: printable ASCII only, and no two in one object equal ignoring (ASCII) case. */
const NAMES = [
  `foreach (JObject o in msg.DescendantsAndSelf().OfType<JObject>()) { var seen = new HashSet<string>();`,
  `  foreach (JProperty x in o.Properties()) { foreach (char ch in x.Name) { if (ch < ' ' || ch > '~') ${INVALID} }`,
  `    if (!seen.Add(x.Name.ToLowerInvariant())) ${INVALID} } }`,
].join(" ");

/** The envelope: only the members of its shape (request, notification, response), each of the right type. */
const ENVELOPE = [
  `JToken m = msg["method"]; JToken id = msg["id"]; JToken prm = msg["params"];`,
  `string[] members = m != null ? (id != null ? ${csArray(ENVELOPE_MEMBERS.request)} : ${csArray(ENVELOPE_MEMBERS.notification)}) : ${csArray(ENVELOPE_MEMBERS.response)};`,
  `foreach (JProperty top in msg.Properties()) { if (!members.Contains(top.Name)) ${INVALID} }`,
  `JToken version = msg["jsonrpc"]; if (version == null || version.Type != JTokenType.String || (string)version != "2.0") ${INVALID}`,
  // MCP: ids are strings or integers (null only on an error response); params, when present, are an object.
  `if (id != null && id.Type != JTokenType.String && id.Type != JTokenType.Integer && !(m == null && id.Type == JTokenType.Null)) ${INVALID}`,
  `if (prm != null && prm.Type != JTokenType.Object) ${INVALID}`,
].join(" ");

/** A client response (answer to a server request): id, exactly one of result (an object) or error (code, message, data). */
function responseCode(s: McpPolicySettings): string {
  if (!s.allowClientResponses) return `if (m == null) ${INVALID}`;
  return [
    `if (m == null) {`,
    `  JToken result = msg["result"]; JObject error = msg["error"] as JObject;`,
    `  if (id == null || (result == null) == (msg["error"] == null)) ${INVALID}`,
    `  if (result != null && result.Type != JTokenType.Object) ${INVALID}`,
    `  if (msg["error"] != null) { if (error == null || error["code"] == null || error["code"].Type != JTokenType.Integer || error["message"] == null || error["message"].Type != JTokenType.String) ${INVALID}`,
    `    foreach (JProperty e in error.Properties()) { if (!${csArray(ENVELOPE_MEMBERS.error)}.Contains(e.Name)) ${INVALID} } }`,
    `  env["method"] = "(response)"; return env;`,
    `}`,
  ].join(" ");
}

/** params: only the members the schema defines for the method; `_meta` an object; tools/call `name` a string, `arguments` an object, no task augmentation. */
function paramsCode(): string {
  const allowList = csString(encodeParamsAllowList(Object.keys(MCP_CLIENT_METHODS)));
  return [
    `string spec = ${allowList}; int specAt = spec.IndexOf(";" + method + "=");`,
    `if (specAt < 0) { env["problem"] = "method"; env["method"] = "(other)"; return env; }`,
    `int specStart = specAt + method.Length + 2; string[] admitted = spec.Substring(specStart, spec.IndexOf(';', specStart) - specStart).Split(',');`,
    `JObject p = prm as JObject;`,
    `if (p != null) { foreach (JProperty q in p.Properties()) { if (!admitted.Contains(q.Name)) ${INVALID} }`,
    `  if (p["_meta"] != null && p["_meta"].Type != JTokenType.Object) ${INVALID}`,
    `  if (p["task"] != null) ${problem("task")} }`,
    `if (method == "tools/call") {`,
    `  JToken name = p == null ? null : p["name"]; JToken args = p == null ? null : p["arguments"];`,
    `  if (name == null || name.Type != JTokenType.String || (args != null && args.Type != JTokenType.Object)) ${INVALID}`,
    // Never truncate: authorization must see exactly the name the server executes. A name outside the MCP tool-name
    // rule cannot be approved (settings enforce the rule) and is logged as "(invalid)" instead of echoing it.
    `  string tool = (string)name; env["tool"] = Regex.IsMatch(tool, @"^[A-Za-z0-9_.-]{1,128}\\z") ? tool : "(invalid)";`,
    `}`,
  ].join(" ");
}

export function parseJsonRpc(s: McpPolicySettings): PolicyFragment {
  const methods = csString(namedValueRef(s.serverName, "methods"));
  const code = [
    `var env = new JObject(); env["problem"] = ""; env["method"] = ""; env["tool"] = "";`,
    `if (context.Request.Method != "POST") { return env; }`,
    `long max = long.Parse(${csString(namedValueRef(s.serverName, "maxBodyBytes"))});`,
    `long declared; if (long.TryParse(${reqHeader("Content-Length")}, out declared) && declared > max) ${problem("too-large")}`,
    `string raw = context.Request.Body.As<string>(preserveContent: true) ?? "";`,
    `if (System.Text.Encoding.UTF8.GetByteCount(raw) > max) ${problem("too-large")}`,
    LEX,
    `JToken token; try { token = JToken.Parse(raw); } catch (Exception) ${PARSE}`,
    `if (duplicate) ${INVALID}`,
    `if (token.Type == JTokenType.Array) ${problem("batch")}`,
    `JObject msg = token as JObject; if (msg == null) ${INVALID}`,
    REPAIR_DATES,
    `env["message"] = msg;`,
    NAMES,
    ENVELOPE,
    responseCode(s),
    `if (m.Type != JTokenType.String) ${INVALID}`,
    `string method = (string)m;`,
    `if (!${inList(methods, "method")}) { env["problem"] = "method"; env["method"] = "(other)"; return env; }`,
    `env["method"] = method;`,
    paramsCode(),
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
