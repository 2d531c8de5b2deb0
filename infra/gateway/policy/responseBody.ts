/**
 * Reading and rewriting the backend's answer to one request, as JSON or as an SSE stream (MCP Streamable HTTP lets
 * the server answer a POST either way). Only the JSON-RPC response event is read and, when needed, replaced; every
 * other event (progress notifications, server requests, keep-alive comments) is kept verbatim and in order.
 * Reading the body buffers that one response: used only for answers the gateway must inspect.
 */
import { csString, strVar, Vars } from "./expressions";

/**
 * C# statements defining `sse` (bool), `events` (List<string>, SSE events without their separators; one element
 * for JSON), `answerAt` (index of the event holding the JSON-RPC response, -1 if none), `answer` (that message as
 * a JObject, or null) and `serverRequests` (how many events are requests from the server to the client). `fail` is a statement run when the body is not what the Content-Type says.
 */
export function readAnswerCode(fail: string): string {
  return [
    `string ct = context.Response.Headers.GetValueOrDefault("Content-Type", "").ToLowerInvariant();`,
    `bool sse = ct.StartsWith("text/event-stream"); if (!sse && !ct.StartsWith("application/json")) { ${fail} }`,
    `string raw = context.Response.Body.As<string>(preserveContent: true) ?? "";`,
    `var events = sse ? raw.Replace("\\r\\n", "\\n").Split(new string[] { "\\n\\n" }, StringSplitOptions.None).ToList() : new List<string> { raw };`,
    `int answerAt = -1; JObject answer = null; int serverRequests = 0;`,
    `for (int e = 0; e < events.Count; e++) {`,
    `  string data = sse ? string.Join("\\n", events[e].Split('\\n').Where(l => l.StartsWith("data:")).Select(l => l.Substring(l.StartsWith("data: ") ? 6 : 5))) : events[e];`,
    `  if (data.Trim() == "") { continue; }`,
    `  JObject m; try { m = JObject.Parse(data); } catch (Exception) { ${fail} }`,
    `  if (m["method"] == null && m["id"] != null && (m["result"] != null || m["error"] != null)) { if (answer != null) { ${fail} } answer = m; answerAt = e; }`,
    `  if (m["method"] != null && m["id"] != null) { serverRequests++; }`,
    `}`,
  ].join(" ");
}

/** C# expression: the body with the answer event replaced by `json` (a string expression), other events untouched. */
export function rewriteAnswerCode(json: string): string {
  return (
    `(sse ? string.Join("\\n\\n", events.Select((ev, k) => k != answerAt ? ev : string.Join("\\n", ev.Split('\\n').Where(l => !l.StartsWith("data:")).Concat(new string[] { "data: " + ${json} })))) : ${json})`
  );
}

/** C# expression: the id of the request being answered, as the client sent it (null without one). */
export const REQUEST_ID = `((context.Variables.GetValueOrDefault<JObject>(${csString(Vars.rpc)})["message"] as JObject) ?? new JObject())["id"]`;

/** C# expression: true when the answer is a successful HTTP response to `method`. */
export function answered(method: string): string {
  return `${strVar(Vars.method)} == ${csString(method)} && context.Response.StatusCode == 200`;
}
