import type { Element } from "@xmldom/xmldom";
import {
  BANNER_HEADERS,
  buildMcpApiPolicy,
  buildPrmPolicy,
  buildRefusalFragment,
  CLIENT_IDENTITY_HEADERS,
  mcpApiFragments,
  mcpNamedValues,
  REASON_PHRASES,
  SECURITY_HEADERS,
  Vars,
} from "../../../infra/gateway/policy";
import { childElements, namedValueReferences, textOf } from "../../support/apim/xml";
import { all, attr, CLIENT_ID, descendants, GATEWAY_UAI, only, parse, parseChallenge, refusal, refusalAt, RESOURCE, section, settings, TENANT } from "./fixtures";

const s = settings();
const xml = buildMcpApiPolicy(s);
const doc = parse(xml);
const inbound = section(doc, "inbound");
const outbound = section(doc, "outbound");
const onError = section(doc, "on-error");
const refusalXml = buildRefusalFragment();
const refusalDoc = parse(refusalXml);
const PRM = "https://mcp.contoso.com/.well-known/oauth-protected-resource/weather";

/** The rate-limit-by-key whose counter key starts with `mcp:weather:<kind>:`. */
function rateLimit(root: Element, kind: string): Element {
  return only(root, "rate-limit-by-key", (e) => attr(e, "counter-key").includes(`"mcp:weather:${kind}:"`));
}

function position(root: Element, e: Element): number {
  return descendants(root).indexOf(e);
}

describe("MCP API policy document", () => {
  it("is deterministic", () => {
    expect(buildMcpApiPolicy(settings())).toBe(xml);
  });

  it("has the four sections; backend does not inherit (own unbuffered forward-request)", () => {
    expect(childElements(doc.documentElement!).map((e) => e.tagName)).toEqual(["inbound", "backend", "outbound", "on-error"]);
    for (const name of ["inbound", "outbound", "on-error"]) expect(childElements(section(doc, name))[0]!.tagName).toBe("base");
    const backend = childElements(section(doc, "backend"));
    expect(backend.map((e) => e.tagName)).toEqual(["forward-request"]);
    expect(attr(backend[0]!, "buffer-response")).toBe("false");
    expect(attr(backend[0]!, "follow-redirects")).toBe("false");
  });

  it("orders the inbound controls as designed", () => {
    expect(mcpApiFragments(s).filter((f) => f.section === "inbound").map((f) => f.id)).toEqual([
      "declareServer",
      "refuseQueryString",
      "enforceOrigin",
      "enforceHttpMethod",
      "checkRequestHeaders",
      "enforceProtocolVersion",
      "validateToken",
      "limitCallerAndClientApp",
      "parseJsonRpc",
      "enforceJsonRpc",
      "checkMcpHeaders",
      "authorizeTool",
      "bindSession",
      "limitCallerTool",
      "promptShields",
      "stripOverrideHeaders",
      "forwardIdentity",
    ]);
    const order = [
      refusal(inbound, "deny:query-string").when,
      refusal(inbound, "deny:origin").when,
      refusal(inbound, "deny:http-method").when,
      refusal(inbound, "deny:no-token").when,
      only(inbound, "validate-jwt"),
      rateLimit(inbound, "caller"),
      only(inbound, "set-variable", (e) => attr(e, "name") === "mcpRpc"),
      refusal(inbound, "deny:batch").when,
      refusal(inbound, "deny:header-mismatch").when,
      refusal(inbound, "deny:tool-scope").when,
      only(inbound, "cache-lookup-value"),
      rateLimit(inbound, "tool"),
      only(inbound, "wait"),
      only(inbound, "set-header", (e) => attr(e, "name") === "Authorization"),
      only(inbound, "set-backend-service"),
    ].map((e) => position(inbound, e));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
  });

  it("refuses any query string with 400 (parsed parameters or the raw query)", () => {
    const r = refusal(inbound, "deny:query-string");
    expect(r.status).toBe(400);
    expect(attr(r.when, "condition")).toBe("@(context.Request.Url.Query.Count > 0 || context.Request.Url.QueryString.Length > 0)");
  });

  it("refuses a present, non-allowlisted Origin with 403, reading the allowlist from a named value", () => {
    const r = refusal(inbound, "deny:origin");
    expect(r.status).toBe(403);
    expect(namedValueReferences(attr(r.when, "condition"))).toEqual(["mcp-weather-origins"]);
  });

  it("answers CORS preflights only when enabled, first control in inbound, for the allowlisted origins, without credentials", () => {
    expect(all(doc, "cors")).toHaveLength(0);
    const d = parse(buildMcpApiPolicy(settings({ allowedOrigins: ["https://app.contoso.com"], enableCors: true })));
    // <base/>, then the server's name for the audit (no control), then CORS.
    const [, declared, session, first] = childElements(section(d, "inbound"));
    expect({ tag: declared!.tagName, name: attr(declared!, "name"), value: attr(declared!, "value") }).toEqual({ tag: "set-variable", name: "mcpServer", value: "weather" });
    expect({ tag: session!.tagName, name: attr(session!, "name") }).toEqual({ tag: "set-variable", name: Vars.sessionId });
    expect(first!.tagName).toBe("cors");
    expect(attr(first!, "allow-credentials")).toBe("false");
    expect(attr(first!, "terminate-unmatched-request")).toBe("false");
    expect(all(first, "origin").map(textOf)).toEqual(["https://app.contoso.com"]);
    expect(all(first, "method").map(textOf)).toEqual(["POST", "GET", "DELETE"]);
    expect(all(only(first, "expose-headers"), "header").map(textOf)).toContain("Mcp-Session-Id");
    expect(all(only(first, "allowed-headers"), "header").map(textOf)).toContain("Authorization");
  });

  it("answers other HTTP methods with 405 and Allow", () => {
    const r = refusal(inbound, "deny:http-method");
    expect(r.status).toBe(405);
    expect(r.headers.Allow).toBe("POST, GET, DELETE");
    expect(refusal(inbound, "deny:protocol-version").status).toBe(400);
    expect(refusal(inbound, "deny:protocol-version-missing").status).toBe(400);
  });

  it("refuses a body on GET/DELETE (it would reach the backend unchecked)", () => {
    const r = refusal(inbound, "deny:unexpected-body");
    expect(r.status).toBe(400);
    expect(attr(r.when, "condition")).toContain('"Transfer-Encoding"');
    expect(attr(r.when, "condition")).toContain('"Content-Length"');
  });

  it("never lets a backend challenge through; a backend 401 (gateway credential refused) becomes 502", () => {
    const del = only(outbound, "set-header", (e) => attr(e, "name") === "WWW-Authenticate");
    expect(attr(del, "exists-action")).toBe("delete");
    const r = refusal(outbound, "error:backend-auth");
    expect(r.status).toBe(502);
    expect(attr(r.when, "condition")).toBe("@(context.Response.StatusCode == 401)");
    expect(position(outbound, r.when)).toBeLessThan(position(outbound, all(outbound, "cache-store-value")[0]!));
  });

  it("keeps metric dimensions bounded: tool names only after the approved-tool lookup", () => {
    for (const m of all(doc, "emit-metric").filter((e) => attr(e, "name") === "mcp-gateway-requests")) {
      const tool = only(m, "dimension", (d) => attr(d, "name") === "tool");
      expect(attr(tool, "value")).toContain('"mcpToolDecision"');
      expect(attr(tool, "value")).toContain('"(unchecked)"');
    }
  });

  it("challenges a request without a token with 401, PRM URL and minimal scopes (no error param)", () => {
    const r = refusal(inbound, "deny:no-token");
    expect(r.status).toBe(401);
    expect(parseChallenge(r.headers["WWW-Authenticate"]!)).toEqual({ resource_metadata: PRM, scope: `${RESOURCE}/tools.read` });
  });

  it("answers a failed validation (on-error) with 401 error=invalid_token", () => {
    const r = refusal(onError, "deny:invalid-token");
    expect(r.status).toBe(401);
    expect(attr(r.when, "condition")).toContain('"validate-jwt"');
    expect(parseChallenge(r.headers["WWW-Authenticate"]!)).toEqual({ error: "invalid_token", resource_metadata: PRM, scope: `${RESOURCE}/tools.read` });
  });

  it("validates the JWT against the pinned tenant, both audience forms, small skew, into a variable", () => {
    const v = only(inbound, "validate-jwt");
    expect(attr(v, "clock-skew")).toBe("60");
    expect(attr(v, "require-scheme")).toBe("Bearer");
    expect(attr(v, "require-signed-tokens")).toBe("true");
    expect(attr(v, "require-expiration-time")).toBe("true");
    expect(attr(v, "output-token-variable-name")).toBe("mcpToken");
    expect(childElements(v).map((e) => e.tagName)).toEqual(["openid-config", "audiences", "issuers", "required-claims"]);
    expect(attr(only(v, "openid-config"), "url")).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`);
    // v2 only (default): Entra v2 access tokens carry the client id as aud, never the identifier URI.
    expect(all(v, "audience").map(textOf)).toEqual([CLIENT_ID]);
    expect(all(v, "issuer").map(textOf)).toEqual([`https://login.microsoftonline.com/${TENANT}/v2.0`]);
    expect(attr(only(v, "claim"), "name")).toBe("tid");
    expect(textOf(only(v, "value"))).toBe(TENANT);
    expect(xml).not.toMatch(/\/(common|organizations|consumers)\//);
  });

  it("refuses a validated token without an object id or client app (e.g. an ID token) with 401 invalid_token", () => {
    const r = refusal(inbound, "deny:token-subject");
    expect(r.status).toBe(401);
    expect(attr(r.when, "condition")).toContain('"mcpCaller"');
    expect(attr(r.when, "condition")).toContain('"mcpClientApp"');
    expect(parseChallenge(r.headers["WWW-Authenticate"]!).error).toBe("invalid_token");
    expect(position(inbound, r.when)).toBeGreaterThan(position(inbound, only(inbound, "validate-jwt")));
  });

  it("pins the v1 issuer only when v1 tokens are accepted, and allowlists client apps when configured", () => {
    const d = parse(buildMcpApiPolicy(settings({ acceptedTokenVersions: [1, 2], audiences: [RESOURCE, CLIENT_ID], allowedClientAppIds: ["12345678-1234-1234-1234-123456789012"] })));
    expect(all(d, "issuer").map(textOf)).toEqual([`https://sts.windows.net/${TENANT}/`, `https://login.microsoftonline.com/${TENANT}/v2.0`]);
    const r = refusal(d.documentElement!, "deny:client-app");
    expect(r.status).toBe(403);
    expect(attr(r.when, "condition")).toContain('"12345678-1234-1234-1234-123456789012"');
    expect(() => refusal(inbound, "deny:client-app")).toThrow();
  });

  it("reads the body once, preserving it, and enforces JSON-RPC shape and size", () => {
    const reads = all(doc, "set-variable").filter((e) => attr(e, "value").includes("Request.Body"));
    expect(reads.map((e) => attr(e, "name"))).toEqual(["mcpRpc"]);
    expect(attr(reads[0]!, "value")).toContain("Body.As<string>(preserveContent: true)");
    expect(refusal(inbound, "deny:body-size").status).toBe(413);
    expect(refusal(inbound, "deny:batch").status).toBe(400);
    expect(refusal(inbound, "deny:parse").body.error.code).toBe(-32700);
    expect(refusal(inbound, "deny:invalid").status).toBe(400);
    const methodRefusals = all(inbound, "set-variable").filter((e) => attr(e, "value") === "deny:method");
    expect(methodRefusals).toHaveLength(2);
  });

  it("checks Mcp-Method/Mcp-Name against the body: 400 with -32020", () => {
    const r = refusal(inbound, "deny:header-mismatch");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(-32020);
  });

  it("authorizes tools/call per tool: unknown 403, a missing scope 403 with an insufficient_scope challenge, a missing role 403 without one", () => {
    expect(refusal(inbound, "deny:tool-unknown").status).toBe(403);
    const role = refusal(inbound, "deny:tool-role");
    expect(role.status).toBe(403);
    expect(role.headers["WWW-Authenticate"]).toBeUndefined();
    const r = refusal(inbound, "deny:tool-scope");
    expect(r.status).toBe(403);
    expect(r.headers["WWW-Authenticate"]).toMatch(/^@\{/);
    expect(r.headers["WWW-Authenticate"]).toContain("insufficient_scope");
    expect(namedValueReferences(r.headers["WWW-Authenticate"]!)).toEqual(["mcp-weather-tools"]);
    const baseline = refusal(inbound, "deny:baseline-scope");
    expect(parseChallenge(baseline.headers["WWW-Authenticate"]!)).toEqual({ error: "insufficient_scope", scope: `${RESOURCE}/tools.read`, resource_metadata: PRM });
  });

  it("binds sessions to the validated caller: lookup, 404, DELETE eviction, store on initialize with TTL", () => {
    const lookup = only(inbound, "cache-lookup-value");
    expect(attr(lookup, "key")).toContain('"mcp-session:weather:"');
    expect(attr(lookup, "caching-type")).toBe("prefer-external");
    expect(refusal(inbound, "deny:session").status).toBe(404);
    expect(refusal(inbound, "deny:session-malformed").status).toBe(404);
    const remove = only(inbound, "cache-remove-value");
    expect(attr(remove.parentNode as Element, "condition")).toContain('"DELETE"');
    // The policy reference allows one cache-store-value per section: inbound slides the binding, outbound stores
    // the new binding of initialize (or a definition verdict) through mcpCacheKey/mcpCacheValue.
    const slide = only(inbound, "cache-store-value");
    expect(attr(slide, "duration")).toBe("{{mcp-weather-session-ttl}}");
    expect(attr(slide, "value")).toContain('"mcpCaller"');
    const store = only(outbound, "cache-store-value");
    expect(attr(store, "key")).toContain('"mcpCacheKey"');
    expect(attr(store, "duration")).toContain('"{{mcp-weather-session-ttl}}"');
    const bind = all(outbound, "set-variable").filter((e) => attr(e, "name") === "mcpCacheValue" && attr(e, "value").includes('"mcpCaller"'));
    expect(bind).toHaveLength(1);
    expect(attr(bind[0]!.parentNode as Element, "condition")).toContain('"initialize"');
    // the caller key comes from the validated token only
    const caller = only(inbound, "set-variable", (e) => attr(e, "name") === "mcpCaller");
    expect(attr(caller, "value")).toContain('GetValueOrDefault<Jwt>("mcpToken")');
    expect(attr(caller, "value")).not.toContain("Headers");
    // Response bodies are read only by the two controls that must (tools/list definitions, tool results).
    expect(all(outbound, "set-variable").filter((e) => attr(e, "value").includes("Response.Body")).map((e) => attr(e, "name")).sort()).toEqual(["mcpResultBodies", "mcpToolList"]);
  });

  it("rate-limits per caller, per caller+tool and per client app (v2 tier: no quota-by-key), from named values", () => {
    const caller = rateLimit(inbound, "caller");
    const tool = rateLimit(inbound, "tool");
    const app = rateLimit(inbound, "app-caller");
    expect(attr(caller, "calls")).toBe("{{mcp-weather-rl-caller-calls}}");
    expect(attr(caller, "renewal-period")).toBe("{{mcp-weather-rl-caller-period}}");
    expect(attr(tool, "calls")).toBe("{{mcp-weather-rl-tool-calls}}");
    expect(attr(tool.parentNode as Element, "condition")).toContain('"tools/call"');
    expect(attr(app, "calls")).toBe("{{mcp-weather-quota-calls}}");
    // One bucket per caller within the client application, not one for all of the client's users.
    expect(attr(app, "counter-key")).toBe('@("mcp:weather:app-caller:" + context.Variables.GetValueOrDefault<string>("mcpClientApp", "") + "/" + context.Variables.GetValueOrDefault<string>("mcpCaller", ""))');
    for (const rl of [caller, tool, app]) expect(attr(rl, "retry-after-variable-name")).toBe("mcpRetryAfter");
    expect(all(doc, "quota-by-key")).toHaveLength(0);
    const limited = refusal(onError, "deny:rate-limit");
    expect(limited.status).toBe(429);
    expect(limited.headers["Retry-After"]).toContain('"mcpRetryAfter"');
    expect(refusal(onError, "deny:quota").status).toBe(429);
  });

  it("uses quota-by-key per client app on classic tiers", () => {
    const classic = parse(buildMcpApiPolicy(settings({ gatewayTierFamily: "classic", clientAppQuota: { calls: 100000, renewalPeriodSeconds: 86400 } })));
    const quota = only(classic.documentElement!, "quota-by-key");
    expect(attr(quota, "calls")).toBe("{{mcp-weather-quota-calls}}");
    expect(attr(quota, "renewal-period")).toBe("{{mcp-weather-quota-period}}");
    expect(attr(quota, "counter-key")).toContain('"mcp:weather:app-caller:"');
    expect(all(classic, "rate-limit-by-key")).toHaveLength(2);
  });

  it("keys the client-app limit by the client alone only with the named weakening sharedClientAppQuota", () => {
    const shared = parse(buildMcpApiPolicy(settings({ sharedClientAppQuota: true })));
    const app = rateLimit(shared.documentElement!, "app");
    expect(attr(app, "counter-key")).toBe('@("mcp:weather:app:" + context.Variables.GetValueOrDefault<string>("mcpClientApp", ""))');
    expect(all(shared, "rate-limit-by-key").filter((e) => attr(e, "counter-key").includes("app-caller"))).toHaveLength(0);
  });

  it("prefixes advertised scopes with the Application ID URI when it differs from the resource", () => {
    const api = settings({ applicationIdUri: "api://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" });
    const r = refusal(parse(buildMcpApiPolicy(api)).documentElement!, "deny:no-token");
    expect(parseChallenge(r.headers["WWW-Authenticate"]!).scope).toBe("api://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/tools.read");
    expect(JSON.parse(textOf(all(parse(buildPrmPolicy(api)), "set-body")[0]!)).scopes_supported).toEqual(["api://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/tools.read"]);
  });

  it("screens tools/call arguments with Prompt Shields: bounded parallel calls, managed identity, fail closed", () => {
    const wait = only(inbound, "wait");
    expect(attr(wait, "for")).toBe("all");
    const sends = all(wait, "send-request");
    expect(sends).toHaveLength(s.contentSafety.maxRequests);
    sends.forEach((sr, i) => {
      expect(attr(sr, "response-variable-name")).toBe(`mcpShield${i}`);
      expect(attr(sr, "ignore-error")).toBe("true");
      expect(attr(sr, "timeout")).toBe("5");
      expect(textOf(only(sr, "set-url"))).toBe("https://cs-mcp.cognitiveservices.azure.com/contentsafety/text:shieldPrompt?api-version=2024-09-01");
      expect(textOf(only(sr, "set-method"))).toBe("POST");
      const mi = only(sr, "authentication-managed-identity");
      expect(attr(mi, "resource")).toBe("https://cognitiveservices.azure.com");
      expect(attr(mi, "client-id")).toBe(GATEWAY_UAI);
    });
    expect(refusal(inbound, "deny:prompt-shield").status).toBe(400);
    expect(refusal(inbound, "deny:prompt-shield-size").status).toBe(413);
    expect(refusal(inbound, "deny:prompt-shield-unavailable").status).toBe(503);
  });

  it("fails open only when asked, and drops the screening only when disabled", () => {
    const open = parse(buildMcpApiPolicy(settings({ contentSafety: { endpoint: "https://cs.cognitiveservices.azure.com", failOpen: true } })));
    expect(() => refusal(open.documentElement!, "deny:prompt-shield-unavailable")).toThrow();
    expect(all(open, "set-variable").some((e) => attr(e, "value") === "allow:prompt-shield-unavailable")).toBe(true);
    const off = parse(buildMcpApiPolicy(settings({ contentSafety: { enabled: false } })));
    expect(all(off, "send-request")).toHaveLength(0);
  });

  it("never passes the client token through: strips identity headers, then managed identity to the backend", () => {
    const fwd = childElements(inbound).slice(-(CLIENT_IDENTITY_HEADERS.length + 8));
    const deleted = fwd.filter((e) => e.tagName === "set-header" && attr(e, "exists-action") === "delete").map((e) => attr(e, "name"));
    expect(deleted).toEqual(["Authorization", ...CLIENT_IDENTITY_HEADERS]);
    for (const h of ["X-MS-CLIENT-PRINCIPAL-ID", "X-MCP-Caller-Oid", "Cookie", "Ocp-Apim-Subscription-Key"]) expect(CLIENT_IDENTITY_HEADERS).toContain(h);
    const set = fwd.filter((e) => e.tagName === "set-header" && attr(e, "exists-action") === "override");
    for (const h of set) {
      expect(position(inbound, h)).toBeGreaterThan(position(inbound, only(inbound, "set-header", (e) => attr(e, "name") === h.getAttribute("name") && attr(e, "exists-action") === "delete")));
      expect(textOf(childElements(h)[0]!)).not.toContain("Request.Headers");
    }
    const mi = childElements(inbound).find((e) => e.tagName === "authentication-managed-identity")!;
    expect(attr(mi, "resource")).toBe("api://weather-backend");
    expect(attr(mi, "client-id")).toBe(GATEWAY_UAI);
    expect(position(inbound, mi)).toBeGreaterThan(position(inbound, fwd[0]!));
    expect(attr(only(inbound, "set-backend-service"), "backend-id")).toBe("weather-backend");
  });

  it("sets security headers and removes banners on responses; audits every call without argument values", () => {
    const out = childElements(outbound);
    for (const b of BANNER_HEADERS) expect(out.some((e) => e.tagName === "set-header" && attr(e, "name") === b && attr(e, "exists-action") === "delete")).toBe(true);
    for (const h of SECURITY_HEADERS) expect(out.some((e) => e.tagName === "set-header" && attr(e, "name") === h.name && textOf(childElements(e)[0]!) === h.value)).toBe(true);
    // One audit record of its own (outbound); refusals audit through the shared fragment they include.
    expect(all(doc, "trace")).toHaveLength(1);
    // The audit metric, and the drift metric of tools/list (control 34).
    expect(all(doc, "emit-metric").map((m) => attr(m, "name"))).toEqual(["mcp-tool-drift", "mcp-gateway-requests"]);
    expect(all(doc, "return-response")).toHaveLength(0);
    for (const t of [...all(doc, "trace"), ...all(refusalDoc, "trace")]) {
      const msg = textOf(only(t, "message"));
      expect(msg).toContain("context.Elapsed");
      expect(msg).toContain('"mcpServer"');
      expect(msg).not.toMatch(/arguments|Authorization|Body/);
    }
  });

  it("makes every refusal site name its status, JSON-RPC code and message, then include the shared refusal fragment", () => {
    const includes = all(doc, "include-fragment");
    const decisions = all(doc, "set-variable").filter((e) => attr(e, "name") === Vars.decision && /^(deny|error):/.test(attr(e, "value")));
    expect(includes.length).toBeGreaterThanOrEqual(25);
    expect(includes.length).toBe(decisions.length);
    for (const d of decisions) {
      const r = refusalAt(d);
      expect(Object.keys(REASON_PHRASES)).toContain(String(r.status));
      expect(Number.isInteger(r.body.error.code) && r.body.error.code < 0).toBe(true);
      expect(r.body.error.message).toMatch(/^[A-Z][A-Za-z0-9 ;,.'/-]+\.$/);
      expect(r.body.error.message).not.toMatch(/policy|jwt|validate|apim|backend-id|cognitive/i);
    }
  });

  it("references only its own named values, and no stray named-value braces", () => {
    const names = mcpNamedValues(s).map((v) => v.displayName);
    const refs = namedValueReferences(xml);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(names).toContain(r);
    expect(xml.replace(/\{\{mcp-weather-[a-z-]+\}\}/g, "")).not.toMatch(/\{\{|\}\}/);
    expect(mcpNamedValues(s).every((v) => v.secret === false && v.value.length > 0)).toBe(true);
  });

  it("stays well under APIM's policy document size limit", () => {
    // Refusals are a few variables each; the shared refusal fragment holds the response once.
    // Three screening sites (request, definitions, results) each emit maxRequests guarded calls.
    expect(Buffer.byteLength(xml)).toBeLessThan(96 * 1024);
    expect(Buffer.byteLength(buildMcpApiPolicy(settings({ contentSafety: { endpoint: "https://cs.cognitiveservices.azure.com", maxRequests: 10 } })))).toBeLessThan(128 * 1024);
  });
});
