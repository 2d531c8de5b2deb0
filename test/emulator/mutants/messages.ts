/**
 * Mutations of what a message may be: the JSON-RPC envelope and params allow-lists (F5), duplicate and look-alike
 * names (F6, F7), tool definitions (approval filter, pins, screening), result screening, Prompt Shields documents,
 * Mcp-* headers (F8), Content-Type (F9), backend 5xx masking and the audited session digest (F11).
 */
import { q, type Mutation } from "./mutation";

export const messageMutations: Mutation[] = [
  {
    name: "accept property names that collide ignoring case",
    edits: [{ find: q(`if (!seen.Add(x.Name.ToLowerInvariant()))`), replace: q(`if (!seen.Add(x.Name))`) }],
    killedBy: ["tools/call whose params carry the tool name twice in different case (parser differential): 400"],
  },
  {
    name: "drop the envelope member allowlist (F5)",
    edits: [{ find: q(`foreach (JProperty top in msg.Properties()) { if (!members.Contains(top.Name))`), replace: q(`foreach (JProperty top in msg.Properties()) { if (false)`) }],
    killedBy: ["a capitalised METHOD next to result (a response to the gateway, a tools/call to Go's decoder): 400"],
  },
  {
    name: "let a message without a method carry params (F5)",
    edits: [{ find: q(`new string[] { "jsonrpc", "id", "result", "error" }`), replace: q(`new string[] { "jsonrpc", "id", "result", "error", "params" }`) }],
    killedBy: ["a capitalised METHOD next to result (a response to the gateway, a tools/call to Go's decoder): 400"],
  },
  {
    name: "drop the params allow-list (look-alikes and extra members pass again)",
    edits: [{ find: q(`if (!admitted.Contains(q.Name))`), replace: q(`if (false)`) }],
    killedBy: [
      "a capitalised METHOD next to result (a response to the gateway, a tools/call to Go's decoder): 400",
      "params members the schema does not define for the method (tools/call: name, arguments, _meta, task): 400",
    ],
  },
  {
    name: "accept property names outside printable ASCII",
    edits: [{ find: q(`if (ch < ' ' || ch > '~')`), replace: q(`if (false)`) }],
    killedBy: [
      "a property name outside printable ASCII anywhere in the message (arguments, _meta, a client response): 400",
      "Unicode look-alikes that Go's encoding/json folds (U+017F long s, U+212A Kelvin sign): 400",
    ],
  },
  {
    name: "accept control characters but not other non-ASCII in property names",
    edits: [{ find: q(`if (ch < ' ' || ch > '~')`), replace: q(`if (ch > '~')`) }],
    killedBy: ["a property name outside printable ASCII anywhere in the message (arguments, _meta, a client response): 400"],
  },
  {
    name: "leave JSON.NET's date tokens in place (date-like ids and tool names refused)",
    edits: [{ find: q(`if (strings[k].Type == JTokenType.Date)`), replace: q(`if (false)`) }],
    killedBy: ["date-like strings stay strings: an ISO-date id and an ISO-date tool name are authorized as sent"],
  },
  {
    name: "let task-augmented tools/call through",
    edits: [{ find: q(`if (p["task"] != null)`), replace: q(`if (false)`) }],
    killedBy: ["task-augmented tools/call is refused consistently (tasks cannot be enabled): 400 -32602"],
  },
  {
    name: "list unapproved tools again (tools/list filter off)",
    edits: [{ find: q(`|| !approved.Contains(";" + name + "=")`), replace: "" }],
    killedBy: ["tools/list: a tool that is not approved for this server is removed from the answer", "tools/list over SSE: the unapproved tool is removed, the stream's other events and framing kept"],
  },
  {
    name: "ignore definition pins (rug pulls pass)",
    edits: [{ find: q(`if (at >= 0 && pins.Substring(at + name.Length + 2, 64) != hash)`), replace: q(`if (false)`) }],
    killedBy: ["tools/list: a pinned definition that changed (rug pull) is removed, audited and counted in mcp-tool-drift"],
  },
  {
    name: "hash definitions without sorting keys (reordering counts as drift)",
    edits: [{ find: q(`.OrderBy(p => p.Name, StringComparer.Ordinal)`), replace: "" }],
    killedBy: ["tools/list: a pinned definition that changed (rug pull) is removed, audited and counted in mcp-tool-drift"],
  },
  {
    name: "stop screening tool definitions",
    edits: [{ find: /<set-variable name="mcpToolDefsVerdict" value="@\{[^"]*"\/>/, replace: '<set-variable name="mcpToolDefsVerdict" value="clean"/>' }],
    killedBy: ["tools/list: a poisoned description of an approved tool is blocked by Prompt Shields: 502 -32030", "tools/list: Content Safety down while definitions are new: fail closed with 503"],
  },
  {
    name: "forward flagged tool results (result screening verdict ignored)",
    edits: [{ find: q(`("mcpResultVerdict", "") == "attack")`), replace: q(`("mcpResultVerdict", "") == "never")`) }],
    killedBy: [
      "a tool result carrying an injected instruction is blocked: a JSON-RPC error for the call's id, decision blocked:result-shield",
      "an SSE tool result: progress notifications kept, only the result screened; an injected result in the stream is blocked",
    ],
  },
  {
    name: "deliver a screened call's stream that holds a server request (late, after the server gave up)",
    edits: [{ find: q(`("mcpResultVerdict", "") == "server-request")`), replace: q(`("mcpResultVerdict", "") == "never")`) }],
    killedBy: ["a server request inside a screened call's own stream: the call gets -32603 naming the fix, the request is not delivered late"],
  },
  {
    name: "cut Prompt Shields documents without overlap",
    edits: [{ find: "i += 8000", replace: "i += 10000" }],
    killedBy: ["an injection across the 10,000-character cut is screened whole (documents overlap by 2,000 characters)"],
  },
  {
    name: "screen only the arguments again (not _meta, name or client responses)",
    edits: [{ find: q(`? msg["result"] : msg["params"])`), replace: q(`? null : msg["params"]["arguments"])`) }],
    killedBy: ["a client's answer to sampling/elicitation carrying an injection is refused before the server reads it: 400 -32030"],
  },
  {
    name: "stop refusing exact duplicate property names (F6)",
    edits: [{ find: q(`if (duplicate) { env["problem"] = "invalid"; return env; }`), replace: "" }],
    killedBy: ["exact duplicate property names (JSON.NET keeps the last, a first-wins backend the first): 400"],
  },
  {
    name: "compare duplicate names without decoding escapes (F6)",
    edits: [{ find: q(`open[open.Count - 1].Add((text.IndexOf('\\\\') < 0 ? text :`), replace: q(`open[open.Count - 1].Add((true ? text :`) }],
    killedBy: ["exact duplicate property names (JSON.NET keeps the last, a first-wins backend the first): 400"],
  },
  {
    name: "let look-alike identity headers through (F7)",
    edits: [{ find: q(`squashed.Contains(flat)) { return true; }`), replace: q(`squashed.Contains(flat)) { return false; }`) }],
    killedBy: ["look-alike identity headers (X_MCP_Caller_Oid, a trailing space, X-MS-CLIENT-PRINCIPAL-*): 400, nothing forwarded"],
  },
  {
    name: "ignore Mcp-Method/Mcp-Name on GET, DELETE and responses (F8)",
    edits: [{ find: q(`if (context.Request.Method != "POST") { return headers; }`), replace: q(`if (context.Request.Method != "POST") { return false; }`) }],
    killedBy: ["Mcp-Method / Mcp-Name on GET, DELETE or a client response (nothing to agree with): 400 -32020"],
  },
  {
    name: "accept Content-Type by prefix again (F9)",
    edits: [{ find: q(`if (parts[0].Trim().ToLowerInvariant() != "application/json") { return true; }`), replace: q(`if (!parts[0].Trim().ToLowerInvariant().StartsWith("application/json")) { return true; } return false;`) }],
    killedBy: ["Content-Type that only starts with application/json, or is not UTF-8: 415; UTF-8 charset accepted"],
  },
  {
    name: "relay backend 5xx bodies (F11)",
    edits: [{ find: q(`context.Response.StatusCode >= 500 && !context`), replace: q(`context.Response.StatusCode >= 999 && !context`) }],
    killedBy: ["a backend 5xx body (stack trace) is replaced by a generic JSON-RPC error; status and Retry-After kept"],
  },
  {
    name: "audit the raw session id (F11)",
    // The trace message is element text: quotes stay literal, only < and > are escaped.
    edits: (["api", "refusal"] as const).map((where) => ({
      in: where,
      find: `("mcpSessionId", "") == "" ? "" : BitConverter`,
      replace: `("mcpSessionId", "") != "" ? context.Variables.GetValueOrDefault&lt;string&gt;("mcpSessionId", "") : BitConverter`,
    })),
    killedBy: ["audit: the session is recorded as a truncated SHA-256, never the raw Mcp-Session-Id"],
  },
];
