/**
 * Mutations of the request-header allow-list, body length, session re-binding, backend 4xx masking and the per-caller
 * client-app limit (issue 10 item 6).
 */
import { q, type Mutation } from "./mutation";

const HEADER_NAMES = ["header names with Unicode look-alike letters (Cyrillic і, dotless ı, long s) are not HTTP tokens: 400", "header names with whitespace or control characters: 400"];
const PROTOCOL_LOOKALIKES = [
  "Mcp-Session-Id look-alikes (Mcp_Session_Id, McpSessionId, mcp-session_id): 400, never read as the session",
  "MCP-Protocol-Version look-alikes (MCP_Protocol_Version, MCPProtocolVersion): 400",
  "Last-Event-ID look-alikes (Last_Event_ID, LastEventId, last-event_id): 400",
  "Mcp-Method / Mcp-Name look-alikes (Mcp_Method, Mcp_Name): 400, nothing routes on an unchecked copy",
  "method-override and forwarding look-alikes (X_HTTP_Method_Override, X-Original_URL, X_Forwarded_Host, For_warded): 400",
];
const CHUNKED = "POST with Transfer-Encoding: chunked (a body whose size is known only once read): 411, nothing forwarded";
const NO_LENGTH = "POST without Content-Length, or with one that is not a number: 411";
const REBIND = "initialize answered with a session id bound to another caller (a reused or predictable id) is never re-bound: 502, the owner keeps it";
const MASK_4XX = [
  "a backend 4xx HTML debug page is replaced by a generic JSON-RPC error; the status is kept",
  "a backend 4xx JSON that is not JSON-RPC (problem details with a stack trace) is replaced as well",
  "a backend 404 with an empty body (session gone) keeps 404 and answers a JSON-RPC error",
];
const APP_LIMIT = "client-app limit per caller within the app: three users of one client are not one bucket, and each user's own bucket holds";

export const transportMutations: Mutation[] = [
  {
    name: "accept any header name (Unicode look-alikes, whitespace)",
    edits: [{ find: q(`if (!Regex.IsMatch(name, @"^[!#$%&'*+.^_|~0-9A-Za-z\`-]+\\z")) { return true; }`), replace: "" }],
    killedBy: HEADER_NAMES,
  },
  {
    name: "let look-alikes of the protocol, override and forwarding headers through",
    edits: [{ find: q(` if (squashed.Contains(flat)) { return true; }`), replace: q(` if (squashed.Contains(flat)) { return false; }`) }],
    killedBy: PROTOCOL_LOOKALIKES,
  },
  {
    name: "accept a protocol header sent twice",
    edits: [{ find: q(`values == null || values.Length != 1 || `), replace: q(`values == null || `) }],
    killedBy: ["Mcp-Session-Id sent twice (the gateway would read a,b and a first-wins backend a): 400", "MCP-Protocol-Version sent twice, or as a comma-joined list: 400"],
  },
  {
    name: "accept comma-joined protocol headers",
    edits: [{ find: q(`|| values[0].IndexOf(',') >= 0`), replace: "" }],
    killedBy: ["a comma-joined Mcp-Session-Id or Last-Event-ID (own id, then another): 400"],
  },
  {
    name: "accept Last-Event-ID on any method",
    edits: [{ find: q(`return context.Request.Method != "GET" || !context.Request.Headers.ContainsKey("Mcp-Session-Id");`), replace: q(`return !context.Request.Headers.ContainsKey("Mcp-Session-Id");`) }],
    killedBy: ["Last-Event-ID on POST (streams resume on GET only): 400", "Last-Event-ID on DELETE: 400, the session stays"],
  },
  {
    name: "accept Last-Event-ID without a session",
    edits: [{ find: q(`return context.Request.Method != "GET" || !context.Request.Headers.ContainsKey("Mcp-Session-Id");`), replace: q(`return context.Request.Method != "GET";`) }],
    killedBy: ["Last-Event-ID on a GET without a session (nothing binds the replayed events to the caller): 400"],
  },
  {
    name: "accept chunked POST bodies",
    edits: [{ find: q(`return context.Request.Headers.ContainsKey("Transfer-Encoding") || !long.TryParse(`), replace: q(`return !long.TryParse(`) }],
    killedBy: [CHUNKED],
  },
  {
    name: "accept a POST without a usable Content-Length",
    edits: [{ find: /\|\| !long\.TryParse\(context\.Request\.Headers\.GetValueOrDefault\(&quot;Content-Length&quot;, &quot;&quot;\), out length\) \|\| length &lt; 0;/, replace: ";" }],
    killedBy: [NO_LENGTH],
  },
  {
    name: "re-bind an issued session id that another caller owns",
    edits: [{ find: q(`@(context.Variables.GetValueOrDefault<string>("mcpIssuedSessionOwner", "") != "" &&`), replace: q(`@(false &&`) }],
    killedBy: [REBIND],
  },
  {
    name: "relay backend 4xx bodies unmasked",
    edits: [{ find: q(`if (context.Response.StatusCode < 400 || context.Response.StatusCode >= 500 ||`), replace: q(`if (true ||`) }],
    killedBy: MASK_4XX,
  },
  {
    name: "accept a 4xx JSON-RPC error with extra envelope members (a stack trace beside the error)",
    edits: [{ find: q(`foreach (JProperty p in m.Properties()) { if (p.Name != "jsonrpc" && p.Name != "id" && p.Name != "error") { return true; } }`), replace: "" }],
    killedBy: [MASK_4XX[1]!],
  },
  {
    name: "one client-app bucket for every caller of the client again",
    edits: [{ find: q(`@("mcp:weather:app-caller:" + context.Variables.GetValueOrDefault<string>("mcpClientApp", "") + "/" + context.Variables.GetValueOrDefault<string>("mcpCaller", ""))`), replace: q(`@("mcp:weather:app:" + context.Variables.GetValueOrDefault<string>("mcpClientApp", ""))`) }],
    killedBy: [APP_LIMIT],
  },
  {
    name: "drop the client-app limit",
    edits: [{ find: /<rate-limit-by-key calls="\{\{mcp-weather-quota-calls\}\}"[^>]*\/>/, replace: "" }],
    killedBy: [APP_LIMIT],
  },
];
