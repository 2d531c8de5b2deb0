import type { Plan, PlanResource } from "../testing/planFile";
import {
  ALERT_FREQUENCIES,
  type AlertFrequency,
  APIM_TIERS,
  type ApimTier,
  EAST_US_TABLE,
  type PriceArea,
  type RateCard,
  type RateKey,
} from "./pricesTable";
import { regionCaveats, stackRegions, type OtherRegion } from "./pricesRegion";

/**
 * The monthly estimate of a plan: its quantities (units, replicas, endpoints, rules) times a rate card's rates.
 * `plan` prices it from the shipped dated table (East US) and says so when the stack is elsewhere;
 * `hardened-mcp prices` prices it from the Azure Retail Prices API for the stack's region. Either way the
 * estimate excludes taxes, agreements (EA/MCA/CSP discounts, reservations) and most usage: a starting point for a
 * budget, never a quote.
 */
const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** Container Apps' free grant per subscription and month (learn.microsoft.com/azure/container-apps/billing). */
const ACA_FREE_VCPU_SECONDS = 180_000;
const ACA_FREE_GIB_SECONDS = 360_000;

/** One line of the estimate: a fixed monthly amount, or a usage rate with no amount (it depends on traffic). */
export interface PriceLine {
  readonly item: string;
  readonly quantity: number;
  /** Amount a month for the quantity, in the estimate's currency; absent for usage-priced lines and unpriced ones. */
  readonly monthly?: number;
  /** What the usage costs, for usage-priced lines (and extra usage of fixed ones). */
  readonly usage?: string;
  /** Why a fixed line has no amount: its rate was not found (the meter, the unit). */
  readonly missing?: string;
  readonly source: string;
}

export interface PriceEstimate {
  /** Where the rates come from, with the date they were read: "dated list-price table 2026-12-02", "Azure Retail Prices API 2026-12-02". */
  readonly source: string;
  readonly read: string;
  /** The rates' region group, currency and price kind, as printed: "East US, USD, pay-as-you-go list". */
  readonly region: string;
  /** The region group the rates stand for ("East US"), and the region (armRegionName) they were read for. */
  readonly regionGroup: string;
  readonly pricedFor: string;
  readonly currency: string;
  /** The region the plan deploys to (its gateway's location, else the most common one); absent when no location is known. */
  readonly stackRegion?: string;
  /** Resources the plan puts in other regions than `stackRegion`: priced at `pricedFor`'s rates all the same. */
  readonly otherRegions?: readonly OtherRegion[];
  /** What the reader must know before using the figure (prices for another region than the stack's, ...). */
  readonly caveats?: readonly string[];
  /** Sum of the fixed lines that have an amount. */
  readonly fixedMonthly: number;
  readonly lines: readonly PriceLine[];
  /** Resources the table has no price for (their type), so nobody mistakes the sum for complete. */
  readonly unpriced: readonly string[];
}

const ofType = (plan: Plan, type: string): PlanResource[] => plan.resources.filter((r) => r.custom && r.type === type);
const round2 = (n: number): number => Math.round(n * 100) / 100;
const num = (value: unknown, fallback: number): number => (typeof value === "number" && Number.isFinite(value) ? value : fallback);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "1Gi" / "1.5Gi" -> GiB. */
function gib(memory: unknown): number {
  const match = typeof memory === "string" ? /^(\d+(?:\.\d+)?)Gi$/.exec(memory) : null;
  return match ? Number(match[1]) : 0;
}

/** A rate as text: "$0.045", "€2.30", "$0.000024". */
export function rateText(n: number, currency: string): string {
  return n.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

/** Reads rates from a card, and words a missing one. */
class Rates {
  constructor(private readonly card: RateCard) {}
  get(key: RateKey): number | undefined {
    return this.card.rates[key];
  }
  /** "$0.045 per GB processed", or what is missing instead of a figure. */
  text(key: RateKey, unit: string): string {
    const rate = this.get(key);
    return rate === undefined ? `rate not found (${this.why(key)})` : `${rateText(rate, this.card.currency)} ${unit}`;
  }
  why(key: RateKey): string {
    return this.card.missing?.[key] ?? `no ${key} rate`;
  }
  source(area: PriceArea): string {
    return this.card.sources[area];
  }
}

/** A fixed line: an amount when every rate it needs is known, else the reason it has none. */
function fixed(
  item: string,
  quantity: number,
  keys: readonly RateKey[],
  amount: (rate: (k: RateKey) => number) => number,
  source: string,
  rates: Rates,
  usage?: string,
): PriceLine {
  const absent = keys.filter((k) => rates.get(k) === undefined);
  const extra = usage ? { usage } : {};
  if (absent.length > 0) return { item, quantity, missing: absent.map((k) => rates.why(k)).join("; "), ...extra, source };
  return { item, quantity, monthly: round2(amount((k) => rates.get(k) ?? 0)), ...extra, source };
}

function apimLines(plan: Plan, rates: Rates): PriceLine[] {
  return ofType(plan, "azure-native:apimanagement:ApiManagementService").map((r) => {
    const sku = (r.inputs.sku ?? {}) as { name?: unknown; capacity?: unknown };
    const name = String(sku.name);
    const units = num(sku.capacity, 1);
    const source = rates.source("apim");
    if (!(APIM_TIERS as readonly string[]).includes(name)) {
      return { item: `API Management ${name}`, quantity: units, usage: "no unit price (Consumption bills per call)", source };
    }
    const key: RateKey = `apim.${name as ApimTier}`;
    return fixed(`API Management ${name} (${plural(units, "unit")})`, units, [key], (rate) => rate(key) * units, source, rates);
  });
}

/** The minimum replicas of every app, always on at the active rate, less the subscription's monthly free grant. */
function containerAppsLine(plan: Plan, rates: Rates): PriceLine[] {
  const apps = ofType(plan, "azure-native:app:ContainerApp");
  if (apps.length === 0) return [];
  let vcpuSeconds = 0;
  let gibSeconds = 0;
  for (const app of apps) {
    const template = (app.inputs.template ?? {}) as {
      containers?: { resources?: { cpu?: unknown; memory?: unknown } }[];
      scale?: { minReplicas?: unknown };
    };
    const replicas = num(template.scale?.minReplicas, 0);
    for (const c of template.containers ?? []) {
      vcpuSeconds += replicas * num(c.resources?.cpu, 0) * SECONDS_PER_MONTH;
      gibSeconds += replicas * gib(c.resources?.memory) * SECONDS_PER_MONTH;
    }
  }
  const usage = `replicas above the minimum: ${rates.text("aca.vcpuSecond", "per vCPU-s")}, ${rates.text("aca.gibSecond", "per GiB-s")}; ${rates.text("aca.millionRequests", "per million requests after 2 million")}`;
  return [
    fixed(
      `Container Apps (${plural(apps.length, "app")} at minimum replicas, active rate, less the free grant)`,
      apps.length,
      ["aca.vcpuSecond", "aca.gibSecond"],
      (rate) =>
        Math.max(0, vcpuSeconds - ACA_FREE_VCPU_SECONDS) * rate("aca.vcpuSecond") +
        Math.max(0, gibSeconds - ACA_FREE_GIB_SECONDS) * rate("aca.gibSecond"),
      rates.source("containerApps"),
      rates,
      usage,
    ),
  ];
}

/** One line for every resource of a type, at a monthly rate per resource (an hourly one times 730). */
function countLine(
  plan: Plan,
  type: string,
  item: string,
  key: RateKey,
  perMonth: number,
  area: PriceArea,
  rates: Rates,
  usage?: () => string,
): PriceLine[] {
  const n = ofType(plan, type).length;
  return n === 0 ? [] : [fixed(item, n, [key], (rate) => n * rate(key) * perMonth, rates.source(area), rates, usage?.())];
}

function alertLines(plan: Plan, rates: Rates): PriceLine[] {
  const rules = ofType(plan, "azure-native:monitor:ScheduledQueryRule");
  if (rules.length === 0) return [];
  // An unknown or unlisted frequency is priced as the dearest (1 minute): an estimate errs high, not low.
  const keyOf = (r: PlanResource): RateKey =>
    `alert.${(ALERT_FREQUENCIES as readonly string[]).includes(String(r.inputs.evaluationFrequency)) ? (r.inputs.evaluationFrequency as AlertFrequency) : "PT1M"}`;
  const keys = [...new Set(rules.map(keyOf))];
  return [
    fixed(
      "Log search alert rules",
      rules.length,
      keys,
      (rate) => rules.reduce((sum, r) => sum + rate(keyOf(r)), 0),
      rates.source("logAlerts"),
      rates,
    ),
  ];
}

/** A line priced by usage alone; `usage` is read only when the plan has the type (so only its rates are needed). */
function usageLine(plan: Plan, type: string, item: string, usage: () => string, area: PriceArea, rates: Rates): PriceLine[] {
  const n = ofType(plan, type).length;
  return n === 0 ? [] : [{ item, quantity: n, usage: usage(), source: rates.source(area) }];
}

/**
 * Logs sent to a workspace the stack brings (`monitoring.existing`): no workspace in the plan, but diagnostic
 * settings naming one. Their ingestion is billed where that workspace lives, which may be another subscription;
 * the line says so rather than leaving the logs out as if they were free.
 */
function broughtWorkspaceLine(plan: Plan, rates: Rates): PriceLine[] {
  if (ofType(plan, "azure-native:operationalinsights:Workspace").length > 0) return [];
  const workspaces = new Set(
    ofType(plan, "azure-native:monitor:DiagnosticSetting")
      .map((r) => r.inputs.workspaceId)
      .filter((id): id is string => typeof id === "string" && id !== ""),
  );
  if (workspaces.size === 0) return [];
  return [
    {
      item: "Log Analytics ingestion into the brought workspace (billed to the workspace's subscription)",
      quantity: workspaces.size,
      usage: `${rates.text("logs.gb", "per GB ingested")} at that workspace's own rates and retention`,
      source: rates.source("logAnalytics"),
    },
  ];
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

/** Types a line above prices. */
const PRICED_TYPES = new Set([
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

/** API Management's children (APIs, policies, named values, backends, loggers, fragments) cost nothing by themselves. */
function isApimChild(r: PlanResource): boolean {
  return (
    r.type.startsWith("azure-native:apimanagement:") ||
    (r.type === "azure-native:resources:Resource" && r.inputs.resourceProviderNamespace === "Microsoft.ApiManagement")
  );
}

/** The lines of a plan priced from a card, in the order they print. */
export function priceLines(plan: Plan, card: RateCard): PriceLine[] {
  const rates = new Rates(card);
  return [
    ...apimLines(plan, rates),
    ...containerAppsLine(plan, rates),
    ...countLine(plan, "azure-native:network:NatGateway", "NAT gateway", "nat.hour", HOURS_PER_MONTH, "nat", rates, () =>
      rates.text("nat.gb", "per GB processed"),
    ),
    ...countLine(plan, "azure-native:network:PublicIPAddress", "Standard static public IP", "publicIp.hour", HOURS_PER_MONTH, "nat", rates),
    ...countLine(
      plan,
      "azure-native:network:PrivateEndpoint",
      "Private endpoints",
      "privateEndpoint.hour",
      HOURS_PER_MONTH,
      "privateLink",
      rates,
      () => rates.text("privateEndpoint.gb", "per GB processed"),
    ),
    ...countLine(plan, "azure-native:privatedns:PrivateZone", "Private DNS zones", "dns.zoneMonth", 1, "privateLink", rates, () =>
      rates.text("dns.millionQueries", "per million queries"),
    ),
    ...alertLines(plan, rates),
    ...usageLine(
      plan,
      "azure-native:operationalinsights:Workspace",
      "Log Analytics ingestion",
      () =>
        `${rates.text("logs.gb", "per GB ingested")} (31 days of retention included; the kit keeps 90 by default, ${rates.text("logs.retentionGbMonth", "per GB and month beyond 31")})`,
      "logAnalytics",
      rates,
    ),
    ...broughtWorkspaceLine(plan, rates),
    ...usageLine(
      plan,
      "azure-native:cognitiveservices:Account",
      "Content Safety S0 (Prompt Shields)",
      () => `${rates.text("contentSafety.thousandRecords", "per 1,000 text records")} (a record is up to 1,000 characters)`,
      "contentSafety",
      rates,
    ),
    ...usageLine(
      plan,
      "azure-native:keyvault:Vault",
      "Key Vault Standard",
      () => rates.text("keyVault.tenThousandOperations", "per 10,000 operations"),
      "keyVault",
      rates,
    ),
  ];
}

/** The rates a plan's estimate reads: what a live lookup must find. */
export function ratesNeeded(plan: Plan): RateKey[] {
  const seen = new Set<RateKey>();
  const recording = new Proxy({} as Partial<Record<RateKey, number>>, {
    get: (_target, key) => {
      if (typeof key === "string") seen.add(key as RateKey);
      return 1;
    },
  });
  priceLines(plan, { ...EAST_US_TABLE, rates: recording });
  return [...seen].sort();
}

/** The monthly estimate of a plan from a rate card (by default the shipped East US table), with its region stated. */
export function estimateMonthlyPrice(plan: Plan, card: RateCard = EAST_US_TABLE): PriceEstimate {
  const lines = priceLines(plan, card);
  // Entra objects and the providers cost nothing either.
  const unpriced = [
    ...new Set(
      plan.resources
        .filter(
          (r) =>
            r.custom &&
            !PRICED_TYPES.has(r.type) &&
            !FREE_TYPES.has(r.type) &&
            !isApimChild(r) &&
            !r.type.startsWith("azuread:") &&
            !r.type.startsWith("pulumi:"),
        )
        .map((r) => r.type),
    ),
  ].sort();
  const fixedMonthly = round2(lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0));
  const where = stackRegions(plan);
  const caveats = regionCaveats(where, card);
  return {
    source: `${card.source} ${card.read}`,
    read: card.read,
    region: `${card.regionGroup.name}, ${card.currency}, pay-as-you-go list`,
    regionGroup: card.regionGroup.name,
    pricedFor: card.pricedFor,
    currency: card.currency,
    ...(where.region ? { stackRegion: where.region } : {}),
    ...(where.others.length > 0 ? { otherRegions: where.others } : {}),
    ...(caveats.length > 0 ? { caveats } : {}),
    fixedMonthly,
    lines,
    unpriced,
  };
}
