/**
 * Mutation test of the attack matrix: each mutation weakens the GENERATED policy the way a plausible
 * regression would (a check removed, a condition inverted, a header left in place), and the scenarios named
 * for it must then fail. The same scenarios first run against the unmutated policy and must pass, so a
 * mutation cannot be "killed" by a scenario that fails anyway. A mutation whose text is not found fails the
 * test (the generated policy changed shape: update the mutation, do not delete it).
 */
import { REFUSAL_FRAGMENT_ID } from "../../infra/gateway/policy";
import { compileExpressionPool, type ExpressionPool } from "../support/apim/expressions";
import { CLIENT_APP, OTHER_CLIENT_APP, createHarness, harnessExpressions, type Harness, type PolicyDocuments } from "./fixture";
import { scenario, type Scenario } from "./matrix";
import { q, transportMutations, type Mutation } from "./mutants";



const QUERY_STRING = "any query string on the MCP endpoint: 400 before token validation, nothing forwarded (?t=<jwt>, ?x, a harmless name)";
const OVERRIDE_HEADERS = "method-override, URL-rewrite and forwarding headers never reach the backend; the call itself goes through";
const BACKEND_HEADERS = "backend Set-Cookie and CORS grants are removed from the answer; the answer itself is relayed";
const REDIRECTS = "a backend redirect (301, 302, 307, 308) is not relayed: 502 with a JSON-RPC error, no Location";

const mutations: Mutation[] = [
  {
    name: "remove the audience check",
    edits: [{ find: /<audiences>[\s\S]*?<\/audiences>/, replace: "" }],
    killedBy: ["Microsoft Graph token (wrong audience): 401", "token for a sibling MCP server (wrong audience): 401"],
  },
  {
    name: "remove the issuer pin (tid still required)",
    edits: [{ find: /<issuers>[\s\S]*?<\/issuers>/, replace: "" }],
    killedBy: ["token with this tenant's v1 issuer when only v2 is accepted: 401"],
  },
  {
    name: "widen the clock skew to 10 minutes",
    edits: [{ find: 'clock-skew="60"', replace: 'clock-skew="600"' }],
    killedBy: ["expired token: 401 invalid_token", "not-yet-valid token: 401 invalid_token"],
  },
  {
    name: "invert the session owner check",
    edits: [{ find: q(`("mcpSessionOwner", "") != context.Variables.GetValueOrDefault<string>("mcpCaller"`), replace: q(`("mcpSessionOwner", "") == context.Variables.GetValueOrDefault<string>("mcpCaller"`) }],
    killedBy: ["another user's session id: 404", "happy: tools/list in the session"],
  },
  {
    name: "keep the session binding after DELETE",
    edits: [{ find: /<cache-remove-value [^>]*\/>/, replace: "" }],
    killedBy: ["DELETE then reuse of the session: 404"],
  },
  {
    name: "drop the Authorization delete and the managed-identity credential",
    edits: [
      { find: '<set-header name="Authorization" exists-action="delete"/>', replace: "" },
      { find: /<authentication-managed-identity resource="\{\{mcp-weather-backend-audience\}\}"[^>]*\/>/, replace: "" },
    ],
    killedBy: ["the client's Authorization header never reaches the backend"],
  },
  {
    name: "drop the managed-identity credential towards the backend",
    edits: [{ find: /<authentication-managed-identity resource="\{\{mcp-weather-backend-audience\}\}"[^>]*\/>/, replace: "" }],
    killedBy: ["happy: initialize reaches the backend with the gateway credential and binds the session"],
  },
  {
    name: "stop removing client-sent identity headers",
    edits: [
      { find: '<set-header name="X-MS-CLIENT-PRINCIPAL-ID" exists-action="delete"/>', replace: "" },
      { find: '<set-header name="X-Forwarded-User" exists-action="delete"/>', replace: "" },
    ],
    killedBy: ["client-sent identity headers are replaced or removed before the backend"],
  },
  {
    name: "invert the Origin allowlist",
    edits: [{ find: q(`return origin != "" && !(`), replace: q(`return origin != "" && (`) }],
    killedBy: ["disallowed Origin: 403", "happy: a request from an allowed browser Origin goes through"],
  },
  {
    name: "let unapproved tools through",
    edits: [{ find: q(`("mcpToolDecision", "") == "unknown"`), replace: q(`("mcpToolDecision", "") == "never"`) }],
    killedBy: ["tools/call of an unapproved tool: 403"],
  },
  {
    name: "ignore the per-tool role check",
    edits: [{ find: q(`("mcpToolDecision", "") == "insufficient"`), replace: q(`("mcpToolDecision", "") == "never"`) }],
    killedBy: ["tools/call of a tool whose role the caller lacks: 403 without a scope challenge"],
  },
  {
    name: "ignore a Prompt Shields attack verdict",
    edits: [{ find: q(`("mcpShieldVerdict", "") == "attack"`), replace: q(`("mcpShieldVerdict", "") == "never"`) }],
    killedBy: ["Prompt Shields reports an attack in an argument: 400, nothing forwarded"],
  },
  {
    name: "fail open when Content Safety is unavailable",
    edits: [{ find: q(`("mcpShieldVerdict", "") == "unavailable"`), replace: q(`("mcpShieldVerdict", "") == "never"`) }],
    killedBy: ["Content Safety answers 503: fail closed with 503 and Retry-After", "Content Safety times out: fail closed with 503"],
  },
  {
    name: "send 20,000-character Prompt Shields documents",
    edits: [{ find: /10000/g, replace: "20000" }],
    killedBy: ["arguments longer than one Prompt Shields call are cut into 10K-character documents, one per call"],
  },
  {
    name: "screen each argument as its own document again (F12)",
    edits: [
      {
        find: q(`string text = string.Join("\\n", lines);`),
        replace: q(`foreach (string line in lines) { bodies.Add(new JObject(new JProperty("documents", new JArray(line))).ToString(Newtonsoft.Json.Formatting.None)); } string text = "";`),
      },
    ],
    killedBy: ["eleven short arguments are screened as one text in one Prompt Shields call (not 413), an injection among them refused"],
  },
  {
    name: "accept any Mcp-Name header",
    edits: [{ find: q(`if (context.Request.Headers.ContainsKey("Mcp-Name")) { return bodyName == null ||`), replace: q(`if (context.Request.Headers.ContainsKey("Mcp-Name")) { return false; } if (false) { return bodyName == null ||`) }],
    killedBy: ["Mcp-Name header differing from the body: 400 -32020"],
  },
  {
    name: "drop the per-caller-and-tool rate limit",
    edits: [{ find: /<rate-limit-by-key calls="\{\{mcp-weather-rl-tool-calls\}\}"[^>]*\/>/, replace: "" }],
    killedBy: ["rate limit per user and tool: 429 for that tool only; other tools and users unaffected"],
  },
  {
    name: "drop the client application allowlist",
    edits: [{ find: q(`new string[] { "${CLIENT_APP}" }.Contains(`), replace: q(`new string[] { "${CLIENT_APP}", "${OTHER_CLIENT_APP}" }.Contains(`) }],
    killedBy: ["token issued to a client application that is not allowed: 403"],
  },
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
  ...transportMutations,
  {
    name: "drop the per-caller rate limit",
    edits: [{ find: /<rate-limit-by-key calls="\{\{mcp-weather-rl-caller-calls\}\}"[^>]*\/>/, replace: "" }],
    killedBy: ["rate limit per user: 429 with Retry-After while another user is unaffected, and it renews"],
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

function apply(m: Mutation, docs: PolicyDocuments): PolicyDocuments {
  let api = docs.api;
  let refusal = docs.fragments[REFUSAL_FRAGMENT_ID]!;
  for (const e of m.edits) {
    const before = e.in === "refusal" ? refusal : api;
    const after = typeof e.find === "string" ? before.split(e.find).join(e.replace) : before.replace(new RegExp(e.find.source, "g"), e.replace);
    if (after === before) throw new Error(`mutation "${m.name}": text not found in the generated ${e.in === "refusal" ? "refusal fragment" : "API policy"}: ${String(e.find)}`);
    if (e.in === "refusal") refusal = after;
    else api = after;
  }
  return { ...docs, api, fragments: { ...docs.fragments, [REFUSAL_FRAGMENT_ID]: refusal } };
}

async function outcome(h: Harness, s: Scenario): Promise<"pass" | string> {
  try {
    await s.run(h);
    return "pass";
  } catch (e) {
    return (e as Error).message.split("\n").slice(0, 3).join(" ");
  }
}

describe("mutations of the generated policy are caught by the attack matrix", () => {
  let baseline: Harness;
  let pool: ExpressionPool;
  beforeAll(async () => {
    // One mcs run for the baseline and every mutant (identical expressions compile once).
    pool = compileExpressionPool([harnessExpressions(), ...mutations.map((m) => harnessExpressions({ mutate: (d) => apply(m, d) }))].flat());
    baseline = await createHarness({ pool });
  });
  afterAll(() => baseline?.close());

  for (const m of mutations) {
    it(`${m.name}: killed by ${m.killedBy.length} scenario(s)`, async () => {
      const killers = m.killedBy.map(scenario);
      for (const s of killers) expect({ scenario: s.name, unmutated: await outcome(baseline, s) }).toEqual({ scenario: s.name, unmutated: "pass" });
      const mutant = await createHarness({ mutate: (d) => apply(m, d), pool });
      try {
        for (const s of killers) expect({ scenario: s.name, mutated: (await outcome(mutant, s)) === "pass" ? "survived" : "killed" }).toEqual({ scenario: s.name, mutated: "killed" });
      } finally {
        mutant.close();
      }
    });
  }
});
