/**
 * Prompt Shields calls shared by every screening site (request arguments, client responses, tool definitions, tool
 * results): text becomes overlapping 10,000-character documents, one per shieldPrompt call (a call's documents
 * share one 10,000-character budget); the calls run in parallel inside `<wait for="all">` (policies cannot loop,
 * so `maxRequests` guarded send-requests are emitted); the verdict is `attack`, `unavailable` or `clean`.
 */
import { el, type PolicyElement } from "./xml";
import type { McpPolicySettings } from "./settings";
import { PROMPT_SHIELDS_LIMITS } from "./settings";
import { csString, expr } from "./expressions";
import { choose, setHeader, when } from "./elements";

const COGNITIVE_SERVICES_RESOURCE = "https://cognitiveservices.azure.com";
const PROMPT_SHIELDS_PATH = "/contentsafety/text:shieldPrompt?api-version=2024-09-01";

/**
 * Characters consecutive documents share. An injection shorter than this lies wholly inside one document wherever
 * the cut falls (a cut at a fixed offset would otherwise screen it as two harmless halves).
 */
export const SHIELD_OVERLAP_CHARS = 2_000;
/** How far each document starts after the previous one. */
export const SHIELD_STEP_CHARS = PROMPT_SHIELDS_LIMITS.maxTotalChars - SHIELD_OVERLAP_CHARS;

/** The longest text `maxRequests` calls can screen. */
export function shieldCapacity(s: McpPolicySettings): number {
  return PROMPT_SHIELDS_LIMITS.maxTotalChars + (s.contentSafety.maxRequests - 1) * SHIELD_STEP_CHARS;
}

/**
 * C# statements turning `lines` (a List<string>) into `bodies`, a JArray of shieldPrompt request bodies (set-variable
 * only accepts documented types: a JArray, not string[]).
 */
export const LINES_TO_BODIES = [
  `var bodies = new JArray(); string text = string.Join("\\n", lines);`,
  `for (int i = 0; i < text.Length; i += ${SHIELD_STEP_CHARS}) {`,
  `  bodies.Add(new JObject(new JProperty("documents", new JArray(text.Substring(i, Math.Min(${PROMPT_SHIELDS_LIMITS.maxTotalChars}, text.Length - i))))).ToString(Newtonsoft.Json.Formatting.None));`,
  `  if (i + ${PROMPT_SHIELDS_LIMITS.maxTotalChars} >= text.Length) { break; } }`,
].join(" ");

/**
 * C# statements adding the screenable text of `root` (a JToken) to `lines`: `key: value` lines (property names are
 * attacker text too; a name with a container value is a `key:` line; string array items are lines of their own).
 */
export function collectTextCode(root: string): string {
  return [
    `if (${root} != null && ${root}.Type == JTokenType.String) { lines.Add((string)${root}); }`,
    `JContainer container = ${root} as JContainer;`,
    `if (container != null) { foreach (JToken t in container.Descendants()) {`,
    `  JProperty prop = t as JProperty;`,
    `  if (prop != null) { JValue v = prop.Value as JValue; lines.Add(v == null ? prop.Name + ":" : (v.Type == JTokenType.Null ? prop.Name + ": null" : prop.Name + ": " + (v.Type == JTokenType.String ? (string)v : v.ToString(Newtonsoft.Json.Formatting.None)))); }`,
    `  else if (t.Type == JTokenType.String && t.Parent is JArray) { lines.Add((string)t); } } }`,
  ].join(" ");
}

/** The guarded, parallel shieldPrompt calls for the bodies in JArray variable `bodiesVar`; answers land in `<prefix><i>`. */
export function shieldCallNodes(s: McpPolicySettings, bodiesVar: string, responsePrefix: string): PolicyElement {
  const bodies = `context.Variables.GetValueOrDefault<JArray>(${csString(bodiesVar)})`;
  const sends = Array.from({ length: s.contentSafety.maxRequests }, (_, i) =>
    choose(
      when(
        expr(`${bodies}.Count > ${i}`),
        el(
          "send-request",
          { mode: "new", "response-variable-name": `${responsePrefix}${i}`, timeout: s.contentSafety.timeoutSeconds, "ignore-error": true },
          el("set-url", {}, `${s.contentSafety.endpoint}${PROMPT_SHIELDS_PATH}`),
          el("set-method", {}, "POST"),
          setHeader("Content-Type", "application/json"),
          el("set-body", {}, expr(`(string)${bodies}[${i}]`)),
          el("authentication-managed-identity", { resource: COGNITIVE_SERVICES_RESOURCE, "client-id": s.backend.gatewayIdentityClientId }),
        ),
      ),
    ),
  );
  return el("wait", { for: "all" }, ...sends);
}

/** C# returning "attack", "unavailable" (missing, non-200 or malformed answer) or "clean". */
export function shieldVerdictCode(bodiesVar: string, responsePrefix: string): string {
  return [
    `JArray bodies = context.Variables.GetValueOrDefault<JArray>(${csString(bodiesVar)}); bool attack = false; bool unavailable = false;`,
    `for (int i = 0; i < bodies.Count; i++) {`,
    `  var r = context.Variables.GetValueOrDefault<IResponse>(${csString(responsePrefix)} + i);`,
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
}
