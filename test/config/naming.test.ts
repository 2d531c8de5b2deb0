import {
  composeName,
  NameRules,
  nameProblem,
  resourceNames,
  stableSuffix,
} from "../../infra/config/naming";

const source = { tenantId: "00000000-0000-0000-0000-000000000000", subscriptionId: "11111111-1111-1111-1111-111111111111", project: "hardened-mcp", stack: "dev" };

describe("stableSuffix", () => {
  it("is deterministic, 5 lowercase characters starting with a letter", () => {
    const a = stableSuffix(source);
    expect(a).toMatch(/^[a-z][a-z0-9]{4}$/);
    expect(stableSuffix({ ...source })).toBe(a);
  });

  it("differs by stack, subscription and tenant", () => {
    const base = stableSuffix(source);
    expect(stableSuffix({ ...source, stack: "prod" })).not.toBe(base);
    expect(stableSuffix({ ...source, subscriptionId: "22222222-2222-2222-2222-222222222222" })).not.toBe(base);
    expect(stableSuffix({ ...source, tenantId: "33333333-3333-3333-3333-333333333333" })).not.toBe(base);
  });
});

describe("composeName", () => {
  it("shortens the base, never the abbreviation or the suffix, to fit Key Vault's 24 characters", () => {
    const name = composeName("kv", "a-very-long-workload-name-prod", NameRules.keyVault, "x1y2z");
    expect(name.length).toBeLessThanOrEqual(24);
    expect(name).toMatch(/^kv-a-very-long-w[a-z-]*-x1y2z$/);
    expect(name).not.toContain("--");
  });

  it("refuses names its rule rejects", () => {
    expect(nameProblem("Bad_Name", NameRules.containerApp)).toMatch(/not a valid Container App name/);
    expect(nameProblem("ab", NameRules.keyVault)).toMatch(/must be 3-24/);
    expect(nameProblem("a--b", NameRules.apiManagement)).toMatch(/not a valid/);
    expect(nameProblem("kv-ok-1", NameRules.keyVault)).toBeUndefined();
  });
});

describe("resourceNames", () => {
  const names = resourceNames({ ...source, workload: "mcp", serverNames: ["github-tools"] });

  it("uses the CAF abbreviations", () => {
    expect(names.resourceGroup).toBe("rg-mcp-dev");
    expect(names.virtualNetwork).toBe("vnet-mcp-dev");
    expect(names.logAnalytics).toBe("log-mcp-dev");
    expect(names.appInsights).toBe("appi-mcp-dev");
    expect(names.containerAppsEnvironment).toBe("cae-mcp-dev");
    expect(names.gatewayIdentity).toBe("id-mcp-dev-gateway");
    expect(names.networkSecurityGroups).toEqual({ gateway: "nsg-mcp-dev-gateway", apps: "nsg-mcp-dev-apps", endpoints: "nsg-mcp-dev-endpoints" });
    expect(names.servers["github-tools"]).toEqual({ containerApp: "ca-github-tools", identity: "id-mcp-dev-github-tools" });
  });

  it("gives globally unique names (vault, APIM, Content Safety) the stable suffix, within their limits", () => {
    const suffix = stableSuffix(source);
    for (const [name, rule] of [
      [names.keyVault, NameRules.keyVault],
      [names.apiManagement, NameRules.apiManagement],
      [names.contentSafety, NameRules.contentSafety],
    ] as const) {
      expect(name.endsWith(`-${suffix}`)).toBe(true);
      expect(nameProblem(name, rule)).toBeUndefined();
    }
  });

  it("honours an explicit suffix and resource group name", () => {
    const custom = resourceNames({ ...source, workload: "mcp", suffix: "abc12", resourceGroupName: "rg-shared", serverNames: [] });
    expect(custom.keyVault).toBe("kv-mcp-dev-abc12");
    expect(custom.resourceGroup).toBe("rg-shared");
  });
});
