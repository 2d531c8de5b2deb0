/**
 * Mutations of request and answer hygiene: tool-name and body checks, the backend's challenge, subject and Accept
 * checks, on-error, query strings, override and forwarding headers, backend cookies, CORS grants and redirects, and
 * the shared refusal fragment (challenge, optional headers, security headers, audit).
 */
import { q, type Mutation } from "./mutation";

const QUERY_STRING = "any query string on the MCP endpoint: 400 before token validation, nothing forwarded (?t=<jwt>, ?x, a harmless name)";
const OVERRIDE_HEADERS = "method-override, URL-rewrite and forwarding headers never reach the backend; the call itself goes through";
const BACKEND_HEADERS = "backend Set-Cookie and CORS grants are removed from the answer; the answer itself is relayed";
const REDIRECTS = "a backend redirect (301, 302, 307, 308) is not relayed: 502 with a JSON-RPC error, no Location";

export const hygieneMutations: Mutation[] = [
  {
    name: "authorize a truncated tool name",
    edits: [{ find: q(`Regex.IsMatch(tool, @"^[A-Za-z0-9_.-]{1,128}\\z") ? tool : "(invalid)"`), replace: q(`tool.Length > 128 ? tool.Substring(0, 128) : tool`) }],
    killedBy: ["tools/call of an unapproved tool whose name extends an approved 128-character name: 403"],
  },
  {
    name: "accept bodies on GET and DELETE",
    edits: [{ find: q(`{ if (context.Request.Method == "POST") { return false; } long length;`), replace: q(`{ if (true) { return false; } long length;`) }],
    killedBy: ["DELETE carrying a JSON-RPC body (a smuggled tools/call): refused, nothing forwarded"],
  },
  {
    name: "relay the backend's own 401 challenge",
    edits: [
      { find: '<set-header name="WWW-Authenticate" exists-action="delete"/>', replace: "" },
      { find: "@(context.Response.StatusCode == 401)", replace: "@(context.Response.StatusCode == 999)" },
    ],
    killedBy: ["the backend's own 401 challenge is not relayed to the client (no token confusion): 502"],
  },
  {
    name: "accept tokens without a subject",
    edits: [{ find: q(`("mcpCaller", "").EndsWith(":")`), replace: q(`("mcpCaller", "").EndsWith(":never")`) }],
    killedBy: ["a validly signed token without an object id or client application (ID-token shaped): 401"],
  },
  {
    name: "accept any Accept header",
    edits: [{ find: q(`return !(accept.Contains(`), replace: q(`return false && !(accept.Contains(`) }],
    killedBy: ["POST whose Accept lacks text/event-stream: 406"],
  },
  {
    name: "misname a variable (the session check compares with an unset variable)",
    edits: [{ find: q(`("mcpSessionOwner", "") != context.Variables.GetValueOrDefault<string>("mcpCaller", "")`), replace: q(`("mcpSessionOwner", "") != context.Variables.GetValueOrDefault<string>("mcpCallr", "")`) }],
    killedBy: ["happy: tools/list in the session"],
  },
  {
    name: "make the invalid-token branch of on-error unreachable",
    edits: [{ find: q(`context.LastError.Source == "validate-jwt"`), replace: q(`context.LastError.Source == "validate-jwt2"`) }],
    killedBy: ["expired token: 401 invalid_token", "Microsoft Graph token (wrong audience): 401"],
  },
  {
    name: "accept any query string",
    edits: [{ find: q(`context.Request.Url.Query.Count > 0 || context.Request.Url.QueryString.Length > 0`), replace: "false" }],
    killedBy: ["token in the query string: 400 and nothing forwarded, even with a valid header token", QUERY_STRING],
  },
  {
    name: "forward X-HTTP-Method-Override",
    edits: [{ find: '<set-header name="X-HTTP-Method-Override" exists-action="delete"/>', replace: "" }],
    killedBy: [OVERRIDE_HEADERS],
  },
  {
    name: "forward X-Original-URL",
    edits: [{ find: '<set-header name="X-Original-URL" exists-action="delete"/>', replace: "" }],
    killedBy: [OVERRIDE_HEADERS],
  },
  {
    name: "forward Forwarded and X-Forwarded-Host",
    edits: [
      { find: '<set-header name="Forwarded" exists-action="delete"/>', replace: "" },
      { find: '<set-header name="X-Forwarded-Host" exists-action="delete"/>', replace: "" },
    ],
    killedBy: [OVERRIDE_HEADERS],
  },
  {
    name: "relay backend Set-Cookie",
    edits: [{ find: '<set-header name="Set-Cookie" exists-action="delete"/>', replace: "" }],
    killedBy: [BACKEND_HEADERS],
  },
  {
    name: "relay backend Access-Control-Allow-Origin",
    edits: [{ find: '<set-header name="Access-Control-Allow-Origin" exists-action="delete"/>', replace: "" }],
    killedBy: [BACKEND_HEADERS],
  },
  {
    name: "relay backend redirects",
    edits: [{ find: q(`context.Response.StatusCode >= 300 && context.Response.StatusCode < 400`), replace: "false" }],
    killedBy: [REDIRECTS],
  },
  {
    name: "relay permanent redirects (308 forgotten)",
    edits: [{ find: q(`context.Response.StatusCode < 400`), replace: q(`context.Response.StatusCode < 308`) }],
    killedBy: [REDIRECTS],
  },
  {
    name: "refusals send no WWW-Authenticate challenge",
    edits: [{ in: "refusal", find: /<set-header name="WWW-Authenticate"[\s\S]*?<\/set-header>/, replace: "" }],
    killedBy: ["no token: 401 with resource_metadata and scope in WWW-Authenticate", "expired token: 401 invalid_token"],
  },
  {
    name: "refusals always send the optional headers (a stray challenge on every refusal)",
    edits: [{ in: "refusal", find: q(`? "override" : "delete"`), replace: q(`? "override" : "override"`) }],
    killedBy: ["audit: each request emits one trace and one metric with the decision, never argument values or tokens"],
  },
  {
    name: "refusals lose the security headers",
    edits: [{ in: "refusal", find: /<set-header name="Strict-Transport-Security"[\s\S]*?<\/set-header>/, replace: "" }],
    killedBy: ["disallowed Origin: 403", "token in the query string: 400 and nothing forwarded, even with a valid header token"],
  },
  {
    name: "refusals audit no server",
    edits: [{ find: '<set-variable name="mcpServer" value="weather"/>', replace: "" }],
    killedBy: ["audit: each request emits one trace and one metric with the decision, never argument values or tokens"],
  },
];
