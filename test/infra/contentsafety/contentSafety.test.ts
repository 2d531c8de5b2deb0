import { MockRuntime } from "../../../testing/mock/mockRuntime";
import {
  PROMPT_SHIELDS_REGIONS,
  validateCustomSubDomainName,
  validatePromptShieldsRegion,
} from "../../../infra/contentsafety/contentSafety";

import { ENDPOINTS_SUBNET as SUBNET, expectSingleResourceGrant, RG, WORKSPACE, zoneId } from "../shared/fixtures";

const ZONE = zoneId("privatelink.cognitiveservices.azure.com");

let runtime: MockRuntime;
let cs: typeof import("../../../infra/contentsafety/contentSafety");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "contentsafety" });
  cs = await import("../../../infra/contentsafety/contentSafety");
});

const base = {
  resourceGroupName: "rg-mcp",
  location: "swedencentral",
  logAnalyticsWorkspaceId: WORKSPACE,
  privateEndpoint: { subnetId: SUBNET, privateDnsZoneId: ZONE },
};

describe("ContentSafety", () => {
  let safety: import("../../../infra/contentsafety/contentSafety").ContentSafety;
  const accountId = `${RG}/providers/Microsoft.CognitiveServices/accounts/cs-mcp-test`;
  beforeAll(async () => {
    safety = new cs.ContentSafety("c1", { ...base, customSubDomainName: "cs-mcp-test" });
    safety.grantUser("gateway", { principalId: "p-gateway" });
    await runtime.settle();
  });
  const account = () => runtime.one("azure-native:cognitiveservices:Account", "c1-cs");

  it("is a ContentSafety S0 account on a custom subdomain with Entra-only auth", () => {
    expect(account().inputs).toMatchObject({
      kind: "ContentSafety",
      sku: { name: "S0" },
      accountName: "cs-mcp-test",
      location: "swedencentral",
      identity: { type: "SystemAssigned" },
    });
    expect(account().inputs.properties).toMatchObject({ customSubDomainName: "cs-mcp-test", disableLocalAuth: true });
  });

  it("has no public access, a deny ACL and no outbound calls", () => {
    expect(account().inputs.properties).toMatchObject({
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] },
      restrictOutboundNetworkAccess: true,
      allowedFqdnList: [],
    });
  });

  it("puts the private endpoint in the VNet's region, not the account's", async () => {
    new cs.ContentSafety("c4", {
      ...base,
      customSubDomainName: "cs-four",
      privateEndpoint: { ...base.privateEndpoint, location: "westeurope" },
    });
    await runtime.settle();
    expect(runtime.one("azure-native:cognitiveservices:Account", "c4-cs").inputs.location).toBe("swedencentral");
    expect(runtime.one("azure-native:network:PrivateEndpoint", "c4-pe").inputs.location).toBe("westeurope");
  });

  it("has a private endpoint on the account group with its DNS zone group", () => {
    const pe = runtime.one("azure-native:network:PrivateEndpoint", "c1-pe");
    expect(pe.inputs.privateLinkServiceConnections).toEqual([{ name: "c1-account", privateLinkServiceId: accountId, groupIds: ["account"] }]);
    expect(pe.inputs.subnet).toMatchObject({ id: SUBNET });
    const group = runtime.one("azure-native:network:PrivateDnsZoneGroup", "c1-pe-dns");
    expect(group.inputs.privateDnsZoneConfigs).toEqual([{ name: "account", privateDnsZoneId: ZONE }]);
  });

  it("sends logs and metrics to the workspace", () => {
    const diag = runtime.one("azure-native:monitor:DiagnosticSetting", "c1-cs-diag");
    expect(diag.propertyDependencies.resourceUri).toEqual([account().urn]);
    expect(diag.inputs).toMatchObject({ workspaceId: WORKSPACE, metrics: [{ category: "AllMetrics", enabled: true }] });
  });

  it("grants Cognitive Services User on this account only", () => {
    expectSingleResourceGrant(runtime, "c1-gateway-cognitive-services-user", {
      scope: accountId,
      principalId: "p-gateway",
      roleGuid: "a97b65f3-24c7-4388-baec-2e87135dc908",
    });
    const grant = runtime.one("azure-native:authorization:RoleAssignment", "c1-gateway-cognitive-services-user");
    expect(grant.propertyDependencies.scope).toEqual([account().urn]);
  });

  it("exposes the custom-subdomain endpoint and the system identity", async () => {
    expect(await new Promise<string>((r) => safety.endpoint.apply(r))).toBe("https://cs-mcp-test.cognitiveservices.azure.com/");
    expect(await new Promise<string>((r) => safety.principalId.apply(r))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a region without Prompt Shields before creating anything", async () => {
    expect(() => new cs.ContentSafety("c2", { ...base, location: "northeurope", customSubDomainName: "cs-two" })).toThrow(
      'ContentSafety "c2":\n  - location: Prompt Shields is not available in "northeurope"',
    );
    await runtime.settle();
    expect(runtime.resources.filter((r) => r.name.startsWith("c2"))).toEqual([]);
  });

  it("skips the region check when Prompt Shields is not required", async () => {
    new cs.ContentSafety("c3", { ...base, location: "northeurope", customSubDomainName: "cs-three", requirePromptShields: false });
    await runtime.settle();
    expect(runtime.one("azure-native:cognitiveservices:Account", "c3-cs").inputs.location).toBe("northeurope");
  });
});

describe("validatePromptShieldsRegion", () => {
  it("accepts supported regions in either spelling", () => {
    expect(() => validatePromptShieldsRegion("westeurope")).not.toThrow();
    expect(() => validatePromptShieldsRegion("West Europe")).not.toThrow();
    expect(() => validatePromptShieldsRegion("East US 2")).not.toThrow();
  });

  it("refuses others and lists where it is available", () => {
    expect(() => validatePromptShieldsRegion("northeurope")).toThrow(
      `location: Prompt Shields is not available in "northeurope". Deploy Content Safety in one of: ${PROMPT_SHIELDS_REGIONS.join(", ")}.`,
    );
  });
});

describe("validateCustomSubDomainName", () => {
  it.each([
    ["a", 'customSubDomainName: "a" is 1 characters long. Use 2 to 64.'],
    ["x".repeat(65), `customSubDomainName: "${"x".repeat(65)}" is 65 characters long. Use 2 to 64.`],
    ["CS-Mcp", 'customSubDomainName: "CS-Mcp" has characters other than lowercase letters, digits and hyphens. Use only those.'],
    ["cs.mcp", 'customSubDomainName: "cs.mcp" has characters other than lowercase letters, digits and hyphens. Use only those.'],
    ["-cs", 'customSubDomainName: "-cs" starts or ends with a hyphen. Start and end it with a letter or digit.'],
  ])("refuses %s", (name, message) => {
    expect(() => validateCustomSubDomainName(name)).toThrow(message);
  });

  it("accepts a valid name", () => {
    expect(() => validateCustomSubDomainName("cs-mcp-prod-01")).not.toThrow();
  });
});
