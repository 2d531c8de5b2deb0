/** Prompt Shields on tools/call arguments (control 20). */
import { el, type PolicyElement } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { PROMPT_SHIELDS_LIMITS } from "./settings";
import { block, csString, expr, strVar, Vars } from "./expressions";
import { choose, setHeader, setVariable, when } from "./elements";
import { refuse, refuseWhen, RpcErrors } from "./respond";

const COGNITIVE_SERVICES_RESOURCE = "https://cognitiveservices.azure.com";
const PROMPT_SHIELDS_PATH = "/contentsafety/text:shieldPrompt?api-version=2024-09-01";

/**
 * Control 20: Prompt Shields on tools/call arguments. The arguments become one text of `key: value` lines
 * (Descendants: no recursion needed; property names are attacker text too, a name with a container value is a
 * `key:` line, string array items are lines of their own), screened together so an injection spread over several
 * fields is seen in context and many small arguments cost one call. The text is cut into documents of 10,000
 * characters, one per shieldPrompt call: a call's documents share one 10,000-character budget, so one full
 * document per call is the most a call can screen, and only text longer than `maxRequests` x 10,000 characters
 * is refused. Arguments are indirect input, so they are screened as documents, not as the user prompt. Policies
 * cannot loop, so the document emits `maxRequests` send-requests inside `<wait for="all">` (run in parallel),
 * each guarded by "this many bodies exist"; text needing more than `maxRequests` x 10,000 characters is refused
 * with 413 before any call. A missing, non-200 or malformed answer is "unavailable": 503 unless `failOpen`.
 */
export function promptShields(s: McpPolicySettings): PolicyFragment {
  const { maxTotalChars } = PROMPT_SHIELDS_LIMITS;
  const n = s.contentSafety.maxRequests;
  // set-variable only accepts the documented types (JSON.NET types, primitives, String...): a JArray, not string[].
  const bodies = `context.Variables.GetValueOrDefault<JArray>(${csString(Vars.shieldBodies)})`;
  const collect = [
    `var env = context.Variables.GetValueOrDefault<JObject>(${csString(Vars.rpc)}); JObject msg = env["message"] as JObject;`,
    `JObject p = msg == null ? null : msg["params"] as JObject; JToken args = p == null ? null : p["arguments"];`,
    `var lines = new List<string>();`,
    `if (args != null && args.Type == JTokenType.String) { lines.Add((string)args); }`,
    `JContainer container = args as JContainer;`,
    `if (container != null) { foreach (JToken t in container.Descendants()) {`,
    `  JProperty prop = t as JProperty;`,
    `  if (prop != null) { JValue v = prop.Value as JValue; lines.Add(v == null ? prop.Name + ":" : (v.Type == JTokenType.Null ? prop.Name + ": null" : prop.Name + ": " + (v.Type == JTokenType.String ? (string)v : v.ToString(Newtonsoft.Json.Formatting.None)))); }`,
    `  else if (t.Type == JTokenType.String && t.Parent is JArray) { lines.Add((string)t); } } }`,
    `var bodies = new JArray(); string text = string.Join("\\n", lines);`,
    `for (int i = 0; i < text.Length; i += ${maxTotalChars}) {`,
    `  bodies.Add(new JObject(new JProperty("documents", new JArray(text.Substring(i, Math.Min(${maxTotalChars}, text.Length - i))))).ToString(Newtonsoft.Json.Formatting.None)); }`,
    `return bodies;`,
  ].join(" ");
  const sends = Array.from({ length: n }, (_, i) =>
    choose(
      when(
        expr(`${bodies}.Count > ${i}`),
        el(
          "send-request",
          { mode: "new", "response-variable-name": `${Vars.shieldResponse}${i}`, timeout: s.contentSafety.timeoutSeconds, "ignore-error": true },
          el("set-url", {}, `${s.contentSafety.endpoint}${PROMPT_SHIELDS_PATH}`),
          el("set-method", {}, "POST"),
          setHeader("Content-Type", "application/json"),
          el("set-body", {}, expr(`(string)${bodies}[${i}]`)),
          el("authentication-managed-identity", { resource: COGNITIVE_SERVICES_RESOURCE, "client-id": s.backend.gatewayIdentityClientId }),
        ),
      ),
    ),
  );
  const verdict = [
    `JArray bodies = ${bodies}; bool attack = false; bool unavailable = false;`,
    `for (int i = 0; i < bodies.Count; i++) {`,
    `  var r = context.Variables.GetValueOrDefault<IResponse>(${csString(Vars.shieldResponse)} + i);`,
    `  if (r == null || r.StatusCode != 200) { unavailable = true; continue; }`,
    `  try {`,
    `    JObject j = r.Body.As<JObject>(); int sent = JObject.Parse((string)bodies[i])["documents"].Count();`,
    `    JToken up = j["userPromptAnalysis"]; if (up != null && up.Type == JTokenType.Object && (bool?)up["attackDetected"] == true) { attack = true; }`,
    `    JArray docs = j["documentsAnalysis"] as JArray;`,
    `    if (docs == null || docs.Count != sent) { unavailable = true; continue; }`,
    `    foreach (JToken d in docs) { if ((bool?)d["attackDetected"] != false) { if ((bool?)d["attackDetected"] == true) { attack = true; } else { unavailable = true; } } }`,
    `  } catch (Exception) { unavailable = true; }`,
    `}`,
    `return attack ? "attack" : (unavailable ? "unavailable" : "clean");`,
  ].join(" ");
  const outcome: PolicyElement[] = [
    when(
      expr(`${strVar(Vars.shieldVerdict)} == "attack"`),
      ...refuse(s, {
        status: 400,
        code: RpcErrors.contentBlocked,
        message: "Request blocked by content safety.",
        decision: "deny:prompt-shield",
      }),
    ),
  ];
  if (!s.contentSafety.failOpen) {
    outcome.push(
      when(
        expr(`${strVar(Vars.shieldVerdict)} == "unavailable"`),
        ...refuse(s, {
          status: 503,
          code: RpcErrors.unavailable,
          message: "Content screening unavailable; try again later.",
          decision: "deny:prompt-shield-unavailable",
          headers: [{ name: "Retry-After", value: "5" }],
        }),
      ),
    );
  } else {
    outcome.push(when(expr(`${strVar(Vars.shieldVerdict)} == "unavailable"`), setVariable(Vars.decision, "allow:prompt-shield-unavailable")));
  }
  return {
    id: "promptShields",
    section: "inbound",
    controls: [20],
    nodes: [
      choose(
        when(
          expr(`${strVar(Vars.method)} == "tools/call"`),
          setVariable(Vars.shieldBodies, block(collect)),
          refuseWhen(s, expr(`${bodies}.Count > ${n}`), {
            status: 413,
            code: RpcErrors.tooLarge,
            message: "Tool arguments too large to screen.",
            decision: "deny:prompt-shield-size",
          }),
          el("wait", { for: "all" }, ...sends),
          setVariable(Vars.shieldVerdict, block(verdict)),
          choose(...outcome),
        ),
      ),
    ],
  };
}
