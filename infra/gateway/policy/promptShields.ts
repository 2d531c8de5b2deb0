/** Prompt Shields on what the client sends (control 20): tools/call params and client responses. */
import type { PolicyElement } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, strVar, Vars } from "./expressions";
import { choose, setVariable, when } from "./elements";
import { refuse, refuseWhen, RpcErrors } from "./respond";
import { collectTextCode, LINES_TO_BODIES, shieldCallNodes, shieldVerdictCode } from "./shieldCalls";

/**
 * Control 20: Prompt Shields on the whole `params` of tools/call (name, arguments, `_meta` and any other member: a
 * backend may read them all) and on the `result` of a client response (sampling and elicitation answers carry
 * model output and user text back to the server). The text is `key: value` lines screened together, so an
 * injection spread over several fields is seen in context and many small arguments cost one call; it is cut into
 * overlapping 10,000-character documents, one per call (shieldCalls.ts). They are indirect input, so they are
 * screened as documents, not as the user prompt. Text longer than `maxRequests` calls can screen is refused with
 * 413 before any call. A missing, non-200 or malformed answer is "unavailable": 503 unless `failOpen`.
 */
export function promptShields(s: McpPolicySettings): PolicyFragment {
  const bodies = `context.Variables.GetValueOrDefault<JArray>(${csString(Vars.shieldBodies)})`;
  const collect = [
    `var env = context.Variables.GetValueOrDefault<JObject>(${csString(Vars.rpc)}); JObject msg = env["message"] as JObject;`,
    `JToken screened = msg == null ? null : (${strVar(Vars.method)} == "(response)" ? msg["result"] : msg["params"]);`,
    `var lines = new List<string>();`,
    collectTextCode("screened"),
    LINES_TO_BODIES,
    `return bodies;`,
  ].join(" ");
  const outcome: PolicyElement[] = [
    when(
      expr(`${strVar(Vars.shieldVerdict)} == "attack"`),
      ...refuse(s, { status: 400, code: RpcErrors.contentBlocked, message: "Request blocked by content safety.", decision: "deny:prompt-shield" }),
    ),
  ];
  outcome.push(
    s.contentSafety.failOpen
      ? when(expr(`${strVar(Vars.shieldVerdict)} == "unavailable"`), setVariable(Vars.decision, "allow:prompt-shield-unavailable"))
      : when(
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
  return {
    id: "promptShields",
    section: "inbound",
    controls: [20],
    nodes: [
      choose(
        when(
          expr(`${strVar(Vars.method)} == "tools/call" || ${strVar(Vars.method)} == "(response)"`),
          setVariable(Vars.shieldBodies, block(collect)),
          refuseWhen(s, expr(`${bodies}.Count > ${s.contentSafety.maxRequests}`), {
            status: 413,
            code: RpcErrors.tooLarge,
            message: "Tool arguments too large to screen.",
            decision: "deny:prompt-shield-size",
          }),
          // An empty client response (`"result":{}`) has nothing to screen.
          choose(
            when(
              expr(`${bodies}.Count > 0`),
              shieldCallNodes(s, Vars.shieldBodies, Vars.shieldResponse),
              setVariable(Vars.shieldVerdict, block(shieldVerdictCode(Vars.shieldBodies, Vars.shieldResponse))),
              choose(...outcome),
            ),
          ),
        ),
      ),
    ],
  };
}
