import {
  BANNER_HEADERS,
  buildGlobalPolicy,
  buildMcpApiPolicy,
  buildPrmPolicy,
  buildRefusalFragment,
  REASON_PHRASES,
  REFUSAL_FRAGMENT_ID,
  REFUSAL_HEADER_VARIABLES,
  SECURITY_HEADERS,
  Vars,
} from "../../../infra/gateway/policy";
import { childElements, textOf } from "../../support/apim/xml";
import { all, attr, CLIENT_ID, GATEWAY_UAI, only, parse, RESOURCE, section, settings, TENANT } from "./fixtures";

/** The gateway's documents other than a server's API policy: the refusal fragment, PRM and global policies. */
const s = settings();
const refusalXml = buildRefusalFragment();
const refusalDoc = parse(refusalXml);

describe("refusal fragment", () => {
  const root = refusalDoc.documentElement!;
  const rr = only(root, "return-response");
  const headers = all(rr, "set-header");

  it("is a bare <fragment> (no sections, no base), deterministic, within APIM's 32 KB fragment limit", () => {
    expect(root.tagName).toBe("fragment");
    for (const tag of ["inbound", "outbound", "on-error", "backend", "base", "include-fragment"]) expect(all(root, tag)).toHaveLength(0);
    expect(buildRefusalFragment()).toBe(refusalXml);
    expect(Buffer.byteLength(refusalXml)).toBeLessThan(32 * 1024);
    expect(REFUSAL_FRAGMENT_ID).toBe("mcp-refusal");
  });

  it("audits (one trace, one metric in the servers' namespace), then answers; status and reason from the site", () => {
    expect(childElements(root).map((e) => e.tagName)).toEqual(["trace", "emit-metric", "return-response"]);
    expect(attr(only(root, "emit-metric"), "namespace")).toBe("hardened-mcp");
    expect(attr(only(parse(buildRefusalFragment("contoso.mcp")).documentElement!, "emit-metric"), "namespace")).toBe("contoso.mcp");
    expect(() => buildRefusalFragment("{{secret}}")).toThrow(/metricNamespace/);
    const status = only(rr, "set-status");
    expect(attr(status, "code")).toContain(`"${Vars.refusalStatus}"`);
    for (const phrase of Object.values(REASON_PHRASES)) expect(attr(status, "reason")).toContain(`"${phrase}"`);
  });

  it("sets Content-Type and every security header (return-response skips outbound)", () => {
    const set = headers.filter((h) => attr(h, "exists-action") === "override").map((h) => [attr(h, "name"), textOf(only(h, "value"))]);
    expect(set).toEqual([["Content-Type", "application/json"], ...SECURITY_HEADERS.map((h) => [h.name, h.value])]);
  });

  it("sends WWW-Authenticate, Allow and Retry-After only when the site set their variable", () => {
    for (const [name, variable] of Object.entries(REFUSAL_HEADER_VARIABLES)) {
      const h = only(rr, "set-header", (e) => attr(e, "name") === name);
      expect(attr(h, "exists-action")).toBe(`@(context.Variables.ContainsKey("${variable}") ? "override" : "delete")`);
      expect(textOf(only(h, "value"))).toContain(`"${variable}"`);
    }
  });

  it("answers with a JSON-RPC error built by JSON.NET from the site's code and message", () => {
    const body = textOf(only(rr, "set-body"));
    expect(body).toMatch(/^@\(new JObject\(new JProperty\("jsonrpc", "2\.0"\), new JProperty\("id", \(object\)null\), new JProperty\("error"/);
    expect(body).toContain(`"${Vars.refusalCode}"`);
    expect(body).toContain(`"${Vars.refusalMessage}"`);
  });
});

describe("hostile configured values", () => {
  const hostile = settings({
    audiences: [RESOURCE, CLIENT_ID, "api://contoso&co/o'neil<x>"],
    acceptedTokenVersions: [1, 2],
    backend: { backendId: "weather-backend", audience: "api://back&end/it's", gatewayIdentityClientId: GATEWAY_UAI },
  });
  it("are escaped by the XML writer and round-trip exactly", () => {
    const d = parse(buildMcpApiPolicy(hostile));
    expect(all(d, "audience").map(textOf)).toEqual([RESOURCE, CLIENT_ID, "api://contoso&co/o'neil<x>"]);
    const mi = childElements(section(d, "inbound")).find((e) => e.tagName === "authentication-managed-identity")!;
    expect(mi.getAttribute("resource")).toBe("api://back&end/it's");
    const text = buildMcpApiPolicy(hostile);
    expect(text).not.toContain("contoso&co");
    expect(text).not.toContain("back&end");
  });
});

describe("PRM policy", () => {
  const prm = parse(buildPrmPolicy(s));
  it("returns the RFC 9728 document without authentication or inheritance", () => {
    expect(all(prm, "base")).toHaveLength(0);
    expect(all(prm, "validate-jwt")).toHaveLength(0);
    const rr = only(section(prm, "inbound"), "return-response");
    expect(attr(only(rr, "set-status"), "code")).toBe("200");
    expect(JSON.parse(textOf(only(rr, "set-body")))).toEqual({
      resource: RESOURCE,
      authorization_servers: [`https://login.microsoftonline.com/${TENANT}/v2.0`],
      scopes_supported: [`${RESOURCE}/tools.read`],
      bearer_methods_supported: ["header"],
    });
    expect(buildPrmPolicy(settings())).toBe(buildPrmPolicy(s));
  });
});

describe("global policy", () => {
  const g = parse(buildGlobalPolicy());
  it("forwards, removes banners and sets security headers on responses and errors, without <base/>", () => {
    expect(all(g, "base")).toHaveLength(0);
    expect(childElements(section(g, "backend")).map((e) => e.tagName)).toEqual(["forward-request"]);
    for (const name of ["outbound", "on-error"]) {
      const deleted = all(section(g, name), "set-header").filter((e) => e.getAttribute("exists-action") === "delete").map((e) => e.getAttribute("name"));
      expect(deleted).toEqual([...BANNER_HEADERS]);
      const setNames = all(section(g, name), "set-header").filter((e) => e.getAttribute("exists-action") === "override").map((e) => e.getAttribute("name"));
      expect(setNames).toEqual(SECURITY_HEADERS.map((h) => h.name));
    }
    expect(buildGlobalPolicy()).toBe(buildGlobalPolicy());
  });
});
