import { parsePlatformConfig } from "../../infra/config/parse";
import { renderPlanSummary, summarizePlan, weakeningsOf } from "../../cli/planSummary";
import { estimateMonthlyPrice, ratesNeeded } from "../../cli/planSummaryPrices";
import { EAST_US_TABLE } from "../../cli/pricesTable";
import { firstDeployTime } from "../../cli/planSummaryTime";
import type { Plan, PlanResource } from "../../testing/planFile";
import { devRawConfig } from "../config/fixtures";
import { kitPlan } from "../support/plans";

const context = { project: "hardened-mcp", stack: "dev" };
let plan: Plan;

beforeAll(async () => {
  plan = await kitPlan();
});

/** A plan holding just the resources a price or a duration depends on. */
function tinyPlan(resources: Partial<PlanResource>[]): Plan {
  return {
    version: 1,
    project: "p",
    stack: "s",
    resources: resources.map(
      (r, i) =>
        ({
          urn: `urn:${i}`,
          name: `r${i}`,
          parent: null,
          custom: true,
          inputs: {},
          dependencies: [],
          propertyDependencies: {},
          ...r,
        }) as PlanResource,
    ),
  };
}

describe("the estimated monthly price", () => {
  it("prices the default plan per SKU from the dated table, fixed lines summed, usage lines kept apart", () => {
    const estimate = estimateMonthlyPrice(plan);
    expect(estimate.read).toBe("2026-12-02");
    expect(estimate.source).toBe("dated list-price table 2026-12-02");
    expect(estimate.region).toBe("East US, USD, pay-as-you-go list");
    const fixed = Object.fromEntries(
      estimate.lines.filter((l) => l.monthly !== undefined).map((l) => [l.item.replace(/ \(.*$/, ""), l.monthly]),
    );
    expect(fixed).toEqual({
      "API Management StandardV2": 734,
      // github-tools 0.5 vCPU/1 GiB + docs-search 1 vCPU/2 GiB, one replica each all month, less 180,000 vCPU-s and 360,000 GiB-s.
      "Container Apps": 112.86,
      "NAT gateway": 32.85,
      "Standard static public IP": 3.65,
      "Private endpoints": 14.6,
      "Private DNS zones": 1.5,
      // refusal-rate every 15 minutes ($0.50), four more every 5 minutes ($1.50 each).
      "Log search alert rules": 6.5,
    });
    expect(estimate.fixedMonthly).toBe(905.96);
    expect(estimate.lines.filter((l) => l.monthly === undefined).map((l) => l.item)).toEqual([
      "Log Analytics ingestion",
      "Content Safety S0 (Prompt Shields)",
      "Key Vault Standard",
    ]);
    for (const line of estimate.lines) expect(line.source).toMatch(/\w+\.\w+/);
    expect(estimate.unpriced).toEqual([]);
  });

  it("keeps the logs sent to a brought workspace as a usage line billed where the workspace lives", () => {
    const WS = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.OperationalInsights/workspaces/law-hub";
    const diag = { type: "azure-native:monitor:DiagnosticSetting", inputs: { workspaceId: WS } };
    const brought = estimateMonthlyPrice(tinyPlan([diag, diag]));
    expect(brought.lines).toEqual([
      {
        item: "Log Analytics ingestion into the brought workspace (billed to the workspace's subscription)",
        quantity: 1,
        usage: "$2.30 per GB ingested at that workspace's own rates and retention",
        source: expect.stringMatching(/monitor/),
      },
    ]);
    expect(brought.fixedMonthly).toBe(0);
    // The kit's own workspace: its ordinary line, not this one.
    const own = estimateMonthlyPrice(tinyPlan([diag, { type: "azure-native:operationalinsights:Workspace" }]));
    expect(own.lines.map((l) => l.item)).toEqual(["Log Analytics ingestion"]);
  });

  it("prices gateway tiers and units from the plan, and names what it cannot price", () => {
    const apim = (name: string, capacity: number) => ({
      type: "azure-native:apimanagement:ApiManagementService",
      inputs: { sku: { name, capacity } },
    });
    expect(estimateMonthlyPrice(tinyPlan([apim("Premium", 2)])).fixedMonthly).toBe(6000);
    expect(estimateMonthlyPrice(tinyPlan([apim("Developer", 1)])).fixedMonthly).toBe(48);
    const odd = estimateMonthlyPrice(tinyPlan([apim("Consumption", 0), { type: "azure-native:storage:StorageAccount" }]));
    expect(odd.fixedMonthly).toBe(0);
    expect(odd.unpriced).toEqual(["azure-native:storage:StorageAccount"]);
  });
});

describe("the region an estimate is for", () => {
  const at = (type: string, location: unknown) => ({ type, inputs: { location, sku: { name: "StandardV2", capacity: 1 } } });
  const apim = "azure-native:apimanagement:ApiManagementService";

  it("names the default stack's region and says plainly that the table's prices are East US's", () => {
    const estimate = estimateMonthlyPrice(plan);
    expect(estimate).toMatchObject({ stackRegion: "westeurope", pricedFor: "eastus", regionGroup: "East US", currency: "USD" });
    expect(estimate).not.toHaveProperty("otherRegions");
    expect(estimate.caveats).toEqual([
      "the stack deploys to westeurope, outside this estimate's region group (East US): these are East US prices, not westeurope's, and prices differ by region. " +
        "For westeurope's prices: hardened-mcp prices --plan <plan file> (Azure Retail Prices API).",
    ]);
    const text = renderPlanSummary(summarizePlan(plan), false);
    expect(text).toContain(
      "\n  stack region: westeurope; priced for: eastus (East US)\n  caution: the stack deploys to westeurope, outside this estimate's region group (East US)",
    );
  });

  it("adds no caveat in the table's own region, and one when no region is known or a resource sits elsewhere", () => {
    expect(estimateMonthlyPrice(tinyPlan([at(apim, "East US")]))).toMatchObject({ stackRegion: "eastus", fixedMonthly: 734 });
    expect(estimateMonthlyPrice(tinyPlan([at(apim, "eastus")]))).not.toHaveProperty("caveats");
    // An unknown-at-preview location and "global" (DNS zones) name no region.
    const nowhere = estimateMonthlyPrice(
      tinyPlan([at(apim, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"), at("azure-native:privatedns:PrivateZone", "global")]),
    );
    expect(nowhere).not.toHaveProperty("stackRegion");
    expect(nowhere.caveats).toEqual([
      "the plan names no region (no resource has a known location), so these are East US prices, not necessarily the stack's region's.",
    ]);
    // The gateway's region is the stack's, even when more resources sit elsewhere.
    const split = estimateMonthlyPrice(
      tinyPlan([
        at(apim, "eastus"),
        at("azure-native:cognitiveservices:Account", "swedencentral"),
        at("azure-native:keyvault:Vault", "swedencentral"),
      ]),
    );
    expect(split.stackRegion).toBe("eastus");
    expect(split.otherRegions).toEqual([
      { region: "swedencentral", types: ["azure-native:cognitiveservices:Account", "azure-native:keyvault:Vault"] },
    ]);
    expect(split.caveats).toEqual([
      "azure-native:cognitiveservices:Account, azure-native:keyvault:Vault in swedencentral: priced at East US rates here.",
    ]);
  });

  it("leaves a fixed line it has no rate for out of the sum, marked, instead of guessing", () => {
    const { "apim.StandardV2": _gone, ...rest } = EAST_US_TABLE.rates;
    const card = { ...EAST_US_TABLE, rates: rest, missing: { "apim.StandardV2": "meter 'Standard v2 Unit' not found in westeurope" } };
    const estimate = estimateMonthlyPrice(tinyPlan([at(apim, "eastus"), { type: "azure-native:network:NatGateway" }]), card);
    expect(estimate.fixedMonthly).toBe(32.85);
    expect(estimate.lines[0]).toEqual({
      item: "API Management StandardV2 (1 unit)",
      quantity: 1,
      missing: "meter 'Standard v2 Unit' not found in westeurope",
      source: EAST_US_TABLE.sources.apim,
    });
    const text = renderPlanSummary({ price: estimate }, false);
    expect(text).toMatch(/fixed, before usage \(incomplete\)\s+\$32\.85 a month/);
    expect(text).toContain(
      "  not priced (not counted): API Management StandardV2 (1 unit): meter 'Standard v2 Unit' not found in westeurope",
    );
  });

  it("lists the rates a plan's estimate reads, which a live lookup must find", () => {
    expect(
      ratesNeeded(
        tinyPlan([
          at(apim, "eastus"),
          { type: "azure-native:network:NatGateway" },
          { type: "azure-native:monitor:ScheduledQueryRule", inputs: { evaluationFrequency: "PT15M" } },
        ]),
      ),
    ).toEqual(["alert.PT15M", "apim.StandardV2", "nat.gb", "nat.hour"]);
    expect(ratesNeeded(plan)).toEqual([
      "aca.gibSecond",
      "aca.millionRequests",
      "aca.vcpuSecond",
      "alert.PT15M",
      "alert.PT5M",
      "apim.StandardV2",
      "contentSafety.thousandRecords",
      "dns.millionQueries",
      "dns.zoneMonth",
      "keyVault.tenThousandOperations",
      "logs.gb",
      "logs.retentionGbMonth",
      "nat.gb",
      "nat.hour",
      "privateEndpoint.gb",
      "privateEndpoint.hour",
      "publicIp.hour",
    ]);
  });
});

describe("the first deployment's duration", () => {
  const platform = (sku: string) =>
    tinyPlan([
      { type: "azure-native:apimanagement:ApiManagementService", inputs: { sku: { name: sku, capacity: 1 } } },
      { type: "azure-native:app:ManagedEnvironment" },
      { type: "azure-native:keyvault:Vault" },
      { type: "azure-native:authorization:RoleAssignment" },
      { type: "azure-native:app:ContainerApp" },
    ]);

  it("follows the critical path: v2 gateways in minutes, classic tiers 30-75 minutes", () => {
    expect(firstDeployTime(plan)?.minutes).toEqual([15, 23]);
    expect(firstDeployTime(platform("StandardV2"))).toMatchObject({
      minutes: [15, 23],
      longest: "Key Vault, then the 10-minute wait for fresh role assignments",
    });
    expect(firstDeployTime(platform("Premium"))).toMatchObject({
      minutes: [33, 83],
      longest: "API Management Premium (classic tiers take 30-75 minutes)",
    });
    expect(firstDeployTime(platform("Developer"))?.minutes).toEqual([33, 83]);
    expect(firstDeployTime(tinyPlan([{ type: "azure-native:storage:StorageAccount" }]))).toBeUndefined();
  });
});

describe("settings and weakenings", () => {
  it("lists no weakening for the default stack, and each one set by its setting name in the project's namespace", () => {
    expect(weakeningsOf(parsePlatformConfig(devRawConfig(), context), "hardened-mcp")).toEqual([]);
    const raw = devRawConfig();
    raw.contentSafety = { enabled: true, failOpen: true };
    raw.keyVault = { allowDestroy: true };
    raw.monitoring = { alerts: false };
    raw.servers[1] = {
      ...raw.servers[1],
      image: "contoso.azurecr.io/mcp/docs-search:2.0",
      allowTagOnlyImages: true,
      sharedClientAppQuota: true,
    };
    const weak = weakeningsOf(parsePlatformConfig(raw, { project: "team-mcp", stack: "dev" }), "team-mcp");
    expect(weak.map((w) => `${w.setting}=${w.value}`)).toEqual([
      "team-mcp:contentSafety.failOpen=true",
      "team-mcp:keyVault.allowDestroy=true",
      "team-mcp:monitoring.alerts=false",
      "team-mcp:servers[1].allowTagOnlyImages=true",
      "team-mcp:servers[1].sharedClientAppQuota=true",
    ]);
    raw.contentSafety = { enabled: false };
    expect(weakeningsOf(parsePlatformConfig(raw, context), "hardened-mcp")[0]).toMatchObject({
      setting: "hardened-mcp:contentSafety.enabled",
      value: "false",
    });
  });

  it("prints the settings, the weakenings, an estimate worded as one, and the duration", () => {
    const text = renderPlanSummary(
      summarizePlan(plan, { settings: parsePlatformConfig(devRawConfig(), context), namespace: "hardened-mcp" }),
      true,
    );
    expect(text).toMatch(/^Settings:\n {2}region westeurope; gateway StandardV2 x1, no custom domain; egress natGateway$/m);
    expect(text).toContain("Weakenings: none");
    expect(text).toMatch(
      /Estimated monthly price: an estimate from list prices \(East US, USD, pay-as-you-go list, read 2026-12-02\), not a quote/,
    );
    expect(text).toMatch(/fixed, before usage\s+\$905\.96 a month/);
    expect(text).toContain("sources:");
    expect(text).toContain("First deployment: about 15-23 minutes");
    const own = renderPlanSummary(summarizePlan(plan), false);
    expect(own).toMatch(/^Settings: your own program/);
    expect(own).not.toContain("Weakenings");
    expect(own).not.toContain("sources:");
  });

  it("names the servers that pull over their registry's private endpoint, and none in the default stack", () => {
    const raw = devRawConfig();
    for (const server of raw.servers) server.registry.privateEndpoint = true;
    const line = (settings: ReturnType<typeof parsePlatformConfig>) =>
      summarizePlan(tinyPlan([]), { settings, namespace: "hardened-mcp" }).settings?.find((l) => l.startsWith("servers: "));
    expect(line(parsePlatformConfig(raw, context))).toBe(
      "servers: github-tools (pinned by digest, 1-3 replicas, 2 tools, pulls over the registry's private endpoint), docs-search (pinned by digest, 1-5 replicas, 2 tools, pulls over the registry's private endpoint)",
    );
    expect(line(parsePlatformConfig(devRawConfig(), context))).not.toContain("private endpoint");
  });

  it("lists each brought resource by its setting, with what its owner must guarantee, and none for the default stack", () => {
    const raw = devRawConfig();
    delete raw.monitoring.retentionInDays;
    const law =
      "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-management/providers/Microsoft.OperationalInsights/workspaces/law-central";
    raw.monitoring.existing = { workspaceId: law };
    const summary = summarizePlan(tinyPlan([]), {
      settings: parsePlatformConfig(raw, { project: "team-mcp", stack: "dev" }),
      namespace: "team-mcp",
    });
    expect(summary.brought).toEqual([
      {
        setting: "team-mcp:monitoring.existing",
        kind: "Log Analytics workspace",
        id: law,
        guarantees: expect.stringContaining("local auth disabled"),
      },
    ]);
    const text = renderPlanSummary(summary, false);
    expect(text).toContain(
      `Brought (1), not created or checked by this stack's pack; their owners must guarantee:\n  team-mcp:monitoring.existing: Log Analytics workspace ${law}\n    local auth disabled`,
    );
    expect(text).toMatch(/^ {2}monitoring to an existing workspace, 5 alert rules/m);
    // The default stack brings nothing: the key is left out, so its plan file is unchanged.
    expect(
      summarizePlan(tinyPlan([]), { settings: parsePlatformConfig(devRawConfig(), context), namespace: "hardened-mcp" }),
    ).not.toHaveProperty("brought");
  });
});
