import { buildMcpApiPolicy, buildPrmPolicy, resolveMcpPolicySettings } from "../../../infra/gateway/policy";
import { mcpPolicySettingsInput, type McpServerPolicyOptions } from "../../../infra/gateway/mcpServerApi";
import {
  assertSameDocument,
  deploymentNamedValues,
  publishedSettingsInput,
  referenceDeploymentValues,
  withPlaceholders,
} from "../../../infra/gateway/policyReferences";

/**
 * The published policy documents: the ids Entra and Azure assign at creation are named-value references, so the
 * documents are known during preview; with the real values substituted they are exactly the documents built from
 * the deployed settings.
 */
const SERVER = "docs";
const CLIENT = "0B1F3D7E-2C4A-4E8F-9A6B-5D7C8E9F0A1B";
const GATEWAY = "9D3C1F6E-7B2A-4C5D-8E9F-0A1B2C3D4E5F";
const BACKEND = "api://5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
const POLICY: McpServerPolicyOptions = { tools: [{ name: "search", roles: ["Docs.Read"] }], contentSafety: {} };
const KNOWN = {
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  allowedClientAppIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"],
  gatewayHost: "apim-mcp-dev-ab12c.azure-api.net",
  contentSafetyEndpoint: "https://cs-mcp-dev-ab12c.cognitiveservices.azure.com/",
};
const REAL = {
  ...KNOWN,
  clientId: CLIENT,
  applicationIdUri: `api://${CLIENT}`,
  scopes: [`api://${CLIENT}/mcp.invoke`],
  gatewayIdentityClientId: GATEWAY,
  backendAudience: BACKEND,
};

const settingsOf = (values: Parameters<typeof mcpPolicySettingsInput>[2]) =>
  resolveMcpPolicySettings(mcpPolicySettingsInput(SERVER, POLICY, values, "mcp-docs"));
const published = (build: typeof buildMcpApiPolicy) =>
  referenceDeploymentValues(SERVER, build(settingsOf(withPlaceholders(KNOWN, ["mcp.invoke"]))));
const substitute = (xml: string, values: Record<string, string>) =>
  Object.entries(values).reduce((out, [name, v]) => out.split(`{{${name}}}`).join(v), xml);

describe("published policy documents", () => {
  const api = published(buildMcpApiPolicy);
  const values = {
    "mcp-docs-client-id": "0b1f3d7e-2c4a-4e8f-9a6b-5d7c8e9f0a1b",
    "mcp-docs-application-id-uri": `api://${CLIENT}`,
    "mcp-docs-backend-audience": BACKEND,
    "mcp-docs-gateway-client-id": "9d3c1f6e-7b2a-4c5d-8e9f-0a1b2c3d4e5f",
  };

  it("name the assigned ids by reference only", () => {
    expect(api).toContain("<audience>{{mcp-docs-client-id}}</audience>");
    expect(api).toContain('resource="{{mcp-docs-backend-audience}}" client-id="{{mcp-docs-gateway-client-id}}"');
    expect(api).toContain("{{mcp-docs-application-id-uri}}/mcp.invoke");
    expect(api).not.toMatch(/6d63702d-/);
  });

  it("are, with the real values substituted, exactly the documents built from the deployed settings", () => {
    const real = settingsOf(REAL);
    expect(substitute(api, values)).toBe(buildMcpApiPolicy(real));
    expect(substitute(published(buildPrmPolicy), values)).toBe(buildPrmPolicy(real));
  });

  it("come with named values that hold the ids as the settings resolve them (GUIDs in lower case), none secret", () => {
    expect(deploymentNamedValues(SERVER, REAL)).toEqual(
      Object.entries(values).map(([name, value]) => ({ id: name, displayName: name, value, secret: false })),
    );
  });

  it("refuse to publish a document that would differ from the one built from the deployed values", () => {
    const nvs = deploymentNamedValues(SERVER, REAL);
    expect(() => assertSameDocument("docs api policy", api, nvs, buildMcpApiPolicy(settingsOf(REAL)))).not.toThrow();
    const other = settingsOf({ ...REAL, backendAudience: "api://11111111-2222-4333-8444-555555555555" });
    expect(() => assertSameDocument("docs api policy", api, nvs, buildMcpApiPolicy(other))).toThrow(
      /docs api policy: the published policy .* differs/,
    );
  });

  it("are the same from a settings input that already holds the deployed values (as tests and tools build it)", () => {
    const fromInput = publishedSettingsInput(mcpPolicySettingsInput(SERVER, POLICY, REAL, "mcp-docs"));
    expect(referenceDeploymentValues(SERVER, buildMcpApiPolicy(resolveMcpPolicySettings(fromInput.input)))).toBe(api);
    expect(fromInput.namedValues).toEqual(deploymentNamedValues(SERVER, REAL));
  });
});
