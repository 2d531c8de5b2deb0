import { MockRuntime } from "../../../testing/mock/mockRuntime";
import { resolveMonitoringDefaults, validateDailyQuota, validateRetentionDays } from "../../../infra/monitoring/monitoring";

import { expectSingleResourceGrant, RG } from "../shared/fixtures";

let runtime: MockRuntime;
let mon: typeof import("../../../infra/monitoring/monitoring");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "monitoring" });
  mon = await import("../../../infra/monitoring/monitoring");
});

describe("Monitoring", () => {
  let monitoring: import("../../../infra/monitoring/monitoring").Monitoring;
  beforeAll(async () => {
    monitoring = new mon.Monitoring("m1", { resourceGroupName: "rg-mcp", workspaceName: "law-mcp", appInsightsName: "appi-mcp" });
    monitoring.grantMetricsPublisher("gateway", { principalId: "p-gateway" });
    await runtime.settle();
  });
  const workspace = () => runtime.one("azure-native:operationalinsights:Workspace", "m1-law");
  const appInsights = () => runtime.one("azure-native:applicationinsights:Component", "m1-appi");
  const workspaceId = `${RG}/providers/Microsoft.OperationalInsights/workspaces/law-mcp`;
  const appInsightsId = `${RG}/providers/Microsoft.Insights/components/appi-mcp`;

  it("creates a PerGB2018 workspace with Entra-only access and resource-context permissions", () => {
    expect(workspace().inputs).toMatchObject({
      sku: { name: "PerGB2018" },
      retentionInDays: 90,
      features: { disableLocalAuth: true, enableLogAccessUsingOnlyResourcePermissions: true },
      publicNetworkAccessForIngestion: "Disabled",
      publicNetworkAccessForQuery: "Enabled",
    });
    expect(workspace().inputs.workspaceCapping).toBeUndefined();
  });

  it("creates workspace-based Application Insights that accepts only Entra-authenticated telemetry", () => {
    expect(appInsights().inputs).toMatchObject({
      kind: "web",
      applicationType: "web",
      workspaceResourceId: workspaceId,
      ingestionMode: "LogAnalytics",
      disableLocalAuth: true,
      disableIpMasking: false,
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
    });
    expect(appInsights().propertyDependencies.workspaceResourceId).toEqual([workspace().urn]);
  });

  it("audits queries on the workspace into itself", () => {
    const diag = runtime.one("azure-native:monitor:DiagnosticSetting", "m1-law-diag");
    expect(diag.propertyDependencies.resourceUri).toEqual([workspace().urn]);
    expect(diag.inputs).toMatchObject({ resourceUri: workspaceId, workspaceId, logs: [{ categoryGroup: "audit", enabled: true }] });
  });

  it("grants Monitoring Metrics Publisher on the Application Insights component only", () => {
    expectSingleResourceGrant(runtime, "m1-gateway-monitoring-metrics-publisher", {
      scope: appInsightsId,
      principalId: "p-gateway",
      roleGuid: "3913510d-42f4-4e42-8a64-420c390055eb",
    });
    const grant = runtime.one("azure-native:authorization:RoleAssignment", "m1-gateway-monitoring-metrics-publisher");
    expect(grant.propertyDependencies.scope).toEqual([appInsights().urn]);
    expect(() => monitoring.grantMetricsPublisher("gateway-2", { principalId: "p-gateway" })).toThrow("already granted to this principal");
  });

  it("exposes ids and the connection string", async () => {
    const value = <T>(o: import("@pulumi/pulumi").Output<T>) => new Promise<T>((r) => o.apply(r));
    expect(await value(monitoring.workspaceId)).toBe(workspaceId);
    expect(await value(monitoring.workspaceCustomerId!)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await value(monitoring.appInsightsId)).toBe(appInsightsId);
    expect(await value(monitoring.appInsightsConnectionString)).toContain("InstrumentationKey=");
  });

  it("applies explicit retention, cap and network choices", async () => {
    new mon.Monitoring("m2", {
      resourceGroupName: "rg-mcp",
      retentionInDays: 365,
      dailyQuotaGb: 5,
      publicNetworkAccess: { workspaceQuery: "Disabled", appInsightsIngestion: "Disabled", appInsightsQuery: "Disabled" },
    });
    await runtime.settle();
    expect(runtime.one("azure-native:operationalinsights:Workspace", "m2-law").inputs).toMatchObject({
      retentionInDays: 365,
      workspaceCapping: { dailyQuotaGb: 5 },
      publicNetworkAccessForIngestion: "Disabled",
      publicNetworkAccessForQuery: "Disabled",
    });
    expect(runtime.one("azure-native:applicationinsights:Component", "m2-appi").inputs).toMatchObject({
      publicNetworkAccessForIngestion: "Disabled",
      publicNetworkAccessForQuery: "Disabled",
    });
  });
});

describe("monitoring validation", () => {
  it.each([[29], [731], [90.5], [Number.NaN]])("refuses %p retention days", (days) => {
    expect(() => validateRetentionDays(days)).toThrow(
      `retentionInDays: ${days} is outside what a PerGB2018 workspace accepts. Use a whole number of days from 30 to 730.`,
    );
  });

  it("accepts the bounds", () => {
    expect(() => validateRetentionDays(30)).not.toThrow();
    expect(() => validateRetentionDays(730)).not.toThrow();
  });

  it("refuses a non-positive daily cap", () => {
    expect(() => validateDailyQuota(0)).toThrow(
      "dailyQuotaGb: 0 is not a positive number of GB. Set a cap above 0, or leave it out for no cap.",
    );
    expect(() => resolveMonitoringDefaults({ dailyQuotaGb: -1 })).toThrow("dailyQuotaGb: -1");
  });

  it("defaults to closed workspace ingestion and open query", () => {
    expect(resolveMonitoringDefaults({})).toEqual({
      retentionInDays: 90,
      dailyQuotaGb: undefined,
      publicNetworkAccess: {
        workspaceIngestion: "Disabled",
        workspaceQuery: "Enabled",
        appInsightsIngestion: "Enabled",
        appInsightsQuery: "Enabled",
      },
    });
  });
});

describe("Monitoring with an existing workspace", () => {
  const LAW = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-management/providers/Microsoft.OperationalInsights/workspaces/law-central";

  it("creates no workspace and puts the kit's Application Insights on the brought one, its id known as given", async () => {
    const m = new mon.Monitoring("m-brought", { resourceGroupName: "rg-mcp", appInsightsName: "appi-brought", existingWorkspace: { id: LAW } });
    await runtime.settle();
    expect(runtime.ofType("azure-native:operationalinsights:Workspace").filter((r) => r.name.startsWith("m-brought"))).toEqual([]);
    // Nothing is written to a workspace the kit does not own (not even its query audit setting).
    expect(runtime.ofType("azure-native:monitor:DiagnosticSetting").filter((r) => r.name.startsWith("m-brought"))).toEqual([]);
    expect(runtime.one("azure-native:applicationinsights:Component", "m-brought-appi").inputs).toMatchObject({
      workspaceResourceId: LAW,
      disableLocalAuth: true,
      ingestionMode: "LogAnalytics",
    });
    expect(await new Promise((r) => m.workspaceId.apply(r))).toBe(LAW);
    expect(m.workspace).toBeUndefined();
    expect(m.workspaceCustomerId).toBeUndefined();
  });

  it("refuses the workspace's own settings next to it, and an id of another type, before registering", () => {
    expect(() =>
      new mon.Monitoring("m-bad", {
        resourceGroupName: "rg-mcp",
        retentionInDays: 60,
        publicNetworkAccess: { workspaceQuery: "Disabled" },
        existingWorkspace: { id: LAW.replace("Microsoft.OperationalInsights/workspaces", "Microsoft.Insights/components") },
      }),
    ).toThrow(
      "Invalid monitoring arguments:\n  - retentionInDays: is set, but the workspace is an existing one (its owner sets it). Remove it.\n" +
        "  - publicNetworkAccess.workspaceQuery: is set, but the workspace is an existing one (its owner sets it). Remove it.\n" +
        `  - existingWorkspace.id: "${LAW.replace("Microsoft.OperationalInsights/workspaces", "Microsoft.Insights/components")}" is the id of a Microsoft.Insights/components, not of a Microsoft.OperationalInsights/workspaces. Use the workspace's resource id (az monitor log-analytics workspace show --query id).`,
    );
    expect(runtime.ofType("hardened-mcp:azure:Monitoring").filter((r) => r.name === "m-bad")).toEqual([]);
  });
});
