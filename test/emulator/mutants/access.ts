/**
 * Mutations of who may call what: token validation (audience, issuer, skew), sessions, the gateway's own credential
 * towards the backend, identity headers, Origin, tool approval and roles, Prompt Shields verdicts and the rate limits.
 */
import { CLIENT_APP, OTHER_CLIENT_APP } from "../fixture";
import { q, type Mutation } from "./mutation";

export const accessMutations: Mutation[] = [
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
    name: "drop the per-caller rate limit",
    edits: [{ find: /<rate-limit-by-key calls="\{\{mcp-weather-rl-caller-calls\}\}"[^>]*\/>/, replace: "" }],
    killedBy: ["rate limit per user: 429 with Retry-After while another user is unaffected, and it renews"],
  },
];
