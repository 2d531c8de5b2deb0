import { allRules } from "../../../policies/rules";
import { readPlan } from "../../../policies/offline/readers";
import { Report, runCheck } from "../../../policies/offline/run";
import { devEngineConfig, devRawConfig, toEngineConfig } from "../../config/fixtures";

/**
 * The pack against the kit's other shapes: every gateway tier and network mode the config offers, and
 * the optional features switched the other way. None may produce a mandatory violation, a rule error or
 * a deferral: what the kit builds, its own policy pack accepts, whichever options a team picks.
 */
type Raw = Record<string, any>;

/** Each variant, and the gateway shape it must produce (so a variant that silently fell back fails). */
const variants: [title: string, change: (raw: Raw) => void, gateway: { sku: string; virtualNetworkType: string }][] = [
  [
    "Premium, VNet-injected, external",
    (r) => Object.assign(r.gateway, { sku: "Premium", virtualNetworkMode: "External" }),
    { sku: "Premium", virtualNetworkType: "External" },
  ],
  [
    "Premium, VNet-injected, internal",
    (r) => Object.assign(r.gateway, { sku: "Premium", virtualNetworkMode: "Internal" }),
    { sku: "Premium", virtualNetworkType: "Internal" },
  ],
  ["Developer, VNet-injected", (r) => Object.assign(r.gateway, { sku: "Developer", capacity: 1 }), { sku: "Developer", virtualNetworkType: "External" }],
  [
    "custom domain, brought Entra app, existing resource group, no Content Safety",
    (r) => {
      r.nameSuffix = "t3st1";
      r.resourceGroup = { name: "rg-shared-mcp", useExisting: true };
      r.contentSafety = { enabled: false };
      r.entra = { mode: "existing", allowedClientAppIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"] };
      r.gateway.customDomain = { hostName: "mcp.contoso.com", certificateSecretId: "https://kv-mcp-dev-t3st1.vault.azure.net/secrets/gateway-tls", bind: true };
      r.servers = [
        {
          ...r.servers[1],
          entraApp: { clientId: "44444444-4444-4444-4444-444444444444", applicationIdUri: "api://44444444-4444-4444-4444-444444444444" },
        },
      ];
    },
    { sku: "StandardV2", virtualNetworkType: "External" },
  ],
];

function engineConfig(change: (raw: Raw) => void): Record<string, string> {
  const raw = devRawConfig();
  const base = devEngineConfig();
  delete raw.location;
  delete raw.subscriptionId;
  change(raw);
  return { ...toEngineConfig(raw), "azure-native:location": base["azure-native:location"], "azure-native:subscriptionId": base["azure-native:subscriptionId"] };
}

const reports = new Map<string, Report>();
const gateways = new Map<string, { sku: string; virtualNetworkType: string }>();

beforeAll(async () => {
  const { synthesizePlan, planToJson } = await import("../../../testing/mock/plan");
  for (const [title, change] of variants) {
    const plan = await synthesizePlan({ stack: "dev", config: engineConfig(change) });
    const service = plan.resources.find((r) => r.type === "azure-native:apimanagement:ApiManagementService");
    const inputs = (service?.inputs ?? {}) as { sku?: { name: string }; virtualNetworkType?: string };
    gateways.set(title, { sku: inputs.sku?.name ?? "", virtualNetworkType: inputs.virtualNetworkType ?? "" });
    reports.set(title, await runCheck(readPlan(JSON.parse(planToJson(plan))), allRules));
  }
});

describe.each(variants.map(([title, , gateway]) => [title, gateway] as const))("the kit's plan with %s", (title, gateway) => {
  it("builds the gateway the variant asks for", () => {
    expect(gateways.get(title)).toEqual(gateway);
  });

  it("has no mandatory violation, rule error or deferral", () => {
    const report = reports.get(title)!;
    expect(report.summary.resources).toBeGreaterThan(50);
    expect(report.errors).toEqual([]);
    expect(report.deferred).toEqual([]);
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.id} ${v.urn}: ${v.message}`)).toEqual([]);
  });
});
