import { allRules } from "../../../policies/rules";
import { readPlan } from "../../../policies/offline/readers";
import { Report, runCheck } from "../../../policies/offline/run";
import { planToJson } from "../../../testing/planFile";
import type { SharedPlanName } from "../../support/planConfigs";
import { sharedPlan } from "../../support/plans";

/**
 * The pack against the kit's other shapes: every gateway tier and network mode the config offers, and
 * the optional features switched the other way. None may produce a mandatory violation, a rule error or
 * a deferral: what the kit builds, its own policy pack accepts, whichever options a team picks.
 * The variants' configs are in test/support/planConfigs.ts; each plan is synthesized once per run.
 */

/** Each variant, and the gateway shape it must produce (so a variant that silently fell back fails). */
const variants: [title: string, plan: SharedPlanName, gateway: { sku: string; virtualNetworkType: string }][] = [
  ["Premium, VNet-injected, external", "premium-external", { sku: "Premium", virtualNetworkType: "External" }],
  ["Premium, VNet-injected, internal", "premium-internal", { sku: "Premium", virtualNetworkType: "Internal" }],
  ["Developer, VNet-injected", "developer", { sku: "Developer", virtualNetworkType: "External" }],
  // Also the registry's private endpoint and its privatelink.azurecr.io zone (azure-network-private-endpoint-dns-zone-matches judges them).
  ["Premium internal, custom domain not bound yet, registry private endpoint", "platform-internal", { sku: "Premium", virtualNetworkType: "Internal" }],
  ["custom domain, brought Entra app, existing resource group, no Content Safety", "brought-everything", { sku: "StandardV2", virtualNetworkType: "External" }],
  ["an existing workspace, network, vault and gateway identity", "brought-existing", { sku: "StandardV2", virtualNetworkType: "External" }],
];

const reports = new Map<string, Report>();
const gateways = new Map<string, { sku: string; virtualNetworkType: string }>();

beforeAll(async () => {
  for (const [title, name] of variants) {
    const plan = await sharedPlan(name);
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

it("finds nothing on the brought resources' variant beyond the gateway's public access (a brought vault gets no placeholder secret)", () => {
  const report = reports.get("an existing workspace, network, vault and gateway identity")!;
  expect(report.violations.map((v) => `${v.enforcementLevel} ${v.id}`)).toEqual(["advisory azure-apim-public-network-disabled"]);
});
