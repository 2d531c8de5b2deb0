/**
 * Control 34: tool definitions on `tools/list` answers. The gateway removes every tool that is not approved for the
 * server, checks each approved tool's full definition (canonical JSON, SHA-256) against its pin, and screens the
 * definitions' text with Prompt Shields as documents, caching the verdict by the hash of the approved definitions,
 * so a stable server costs one screening per change. Tool poisoning and rug pulls (a definition changed after
 * approval) are answered here: the client only ever sees approved, unchanged, screened definitions.
 */
import { el, type PolicyElement } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, strVar, Vars } from "./expressions";
import { namedValueRef } from "./namedValues";
import { choose, setVariable, when } from "./elements";
import { refuse, RpcErrors } from "./respond";
import { answered, readAnswerCode, rewriteAnswerCode } from "./responseBody";
import { collectTextCode, LINES_TO_BODIES, shieldCallNodes, shieldVerdictCode } from "./shieldCalls";

/** Metric counting drifted definitions (value = tools drifted in one answer), for an alert rule. */
export const TOOL_DRIFT_METRIC = "mcp-tool-drift";

/** How long a definition-screening verdict is cached (seconds): a stable server is screened about once a day. */
export const TOOL_DEFINITION_VERDICT_TTL = 86_400;

/** Cache key prefix of definition-screening verdicts. */
export function toolDefinitionCachePrefix(s: McpPolicySettings): string {
  return `mcp-tooldefs:${s.serverName}:`;
}

/**
 * C# defining `canon` (Func<JToken, string>): canonical JSON. Object keys sorted by UTF-16 code unit (ordinal), no
 * whitespace, strings escaping only `"`, `\` and U+0000-U+001F (as `\u00xx`), integral numbers below 2^53 as
 * integers, other numbers as JSON.NET writes them. `cli/tools.ts` computes the same form.
 */
export const CANONICAL_JSON = [
  `Func<string, string> quote = v => { var sb = new System.Text.StringBuilder("\\""); foreach (char ch in v) { if (ch == '"') { sb.Append("\\\\\\""); } else if (ch == '\\\\') { sb.Append("\\\\\\\\"); } else if (ch < ' ') { sb.Append("\\\\u" + ((int)ch).ToString("x4")); } else { sb.Append(ch); } } return sb.Append('"').ToString(); };`,
  `Func<JToken, string> canon = null;`,
  `canon = t => t.Type == JTokenType.Object ? "{" + string.Join(",", ((JObject)t).Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => quote(p.Name) + ":" + canon(p.Value))) + "}"`,
  `  : t.Type == JTokenType.Array ? "[" + string.Join(",", ((JArray)t).Select(x => canon(x))) + "]"`,
  `  : t.Type == JTokenType.String ? quote((string)t)`,
  `  : (t.Type == JTokenType.Float && Math.Abs((double)t) < 9007199254740992.0 && (double)t == Math.Floor((double)t)) ? ((long)(double)t).ToString()`,
  `  : t.ToString(Newtonsoft.Json.Formatting.None);`,
  `Func<string, string> sha256 = v => BitConverter.ToString(SHA256.Create().ComputeHash(Encoding.UTF8.GetBytes(v))).Replace("-", "").ToLowerInvariant();`,
].join(" ");

/** C# returning `{ problem, body, removed, drifted, text, key }` for the tools/list answer. */
function analyseCode(s: McpPolicySettings): string {
  const approved = csString(namedValueRef(s.serverName, "tools"));
  const pins = csString(namedValueRef(s.serverName, "toolPins"));
  return [
    `var outcome = new JObject(); outcome["problem"] = ""; outcome["body"] = ""; outcome["removed"] = 0; outcome["drifted"] = ""; outcome["text"] = ""; outcome["key"] = "";`,
    readAnswerCode(`outcome["problem"] = "shape"; return outcome;`),
    `if (answer == null) { outcome["problem"] = "shape"; return outcome; }`,
    `if (answer["result"] == null) { return outcome; }`,
    `JArray tools = answer["result"]["tools"] as JArray; if (tools == null) { outcome["problem"] = "shape"; return outcome; }`,
    CANONICAL_JSON,
    `string approved = ${approved}; string pins = ${pins};`,
    `var keep = new JArray(); int removed = 0; var drifted = new List<string>(); var lines = new List<string>(); var hashes = new System.Text.StringBuilder();`,
    `foreach (JToken item in tools) {`,
    `  JObject tool = item as JObject; JToken nameToken = tool == null ? null : tool["name"];`,
    `  string name = (nameToken != null && nameToken.Type == JTokenType.String) ? (string)nameToken : "";`,
    `  if (!Regex.IsMatch(name, @"^[A-Za-z0-9_.-]{1,128}\\z") || !approved.Contains(";" + name + "=")) { removed++; continue; }`,
    `  string hash = sha256(canon(tool)); int at = pins.IndexOf(";" + name + "=");`,
    `  if (at >= 0 && pins.Substring(at + name.Length + 2, 64) != hash) { drifted.Add(name); continue; }`,
    `  keep.Add(tool); hashes.Append(hash);`,
    `  JToken definition = tool; ${collectTextCode("definition")}`,
    `}`,
    `outcome["removed"] = removed; outcome["drifted"] = string.Join(",", drifted); outcome["text"] = string.Join("\\n", lines); outcome["key"] = sha256(hashes.ToString());`,
    `if (removed + drifted.Count > 0) { answer["result"]["tools"] = keep; string json = answer.ToString(Newtonsoft.Json.Formatting.None); outcome["body"] = ${rewriteAnswerCode("json")}; }`,
    `return outcome;`,
  ].join(" ");
}

const field = (name: string): string => `context.Variables.GetValueOrDefault<JObject>(${csString(Vars.toolList)})[${csString(name)}]`;

function screeningNodes(s: McpPolicySettings): PolicyElement[] {
  if (!s.contentSafety.enabled) return [];
  const verdict = strVar(Vars.toolDefsVerdict);
  const bodiesCode = [`var lines = new List<string> { (string)${field("text")} };`, LINES_TO_BODIES, `return bodies;`].join(" ");
  const bodies = `context.Variables.GetValueOrDefault<JArray>(${csString(Vars.toolDefsBodies)})`;
  const unavailable: PolicyElement[] = s.contentSafety.failOpen
    ? [setVariable(Vars.decision, "allow:tool-definition-shield-unavailable")]
    : refuse(s, { status: 503, code: RpcErrors.unavailable, message: "Content screening unavailable; try again later.", decision: "deny:tool-definition-shield-unavailable", headers: [{ name: "Retry-After", value: "5" }] });
  return [
    choose(
      when(
        expr(`(string)${field("text")} != ""`),
        el("cache-lookup-value", { key: expr(`${csString(toolDefinitionCachePrefix(s))} + (string)${field("key")}`), "variable-name": Vars.toolDefsVerdict, "default-value": "", "caching-type": s.sessionCachingType }),
        choose(
          when(
            expr(`${verdict} == ""`),
            setVariable(Vars.toolDefsBodies, block(bodiesCode)),
            choose(
              when(expr(`${bodies}.Count > ${s.contentSafety.maxRequests}`), setVariable(Vars.toolDefsVerdict, "too-large")),
              el("otherwise", {}, shieldCallNodes(s, Vars.toolDefsBodies, Vars.toolDefsResponse), setVariable(Vars.toolDefsVerdict, block(shieldVerdictCode(Vars.toolDefsBodies, Vars.toolDefsResponse)))),
            ),
            // Clean and attack verdicts are kept (a poisoned server costs one call per change too); outages are not.
            choose(when(expr(`${verdict} == "clean" || ${verdict} == "attack"`), setVariable(Vars.cacheKey, expr(`${csString(toolDefinitionCachePrefix(s))} + (string)${field("key")}`)), setVariable(Vars.cacheValue, expr(verdict)))),
          ),
        ),
        choose(
          when(expr(`${verdict} == "attack"`), ...refuse(s, { status: 502, code: RpcErrors.contentBlocked, message: "Tool definitions blocked by content safety.", decision: "deny:tool-definition-shield" })),
          when(expr(`${verdict} == "too-large"`), ...refuse(s, { status: 502, code: RpcErrors.tooLarge, message: "Tool definitions too large to screen.", decision: "deny:tool-definition-size" })),
          when(expr(`${verdict} == "unavailable"`), ...unavailable),
        ),
      ),
    ),
  ];
}

export function screenToolList(s: McpPolicySettings): PolicyFragment {
  const drifted = `(string)${field("drifted")} != ""`;
  const driftMetric = el(
    "emit-metric",
    { name: TOOL_DRIFT_METRIC, value: expr(`(double)((string)${field("drifted")}).Split(',').Length`), namespace: s.metricNamespace },
    el("dimension", { name: "server", value: expr(strVar(Vars.server)) }),
    el("dimension", { name: "handling", value: s.toolDrift }),
  );
  const driftNodes: PolicyElement[] =
    s.toolDrift === "refuse"
      ? [driftMetric, ...refuse(s, { status: 502, code: RpcErrors.internal, message: "Tool definitions changed since they were approved.", decision: "deny:tool-drift" })]
      : [driftMetric, setVariable(Vars.decision, "filtered:tool-drift")];
  return {
    id: "screenToolList",
    section: "outbound",
    controls: [34],
    nodes: [
      choose(
        when(
          expr(answered("tools/list")),
          setVariable(Vars.toolList, block(analyseCode(s))),
          choose(
            when(expr(`(string)${field("problem")} != ""`), ...refuse(s, { status: 502, code: RpcErrors.internal, message: "Upstream MCP server answered malformed.", decision: "deny:tool-list-shape" })),
            when(expr(drifted), ...driftNodes),
            when(expr(`(int)${field("removed")} > 0`), setVariable(Vars.decision, "filtered:tool-unapproved")),
          ),
          ...screeningNodes(s),
          choose(when(expr(`(string)${field("body")} != ""`), el("set-body", {}, expr(`(string)${field("body")}`)))),
        ),
      ),
    ],
  };
}
