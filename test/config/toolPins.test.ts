/**
 * Tool-definition pins and the gateway's drift and client-app options, from the stack config to the named values the
 * gateway reads, and to the pack rule that reads them back.
 */
import { parsePlatformConfig } from "../../infra/config/parse";
import { serverPolicyOptions } from "../../infra/config/derive";
import { mcpPolicySettingsInput } from "../../infra/gateway/mcpServerApi";
import { mcpNamedValues, resolveMcpPolicySettings } from "../../infra/gateway/policy";
import { toolPinProblem } from "../../policies/rules/apimToolPins";
import { devRawConfig } from "./fixtures";

const PIN_SEARCH = "0b5f3c1e9d7a2468ace013579bdf2468ace013579bdf2468ace013579bdf2468";
const PIN_CREATE = "f".repeat(64);

function gatewayOf(raw: Record<string, unknown>): { nv: Record<string, string>; toolDrift: string; shared: boolean } {
  const s = parsePlatformConfig(raw, { project: "hardened-mcp", stack: "dev" });
  const server = s.servers[0]!;
  const input = mcpPolicySettingsInput(server.name, serverPolicyOptions(server, s.contentSafety, "v2"), {
    tenantId: "00000000-0000-0000-0000-000000000001",
    clientId: "00000000-0000-0000-0000-000000000002",
    applicationIdUri: "api://00000000-0000-0000-0000-000000000002",
    scopes: ["api://00000000-0000-0000-0000-000000000002/mcp.invoke"],
    allowedClientAppIds: [],
    gatewayHost: "apim-mcp.azure-api.net",
    gatewayIdentityClientId: "00000000-0000-0000-0000-000000000003",
    backendAudience: "api://00000000-0000-0000-0000-000000000004",
    contentSafetyEndpoint: "https://cs-mcp.cognitiveservices.azure.com",
  }, "be-github-tools");
  const settings = resolveMcpPolicySettings(input);
  const nv = Object.fromEntries(mcpNamedValues(settings).map((v) => [v.displayName, v.value]));
  return { nv, toolDrift: settings.toolDrift, shared: settings.sharedClientAppQuota };
}

describe("servers[].tools[].definitionSha256 in the stack config", () => {
  it("reaches the gateway's tool-pins named value, and the pack rule passes a fully pinned server", () => {
    const raw = devRawConfig();
    raw.servers[0].tools[0].definitionSha256 = PIN_SEARCH;
    raw.servers[0].tools[1].definitionSha256 = PIN_CREATE;
    raw.servers[0].toolDrift = "refuse";
    const { nv, toolDrift } = gatewayOf(raw);
    expect(toolDrift).toBe("refuse");
    expect(nv["mcp-github-tools-tool-pins"]).toBe(`;search_issues=${PIN_SEARCH};create_issue=${PIN_CREATE};`);
    expect(toolPinProblem(nv["mcp-github-tools-tools"]!, nv["mcp-github-tools-tool-pins"]!, true)).toBeUndefined();
  });

  it("a partly pinned server is what the pack rule reports", () => {
    const raw = devRawConfig();
    raw.servers[0].tools[0].definitionSha256 = PIN_SEARCH;
    raw.servers[0].sharedClientAppQuota = true;
    const { nv, shared } = gatewayOf(raw);
    expect(shared).toBe(true);
    expect(toolPinProblem(nv["mcp-github-tools-tools"]!, nv["mcp-github-tools-tool-pins"]!, false)).toBe("approved tools without a definition pin: create_issue.");
  });

  it("the default stack pins nothing, and pinning stays off", () => {
    const { nv, toolDrift, shared } = gatewayOf(devRawConfig());
    expect({ toolDrift, shared }).toEqual({ toolDrift: "remove", shared: false });
    expect(nv["mcp-github-tools-tool-pins"]).toBe(";");
    expect(toolPinProblem(nv["mcp-github-tools-tools"]!, nv["mcp-github-tools-tool-pins"]!, false)).toBeUndefined();
  });
});
