import { encodeList, mcpApiFragments, mcpNamedValues, prmFragments, resolveMcpPolicySettings } from "../../../infra/gateway/policy";
import { input, settings } from "./fixtures";

describe("mcpNamedValues", () => {
  const byName = Object.fromEntries(mcpNamedValues(settings()).map((v) => [v.displayName, v]));

  it("carries the per-server data that changes, none of it secret", () => {
    expect(byName["mcp-weather-tools"]!.value).toBe(";get_forecast=tools.read|;admin_reset=|Weather.Admin;");
    expect(byName["mcp-weather-origins"]!.value).toBe(";");
    expect(byName["mcp-weather-protocol-versions"]!.value).toBe(";2025-06-18;2025-11-25;2026-07-28;");
    expect(byName["mcp-weather-rl-caller-period"]!.value).toBe("60");
    expect(byName["mcp-weather-session-ttl"]!.value).toBe("3600");
    for (const v of Object.values(byName)) {
      expect(v.secret).toBe(false);
      expect(v.id).toBe(v.displayName);
      expect(v.displayName).toMatch(/^[A-Za-z0-9.\-_]{1,256}$/);
      expect(v.value.length).toBeGreaterThan(0);
    }
  });

  it("encodes lists so that membership is one Contains(';x;')", () => {
    expect(encodeList([])).toBe(";");
    expect(encodeList(["a", "b"])).toBe(";a;b;");
  });

  it("refuses, at validation time, a list over APIM's 4096-character named-value limit", () => {
    const tools = Array.from({ length: 200 }, (_, i) => ({ name: `tool_number_${i}_with_a_long_name`, scopes: ["tools.read"] }));
    expect(() => resolveMcpPolicySettings(input({ tools }))).toThrow(/setting 'tools': encodes to \d+ characters, over the 4096 .*Fix:/);
  });
});

describe("control coverage", () => {
  it("implements every APIM-side control of the checklist somewhere in the documents", () => {
    const s = settings({ allowedOrigins: ["https://app.contoso.com"], enableCors: true });
    const covered = new Set([...mcpApiFragments(s), ...prmFragments(s)].flatMap((f) => f.controls));
    for (const c of [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 18, 19, 20, 23, 33]) expect([c, covered.has(c)]).toEqual([c, true]);
  });
});
