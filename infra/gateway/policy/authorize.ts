/** Authorization per tool, session binding and the per-tool limit. */
import { el } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, strVar, Vars } from "./expressions";
import { namedValueRef } from "./namedValues";
import { choose, setVariable, when } from "./elements";
import { fullScopes, refuse, refuseWhen, RpcErrors } from "./respond";

function toolEntryCode(s: McpPolicySettings): string {
  return [
    `string tool = ${strVar(Vars.tool)}; string map = ${csString(namedValueRef(s.serverName, "tools"))};`,
    `string[] needScopes = new string[0]; string[] needRoles = new string[0]; bool known = false;`,
    `if (tool != "" && tool.IndexOf(';') < 0 && tool.IndexOf('=') < 0 && tool.IndexOf('|') < 0) {`,
    `  int at = map.IndexOf(";" + tool + "=");`,
    `  if (at >= 0) { int start = at + tool.Length + 2; string[] parts = map.Substring(start, map.IndexOf(';', start) - start).Split('|');`,
    `    needScopes = parts[0].Split(new char[] { ',' }, StringSplitOptions.RemoveEmptyEntries);`,
    `    needRoles = parts[1].Split(new char[] { ',' }, StringSplitOptions.RemoveEmptyEntries); known = true; }`,
    `}`,
  ].join(" ");
}

/** C# statements defining `callerScopes` / `callerRoles` from the validated token. */
const CALLER_PERMISSIONS_CODE = [
  `var jwt = context.Variables.GetValueOrDefault<Jwt>(${csString(Vars.token)});`,
  `string[] callerScopes = jwt.Claims.GetValueOrDefault("scp", "").Split(new char[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);`,
  `string[] callerRoles = jwt.Claims.ContainsKey("roles") ? jwt.Claims["roles"] : new string[0];`,
].join(" ");

/**
 * Controls 7, 8, 33: every request needs a baseline permission (a baseline scope, or an app role some approved tool
 * accepts: app-only tokens carry no scopes, and Entra issues tokens without roles to any app in the tenant unless
 * assignment is required). `tools/call` needs an approved tool and one of ITS scopes/roles; otherwise 403: with an
 * `insufficient_scope` challenge naming only that tool's scopes when a scope would open it and the token is
 * delegated (step-up, not the full catalogue), without any challenge when only an app role would (`deny:tool-role`).
 */
export function authorizeTool(s: McpPolicySettings): PolicyFragment {
  const baselineScopes = s.scopes;
  const baselineRoles = [...new Set(s.tools.flatMap((t) => t.roles))].sort();
  const arr = (xs: readonly string[]): string => `new string[] { ${xs.map(csString).join(", ")} }`;
  const resourcePrefix = csString(`${s.applicationIdUri}/`);
  const challenge = block(
    [
      toolEntryCode(s),
      `string scopes = string.Join(" ", needScopes.Select(x => ${resourcePrefix} + x));`,
      `return "Bearer error=\\"insufficient_scope\\", " + (scopes != "" ? "scope=\\"" + scopes + "\\", " : "") + ${csString(`resource_metadata="${s.prmUrl}"`)};`,
    ].join(" "),
  );
  return {
    id: "authorizeTool",
    section: "inbound",
    controls: [7, 8, 33],
    nodes: [
      refuseWhen(s, block(`${CALLER_PERMISSIONS_CODE} return !(callerScopes.Intersect(${arr(baselineScopes)}).Any() || callerRoles.Intersect(${arr(baselineRoles)}).Any());`),
        {
          status: 403,
          code: RpcErrors.forbidden,
          message: "Insufficient scope.",
          decision: "deny:baseline-scope",
          headers: [
              {
                name: "WWW-Authenticate",
                value: `Bearer error="insufficient_scope", scope="${fullScopes(s, s.scopes).join(" ")}", resource_metadata="${s.prmUrl}"`,
              },
            ],
        },
      ),
      setVariable(
        Vars.toolDecision,
        block(
          [
            `if (${strVar(Vars.method)} != "tools/call") { return "n/a"; }`,
            toolEntryCode(s),
            `if (!known) { return "unknown"; }`,
            CALLER_PERMISSIONS_CODE,
            `return (callerScopes.Intersect(needScopes).Any() || callerRoles.Intersect(needRoles).Any()) ? "allow" : "insufficient";`,
          ].join(" "),
        ),
      ),
      choose(
        when(
          expr(`${strVar(Vars.toolDecision)} == "unknown"`),
          // The requested name is attacker-chosen: keep it out of logs and metric dimensions.
          setVariable(Vars.tool, "(unapproved)"),
          ...refuse(s, { status: 403, code: RpcErrors.forbidden, message: "Tool not permitted.", decision: "deny:tool-unknown" }),
        ),
        when(
          expr(`${strVar(Vars.toolDecision)} == "insufficient"`),
          choose(
            // A scope the tool accepts and a delegated token: the client can step up (MCP authorization, "Scope
            // Challenge Handling"; RFC 6750 §3.1 insufficient_scope with the scope needed).
            when(
              block(`${toolEntryCode(s)} ${CALLER_PERMISSIONS_CODE} return needScopes.Length > 0 && callerScopes.Length > 0;`),
              ...refuse(s, {
                status: 403,
                code: RpcErrors.forbidden,
                message: "Insufficient scope for this tool.",
                decision: "deny:tool-scope",
                headers: [{ name: "WWW-Authenticate", value: challenge }],
              }),
            ),
            // Only an app role opens the tool (or the token is app-only): roles are assignments, not scopes a client
            // can request, so a challenge would only send it round a sign-in loop. A plain 403, no WWW-Authenticate.
            el(
              "otherwise",
              {},
              ...refuse(s, { status: 403, code: RpcErrors.forbidden, message: "This tool needs an app role assignment the caller does not have.", decision: "deny:tool-role" }),
            ),
          ),
        ),
      ),
    ],
  };
}

/** Cache key of a session binding. */
export function sessionCacheKeyPrefix(s: McpPolicySettings): string {
  return `mcp-session:${s.serverName}:`;
}

/**
 * Controls 16, 18: a request carrying Mcp-Session-Id must come from the principal (tid:oid of the VALIDATED token)
 * that created the session; unknown, expired, malformed or someone else's -> 404 (the spec's "start a new
 * session" signal, which reveals nothing about other callers' sessions). DELETE evicts the binding after the check.
 */
export function bindSession(s: McpPolicySettings): PolicyFragment {
  const key = expr(`${csString(sessionCacheKeyPrefix(s))} + ${strVar(Vars.sessionId)}`);
  const notFound = refuse(s, { status: 404, code: RpcErrors.sessionNotFound, message: "Session not found.", decision: "deny:session" });
  return {
    id: "bindSession",
    section: "inbound",
    controls: [16, 18],
    nodes: [
      // Vars.sessionId was set from the Mcp-Session-Id header by declareServer.
      choose(
        when(
          expr(`${strVar(Vars.sessionId)} != ""`),
          refuseWhen(s, expr(`!Regex.IsMatch(${strVar(Vars.sessionId)}, @"^[\\x21-\\x7E]{1,256}\\z")`), {
            status: 404,
            code: RpcErrors.sessionNotFound,
            message: "Session not found.",
            decision: "deny:session-malformed",
          }),
          el("cache-lookup-value", { key, "variable-name": Vars.sessionOwner, "default-value": "", "caching-type": s.sessionCachingType }),
          choose(when(expr(`${strVar(Vars.sessionOwner)} == "" || ${strVar(Vars.sessionOwner)} != ${strVar(Vars.caller)}`), ...notFound)),
          // DELETE evicts the binding; any other use slides its TTL (inbound's one cache store).
          choose(
            when(expr(`context.Request.Method == "DELETE"`), el("cache-remove-value", { key, "caching-type": s.sessionCachingType })),
            el("otherwise", {}, el("cache-store-value", { key, value: expr(strVar(Vars.caller)), duration: namedValueRef(s.serverName, "sessionTtl"), "caching-type": s.sessionCachingType })),
          ),
        ),
      ),
    ],
  };
}

/** Control 19 (second half): per caller + tool limit on tools/call. */
export function limitCallerTool(s: McpPolicySettings): PolicyFragment {
  return {
    id: "limitCallerTool",
    section: "inbound",
    controls: [19],
    nodes: [
      choose(
        when(
          expr(`${strVar(Vars.method)} == "tools/call"`),
          el("rate-limit-by-key", {
            calls: namedValueRef(s.serverName, "toolCalls"),
            "renewal-period": namedValueRef(s.serverName, "toolPeriod"),
            "counter-key": expr(`${csString(`mcp:${s.serverName}:tool:`)} + ${strVar(Vars.caller)} + ":" + ${strVar(Vars.tool)}`),
            "retry-after-variable-name": Vars.retryAfter,
          }),
        ),
      ),
    ],
  };
}
