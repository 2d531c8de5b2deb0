/**
 * The rates a monthly estimate multiplies the plan's quantities by, and the one dated table the kit ships.
 *
 * A rate card is keyed by `RateKey` (one meter each, in the unit the key names). The shipped table holds public
 * pay-as-you-go list prices for ONE region group, East US, as read on `TABLE_READ` from the sources named per
 * area. Prices differ by region: the table is never scaled to another region (no multipliers); a stack elsewhere
 * gets these prices labelled as East US's, with a caveat, or live prices for its own region from the Azure Retail
 * Prices API (`hardened-mcp prices`, cli/pricesLive.ts). The Azure pricing calculator is authoritative.
 */

/** One meter, in the unit its name ends with (`Month` = a 730-hour month). */
export type RateKey =
  | `apim.${ApimTier}`
  | "aca.vcpuSecond"
  | "aca.gibSecond"
  | "aca.millionRequests"
  | "nat.hour"
  | "nat.gb"
  | "publicIp.hour"
  | "privateEndpoint.hour"
  | "privateEndpoint.gb"
  | "dns.zoneMonth"
  | "dns.millionQueries"
  | `alert.${AlertFrequency}`
  | "logs.gb"
  | "logs.retentionGbMonth"
  | "contentSafety.thousandRecords"
  | "keyVault.tenThousandOperations";

/** API Management tiers priced per unit and month (the kit refuses Consumption, Basic, Standard and BasicV2; listed for library users). */
export const APIM_TIERS = ["Developer", "Basic", "Standard", "BasicV2", "StandardV2", "Premium"] as const;
export type ApimTier = (typeof APIM_TIERS)[number];
/** Log search alert rules are billed per rule and month by evaluation frequency. */
export const ALERT_FREQUENCIES = ["PT1M", "PT5M", "PT10M", "PT15M"] as const;
export type AlertFrequency = (typeof ALERT_FREQUENCIES)[number];

/** The areas of the estimate, one source each. */
export type PriceArea = "apim" | "containerApps" | "nat" | "privateLink" | "logAlerts" | "logAnalytics" | "contentSafety" | "keyVault";

export interface RateCard {
  /** Where the rates come from: "dated list-price table" or "Azure Retail Prices API". */
  readonly source: string;
  /** The date the rates were read (YYYY-MM-DD). */
  readonly read: string;
  /** ISO 4217 code of every rate. */
  readonly currency: string;
  /** The Azure region (armRegionName) the rates are for. */
  readonly pricedFor: string;
  /** The region group the rates stand for: only these regions are priced by them. */
  readonly regionGroup: { readonly name: string; readonly regions: readonly string[] };
  readonly rates: Readonly<Partial<Record<RateKey, number>>>;
  /** Why a rate is absent (a meter not found, an unexpected unit), by key. */
  readonly missing?: Readonly<Partial<Record<RateKey, string>>>;
  /** Where each area's rates were read. */
  readonly sources: Readonly<Record<PriceArea, string>>;
  /** Keys whose meter is priced under another region name than `pricedFor` (e.g. "Global"), by key. */
  readonly regionOf?: Readonly<Partial<Record<RateKey, string>>>;
}

export const TABLE_READ = "2026-12-02";

/**
 * The shipped table: USD, pay-as-you-go list, East US. Only eastus is in its region group: East US 2 and every
 * other region have their own prices, which the kit does not hold (a source for them has not been read).
 */
export const EAST_US_TABLE: RateCard = {
  source: "dated list-price table",
  read: TABLE_READ,
  currency: "USD",
  pricedFor: "eastus",
  regionGroup: { name: "East US", regions: ["eastus"] },
  rates: {
    "apim.Developer": 48,
    "apim.Basic": 155,
    "apim.Standard": 704,
    "apim.BasicV2": 210,
    "apim.StandardV2": 734,
    "apim.Premium": 3000,
    "aca.vcpuSecond": 0.000024,
    "aca.gibSecond": 0.000003,
    "aca.millionRequests": 0.4,
    "nat.hour": 0.045,
    "nat.gb": 0.045,
    "publicIp.hour": 0.005,
    "privateEndpoint.hour": 0.01,
    "privateEndpoint.gb": 0.01,
    "dns.zoneMonth": 0.5,
    "dns.millionQueries": 0.4,
    "alert.PT1M": 3,
    "alert.PT5M": 1.5,
    "alert.PT10M": 1,
    "alert.PT15M": 0.5,
    "logs.gb": 2.3,
    "logs.retentionGbMonth": 0.1,
    "contentSafety.thousandRecords": 0.38,
    "keyVault.tenThousandOperations": 0.03,
  },
  sources: {
    apim: "microsoftnegotiations.com/blog/azure-api-management-licensing (2026 US list summary); canonical: azure.microsoft.com/pricing/details/api-management",
    nat: "c3x.dev/resources/azure/azurerm_nat_gateway ($0.045/hour, $0.045/GB; Standard static public IP $0.005/hour); canonical: azure.microsoft.com/pricing/details/azure-nat-gateway",
    privateLink:
      "gigxp.com Private Link cost guide and oneuptime.com (endpoint $0.01/hour, $0.01/GB processed; private DNS zone $0.50/month, $0.40/million queries); canonical: azure.microsoft.com/pricing/details/private-link and .../dns",
    containerApps:
      "learn.microsoft.com/azure/container-apps/billing (free grant per subscription per month: 180,000 vCPU-s, 360,000 GiB-s, 2 million requests); rates: azure.microsoft.com/pricing/details/container-apps (active $0.000024/vCPU-s, $0.000003/GiB-s)",
    logAlerts:
      "azure.microsoft.com/pricing/details/monitor (log search alert rule, per rule and month by frequency: 15 min $0.50, 10 min $1.00, 5 min $1.50, 1 min $3.00)",
    logAnalytics:
      "learn.microsoft.com/azure/azure-monitor/logs/cost-logs (model: per GB ingested, 31 days retention included); rate: azure.microsoft.com/pricing/details/monitor (Analytics logs $2.30/GB)",
    contentSafety:
      "Microsoft Q&A on Content Safety billing, quoting the pricing page (Standard S0: $0.38 per 1,000 text records of up to 1,000 characters)",
    keyVault: "azure.microsoft.com/pricing/details/key-vault (Standard: $0.03 per 10,000 secret operations)",
  },
};

/** "westeurope", "West Europe" and "WESTEUROPE" are one region: ARM's armRegionName form. */
export function normalizeRegion(region: string): string {
  return region.replace(/\s+/g, "").toLowerCase();
}

/** The shipped tables, by region group. Add one only with its own sources and date; never derive one from another. */
export const PRICE_TABLES: readonly RateCard[] = [EAST_US_TABLE];

/** The shipped table for a region, if its region group has one. */
export function tableFor(region: string | undefined): RateCard | undefined {
  if (region === undefined) return undefined;
  const wanted = normalizeRegion(region);
  return PRICE_TABLES.find((t) => t.regionGroup.regions.includes(wanted));
}
