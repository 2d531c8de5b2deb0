/** The JSON-RPC message: strict parse into a gateway-built envelope, refusals, and the Mcp-* headers checked against it. */
import { type PolicyElement } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, reqHeader, strVar, Vars } from "./expressions";
import { choose, when } from "./elements";
import { refuse, refuseWhen, RpcErrors } from "./respond";
import { HEADER_ERA } from "./methods";

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
    // Tasks cannot be enabled (methods.ts): a task-augmented call would answer with a task whose result nothing may fetch.
    when(rpcProblem("task"), ...bad("Task-augmented requests are not supported.", "deny:task", RpcErrors.invalidParams)),
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
