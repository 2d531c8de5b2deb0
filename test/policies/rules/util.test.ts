import { portRangeCovers } from "../../../policies/rules/network";
import { scopeLevel } from "../../../baseline/roles";
import { escapeExpressions, parsePolicy, parseXml } from "../../../policies/rules/apimPolicy";
import { armEquals, get, isAnySource, isObviouslyNotSecret, num, peek, plainCredential, secretPatternIn, tlsAtLeast, tlsVersion } from "../../../policies/rules/util";
import { UNKNOWN, unknownCheckingProxy, UnknownValueError } from "./harness";

describe("rule helpers", () => {
  it.each([
    ["*", 22, true],
    ["22", 22, true],
    ["20-30", 22, true],
    ["3000-4000", 3389, true],
    ["23-3388", 3389, false],
    ["443", 22, false],
    ["abc", 22, false],
  ] as const)("portRangeCovers(%s, %d) is %s", (range, port, expected) => {
    expect(portRangeCovers(range, port)).toBe(expected);
  });

  it.each([
    ["/", "root"],
    ["", "root"],
    ["/providers/Microsoft.Management/managementGroups/mg", "managementGroup"],
    ["/subscriptions/s", "subscription"],
    ["/SUBSCRIPTIONS/s/", "subscription"],
    ["/subscriptions/s/resourceGroups/rg", "resourceGroup"],
    ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "resource"],
  ] as const)("scopeLevel(%s) is %s", (scope, level) => {
    expect(scopeLevel(scope)).toBe(level);
  });

  it("peek reads through the proxy without deferring, and reads unknowns as undefined", () => {
    const props = unknownCheckingProxy({ a: { b: UNKNOWN, c: "x" } });
    expect(() => get(props, "a.b")).toThrow(UnknownValueError);
    expect(peek(props, "a.b")).toBeUndefined();
    expect(peek(props, "a.c")).toBe("x");
    expect(peek(props, "a.missing.deeper")).toBeUndefined();
  });

  it("tells credentials from ordinary settings", () => {
    expect(isObviouslyNotSecret("https://login.microsoftonline.com/t/v2.0")).toBe(true);
    expect(isObviouslyNotSecret("https://user:pw@host")).toBe(false);
    expect(isObviouslyNotSecret("72f988bf-86f1-41af-91ab-2d7cd011db47")).toBe(true);
    expect(plainCredential("CLIENT_SECRET", "abc")).toEqual({});
    expect(plainCredential("LOG_LEVEL", "info")).toBeUndefined();
    expect(plainCredential("DATA", "AccountKey=abcdefghijklmnopqrstuvwxyz0123")).toEqual({ pattern: "AccountKey" });
    expect(secretPatternIn("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig")).toBe("BearerToken");
    expect(secretPatternIn("client_secret={{named-value}}")).toBeUndefined();
  });

  it("recognises internet sources", () => {
    for (const s of ["*", "Internet", "any", "0.0.0.0/0", "::/0"]) expect(isAnySource(s)).toBe(true);
    for (const s of ["10.0.0.0/8", "VirtualNetwork", "ApiManagement"]) expect(isAnySource(s)).toBe(false);
  });

  it("parses rawxml with unescaped C# expressions and rejects broken documents", () => {
    const raw = `<policies><inbound>
      <set-variable name="caller" value="@(context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt()?.Subject)" />
      <set-header name="X-Tool" exists-action="override"><value>@(context.Variables.GetValueOrDefault<string>("tool", "a)b"))</value></set-header>
      <choose><when condition="@{ var n = 1; return n < 2 && "}" != "{"; }"><set-header name="Authorization" exists-action="delete" /></when></choose>
      <set-header name="Authorization" exists-action="delete" />
    </inbound></policies>`;
    const parsed = parsePolicy(unknownCheckingProxy({ value: raw, format: "rawxml" }));
    expect(parsed.kind).toBe("xml");
    if (parsed.kind !== "xml") return;
    const inbound = parsed.root.getElementsByTagName("inbound")[0];
    expect(inbound.getElementsByTagName("set-header").length).toBe(3);
    expect(parsed.root.getElementsByTagName("set-variable")[0].getAttribute("value")).toContain('GetValueOrDefault("Authorization", "")');
    expect(escapeExpressions("plain <a/> text")).toBe("plain <a/> text");
    // The same text as xml (not rawxml) is not well-formed: the escaping applies to rawxml only.
    expect(parsePolicy(unknownCheckingProxy({ value: raw, format: "xml" })).kind).toBe("invalid");
    expect(parseXml("<policies><inbound>").kind).toBe("invalid");
    expect(parseXml("not xml").kind).toBe("invalid");
  });

  it("reads numbers as ARM accepts them: JSON numbers and numeric strings", () => {
    expect(num(90)).toBe(90);
    expect(num("90")).toBe(90);
    expect(num(" 1893456000 ")).toBe(1893456000);
    expect(num("1.2")).toBe(1.2);
    expect(num("ninety")).toBeUndefined();
    expect(num("")).toBeUndefined();
    expect(num(true)).toBeUndefined();
    expect(num(Number.NaN)).toBeUndefined();
  });

  it.each([
    [1.2, [1, 2]],
    ["1.2", [1, 2]],
    ["TLS1_2", [1, 2]],
    ["tls1_3", [1, 3]],
    ["Tls12", [1, 2]],
    ["TLS 1.0", [1, 0]],
    ["1.0", [1, 0]],
    [1, [1, 0]],
    ["high", undefined],
  ] as const)("tlsVersion(%j) is %j", (value, expected) => {
    expect(tlsVersion(value)).toEqual(expected);
  });

  it("compares TLS versions numerically, whatever their spelling", () => {
    expect(tlsAtLeast(1.2, 1, 2)).toBe(true);
    expect(tlsAtLeast("1.3", 1, 2)).toBe(true);
    expect(tlsAtLeast("TLS1_1", 1, 2)).toBe(false);
    expect(tlsAtLeast(undefined, 1, 2)).toBe(false);
  });

  it("compares as ARM does: booleans from strings, strings case-insensitively, numbers from strings", () => {
    expect(armEquals("False", false)).toBe(true);
    expect(armEquals("true", false)).toBe(false);
    expect(armEquals("disabled", "Disabled")).toBe(true);
    expect(armEquals("0", 0)).toBe(true);
    expect(armEquals(undefined, false)).toBe(false);
  });
});
