import type { Plan, PlanResource } from "../testing/planFile";

/**
 * A small table of public list prices, per resource SKU, and the monthly estimate of a plan built from it.
 *
 * Every price is USD, pay-as-you-go list, East US, for a 730-hour month, as read on `PRICES_READ` from the source
 * named on its line. Prices differ by region and currency, change over time, and exclude taxes, agreements
 * (EA/MCA/CSP discounts, reservations) and usage; the Azure pricing calculator is authoritative. The estimate
 * is a starting point for a budget, never a quote.
 */
export const PRICES_READ = "2026-12-02";
export const PRICE_REGION = "East US, USD, pay-as-you-go list";
const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

const SOURCES = {
  apim: "microsoftnegotiations.com/blog/azure-api-management-licensing (2026 US list summary); canonical: azure.microsoft.com/pricing/details/api-management",
  nat: "c3x.dev/resources/azure/azurerm_nat_gateway ($0.045/hour, $0.045/GB; Standard static public IP $0.005/hour); canonical: azure.microsoft.com/pricing/details/azure-nat-gateway",
  privateLink: "gigxp.com Private Link cost guide and oneuptime.com (endpoint $0.01/hour, $0.01/GB processed; private DNS zone $0.50/month, $0.40/million queries); canonical: azure.microsoft.com/pricing/details/private-link and .../dns",
  containerApps:
    "learn.microsoft.com/azure/container-apps/billing (free grant per subscription per month: 180,000 vCPU-s, 360,000 GiB-s, 2 million requests); rates: azure.microsoft.com/pricing/details/container-apps (active $0.000024/vCPU-s, $0.000003/GiB-s)",
  logAlerts: "azure.microsoft.com/pricing/details/monitor (log search alert rule, per rule and month by frequency: 15 min $0.50, 10 min $1.00, 5 min $1.50, 1 min $3.00)",
  logAnalytics: "learn.microsoft.com/azure/azure-monitor/logs/cost-logs (model: per GB ingested, 31 days retention included); rate: azure.microsoft.com/pricing/details/monitor (Analytics logs $2.30/GB)",
  contentSafety: "Microsoft Q&A on Content Safety billing, quoting the pricing page (Standard S0: $0.38 per 1,000 text records of up to 1,000 characters)",
  keyVault: "azure.microsoft.com/pricing/details/key-vault (Standard: $0.03 per 10,000 secret operations)",
} as const;

/** API Management, per unit and month (the kit refuses Consumption, Basic, Standard and BasicV2; listed for library users). */
const APIM_UNIT_MONTH: Readonly<Record<string, number>> = {
  Developer: 48,
  Basic: 155,
  Standard: 704,
  BasicV2: 210,
  StandardV2: 734,
  Premium: 3000,
};

/** One line of the estimate: a fixed monthly amount, or a usage rate with no amount (it depends on traffic). */
export interface PriceLine {
  readonly item: string;
  readonly quantity: number;
  /** USD a month for the quantity; absent for usage-priced lines. */
  readonly monthly?: number;
  /** What the usage costs, for usage-priced lines (and extra usage of fixed ones). */
  readonly usage?: string;
  readonly source: string;
}

export interface PriceEstimate {
  readonly read: string;
  readonly region: string;
  /** Sum of the fixed lines, USD a month. */
  readonly fixedMonthly: number;
  readonly lines: readonly PriceLine[];
  /** Resources the table has no price for (their type), so nobody mistakes the sum for complete. */
  readonly unpriced: readonly string[];
}

const ofType = (plan: Plan, type: string): PlanResource[] => plan.resources.filter((r) => r.custom && r.type === type);
const round2 = (n: number): number => Math.round(n * 100) / 100;
const num = (value: unknown, fallback: number): number => (typeof value === "number" && Number.isFinite(value) ? value : fallback);

/** "1Gi" / "1.5Gi" -> GiB. */
function gib(memory: unknown): number {
  const match = typeof memory === "string" ? /^(\d+(?:\.\d+)?)Gi$/.exec(memory) : null;
  return match ? Number(match[1]) : 0;
}

function apimLines(plan: Plan): PriceLine[] {
  return ofType(plan, "azure-native:apimanagement:ApiManagementService").map((r) => {
    const sku = (r.inputs.sku ?? {}) as { name?: unknown; capacity?: unknown };
    const name = String(sku.name);
    const units = num(sku.capacity, 1);
    const unit = APIM_UNIT_MONTH[name];
    return unit === undefined
      ? { item: `API Management ${name}`, quantity: units, usage: "no list price in the table (Consumption bills per call)", source: SOURCES.apim }
      : { item: `API Management ${name} (${units} unit${units === 1 ? "" : "s"})`, quantity: units, monthly: unit * units, source: SOURCES.apim };
  });
}

/** The minimum replicas of every app, always on at the active rate, less the subscription's monthly free grant. */
function containerAppsLine(plan: Plan): PriceLine[] {
  const apps = ofType(plan, "azure-native:app:ContainerApp");
  if (apps.length === 0) return [];
  let vcpuSeconds = 0;
  let gibSeconds = 0;
  for (const app of apps) {
    const template = (app.inputs.template ?? {}) as { containers?: { resources?: { cpu?: unknown; memory?: unknown } }[]; scale?: { minReplicas?: unknown } };
    const replicas = num(template.scale?.minReplicas, 0);
    for (const c of template.containers ?? []) {
      vcpuSeconds += replicas * num(c.resources?.cpu, 0) * SECONDS_PER_MONTH;
      gibSeconds += replicas * gib(c.resources?.memory) * SECONDS_PER_MONTH;
    }
  }
  const monthly = Math.max(0, vcpuSeconds - 180_000) * 0.000024 + Math.max(0, gibSeconds - 360_000) * 0.000003;
  return [
    {
      item: `Container Apps (${apps.length} app${apps.length === 1 ? "" : "s"} at minimum replicas, active rate, less the free grant)`,
      quantity: apps.length,
      monthly: round2(monthly),
      usage: "replicas above the minimum: $0.000024/vCPU-s, $0.000003/GiB-s; $0.40 per million requests after 2 million",
      source: SOURCES.containerApps,
    },
  ];
}

function countLine(plan: Plan, type: string, item: string, unitMonthly: number, source: string, usage?: string): PriceLine[] {
  const n = ofType(plan, type).length;
  return n === 0 ? [] : [{ item, quantity: n, monthly: round2(n * unitMonthly), ...(usage ? { usage } : {}), source }];
}

const ALERT_MONTHLY: Readonly<Record<string, number>> = { PT1M: 3, PT5M: 1.5, PT10M: 1, PT15M: 0.5 };

function alertLines(plan: Plan): PriceLine[] {
  const rules = ofType(plan, "azure-native:monitor:ScheduledQueryRule");
  if (rules.length === 0) return [];
  const monthly = rules.reduce((sum, r) => sum + (ALERT_MONTHLY[String(r.inputs.evaluationFrequency)] ?? 3), 0);
  return [{ item: "Log search alert rules", quantity: rules.length, monthly: round2(monthly), source: SOURCES.logAlerts }];
}

function usageLine(plan: Plan, type: string, item: string, usage: string, source: string): PriceLine[] {
  const n = ofType(plan, type).length;
  return n === 0 ? [] : [{ item, quantity: n, usage, source }];
}

/** Types that cost nothing by themselves (their traffic or data is priced on another line). */
const FREE_TYPES = new Set([
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:Subnet",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:privatedns:VirtualNetworkLink",
  "azure-native:privatedns:PrivateRecordSet",
  "azure-native:network:PrivateDnsZoneGroup",
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:authorization:RoleAssignment",
  "azure-native:authorization:ManagementLockAtResourceLevel",
  "azure-native:authorization:ManagementLockByScope",
  "azure-native:monitor:DiagnosticSetting",
  "azure-native:applicationinsights:Component",
  "azure-native:applicationinsights:Workbook",
  "azure-native:app:ManagedEnvironment",
  "azure-native:app:ContainerAppsAuthConfig",
  "azure-native:keyvault:Secret",
]);

/** API Management's children (APIs, policies, named values, backends, loggers, fragments) cost nothing by themselves. */
function isApimChild(r: PlanResource): boolean {
  return r.type.startsWith("azure-native:apimanagement:") || (r.type === "azure-native:resources:Resource" && r.inputs.resourceProviderNamespace === "Microsoft.ApiManagement");
}

/** The monthly list estimate of a plan, per priced resource type. */
export function estimateMonthlyPrice(plan: Plan): PriceEstimate {
  const lines: PriceLine[] = [
    ...apimLines(plan),
    ...containerAppsLine(plan),
    ...countLine(plan, "azure-native:network:NatGateway", "NAT gateway", 0.045 * HOURS_PER_MONTH, SOURCES.nat, "$0.045 per GB processed"),
    ...countLine(plan, "azure-native:network:PublicIPAddress", "Standard static public IP", 0.005 * HOURS_PER_MONTH, SOURCES.nat),
    ...countLine(plan, "azure-native:network:PrivateEndpoint", "Private endpoints", 0.01 * HOURS_PER_MONTH, SOURCES.privateLink, "$0.01 per GB processed"),
    ...countLine(plan, "azure-native:privatedns:PrivateZone", "Private DNS zones", 0.5, SOURCES.privateLink, "$0.40 per million queries"),
    ...alertLines(plan),
    ...usageLine(plan, "azure-native:operationalinsights:Workspace", "Log Analytics ingestion", "$2.30 per GB ingested (31 days of retention included; the kit keeps 90 by default, $0.10/GB/month beyond 31)", SOURCES.logAnalytics),
    ...usageLine(plan, "azure-native:cognitiveservices:Account", "Content Safety S0 (Prompt Shields)", "$0.38 per 1,000 text records (a record is up to 1,000 characters)", SOURCES.contentSafety),
    ...usageLine(plan, "azure-native:keyvault:Vault", "Key Vault Standard", "$0.03 per 10,000 operations", SOURCES.keyVault),
  ];
  const priced = new Set([
    "azure-native:apimanagement:ApiManagementService",
    "azure-native:app:ContainerApp",
    "azure-native:network:NatGateway",
    "azure-native:network:PublicIPAddress",
    "azure-native:network:PrivateEndpoint",
    "azure-native:privatedns:PrivateZone",
    "azure-native:monitor:ScheduledQueryRule",
    "azure-native:operationalinsights:Workspace",
    "azure-native:cognitiveservices:Account",
    "azure-native:keyvault:Vault",
  ]);
  // Entra objects cost nothing either.
  const unpriced = [
    ...new Set(
      plan.resources
        .filter((r) => r.custom && !priced.has(r.type) && !FREE_TYPES.has(r.type) && !isApimChild(r) && !r.type.startsWith("azuread:") && !r.type.startsWith("pulumi:"))
        .map((r) => r.type),
    ),
  ].sort();
  const fixedMonthly = round2(lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0));
  return { read: PRICES_READ, region: PRICE_REGION, fixedMonthly, lines, unpriced };
}
