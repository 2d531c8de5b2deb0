/**
 * The pin rule reads the named values the gateway component writes: it must agree with them (infra's encoding, read
 * back by the pack), and its verdicts are pinned as literal sentences.
 */
import { toolPinProblem } from "../../../policies/rules/apimToolPins";
import { mcpNamedValues, resolveMcpPolicySettings } from "../../../infra/gateway/policy";
import { input } from "../../gateway/policy/fixtures";

const PIN = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

function valuesOf(tools: { name: string; scopes?: string[]; roles?: string[]; definitionSha256?: string }[]): { tools: string; pins: string } {
  const nv = mcpNamedValues(resolveMcpPolicySettings(input({ tools })));
  const value = (suffix: string) => nv.find((v) => v.displayName === `mcp-weather-${suffix}`)!.value;
  return { tools: value("tools"), pins: value("tool-pins") };
}

describe("toolPinProblem on the named values the gateway writes", () => {
  it("is silent while no tool is pinned, and names every unpinned tool once one is", () => {
    const none = valuesOf([{ name: "get_forecast", scopes: ["tools.read"] }, { name: "delete_all", roles: ["Tools.Admin"] }]);
    expect(none.pins).toBe(";");
    expect(toolPinProblem(none.tools, none.pins, false)).toBeUndefined();
    expect(toolPinProblem(none.tools, none.pins, true)).toBe("approved tools without a definition pin: get_forecast, delete_all.");
    const some = valuesOf([{ name: "get_forecast", scopes: ["tools.read"], definitionSha256: PIN }, { name: "delete_all", roles: ["Tools.Admin"] }]);
    expect(some.pins).toBe(`;get_forecast=${PIN};`);
    expect(toolPinProblem(some.tools, some.pins, false)).toBe("approved tools without a definition pin: delete_all.");
  });

  it("passes a server whose every tool is pinned", () => {
    const all = valuesOf([{ name: "get_forecast", scopes: ["tools.read"], definitionSha256: PIN }, { name: "delete_all", roles: ["Tools.Admin"], definitionSha256: PIN }]);
    expect(toolPinProblem(all.tools, all.pins, true)).toBeUndefined();
  });

  it("reports malformed and stray pins with the missing ones in one sentence", () => {
    expect(toolPinProblem(";a=s|;b=s|;", ";a=XYZ;c=" + PIN + ";", false)).toBe(
      "approved tools without a definition pin: b; pins that are not a SHA-256 in 64 lowercase hex digits: a; pins of tools that are not approved: c.",
    );
  });
});
