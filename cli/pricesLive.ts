import { EAST_US_TABLE, type PriceArea, type RateCard, type RateKey } from "./pricesTable";

/**
 * Live rates from the Azure Retail Prices API: public, unauthenticated, no Azure account needed
 * (learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices, read 2026-12-02):
 * GET https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&currencyCode='EUR'&$filter=...
 * answers `{ BillingCurrency, Items: [{ retailPrice, unitOfMeasure, meterName, skuName, productName, serviceName,
 * armRegionName, tierMinimumUnits, type, currencyCode, ... }], NextPageLink }`, a page at a time until NextPageLink
 * is null. Since 2023-01-01-preview filter values are case-sensitive, so regions are sent as armRegionName
 * ("westeurope") and meter names exactly. Non-USD prices are for reference (Learn: Microsoft prices in USD).
 */
export const RETAIL_PRICES_ENDPOINT = "https://prices.azure.com/api/retail/prices";
export const RETAIL_PRICES_API_VERSION = "2023-01-01-preview";
export const RETAIL_PRICES_DOCS = "learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices";

/**
 * Where a meter is priced. "regional": only under the stack's region (a regional row missing means the service
 * is not sold there, never "take another region's"). "anywhere": the region's row if there is one, else the row
 * Azure lists under "Global" or under no region (NAT gateway, private endpoints, alert rules, DNS zones).
 */
type Scope = "regional" | "anywhere";

interface Meter {
  readonly area: PriceArea;
  readonly serviceName: string;
  readonly meterName: string;
  readonly skuName?: string;
  /** The unitOfMeasure the rate key's unit is derived from; any other unit is refused, never rescaled by guess. */
  readonly unit: string;
  /** Multiplier from the meter's unit to the key's (a 730-hour month for per-unit-month keys). */
  readonly factor: number;
  readonly scope: Scope;
}

const apimUnit = (label: string): Meter => ({
  area: "apim",
  serviceName: "API Management",
  meterName: `${label} Unit`,
  unit: "1 Hour",
  factor: 730,
  scope: "regional",
});
const alert = (minutes: number): Meter => ({
  area: "logAlerts",
  serviceName: "Azure Monitor",
  meterName: `Alerts System Log Monitored at ${minutes} Minute Frequency`,
  unit: "1/Month",
  factor: 1,
  scope: "anywhere",
});

/**
 * The meters behind each rate key, by the names and units the API lists them under (as public answers of the API
 * show them, read 2026-12-02; Learn documents the fields, not each service's meters). A name or unit that differs
 * today is reported as not found or in another unit, never rescaled or replaced. Keys without a meter here (Content
 * Safety's text records, private endpoint data processing) are reported as not looked up: their meter names are
 * not verified, and a guessed name would price nothing while looking authoritative.
 */
export const METERS: Readonly<Partial<Record<RateKey, Meter>>> = {
  "apim.Developer": apimUnit("Developer"),
  "apim.Basic": apimUnit("Basic"),
  "apim.Standard": apimUnit("Standard"),
  "apim.BasicV2": apimUnit("Basic v2"),
  "apim.StandardV2": apimUnit("Standard v2"),
  "apim.Premium": apimUnit("Premium"),
  "aca.vcpuSecond": {
    area: "containerApps",
    serviceName: "Azure Container Apps",
    meterName: "Standard vCPU Active Usage",
    unit: "1 Second",
    factor: 1,
    scope: "regional",
  },
  "aca.gibSecond": {
    area: "containerApps",
    serviceName: "Azure Container Apps",
    meterName: "Standard Memory Active Usage",
    unit: "1 GiB Second",
    factor: 1,
    scope: "regional",
  },
  "aca.millionRequests": {
    area: "containerApps",
    serviceName: "Azure Container Apps",
    meterName: "Standard Requests",
    unit: "1M",
    factor: 1,
    scope: "regional",
  },
  "nat.hour": { area: "nat", serviceName: "NAT Gateway", meterName: "Standard Gateway", unit: "1 Hour", factor: 1, scope: "anywhere" },
  "nat.gb": { area: "nat", serviceName: "NAT Gateway", meterName: "Standard Data Processed", unit: "1 GB", factor: 1, scope: "anywhere" },
  "publicIp.hour": {
    area: "nat",
    serviceName: "Virtual Network",
    meterName: "Standard IPv4 Static Public IP",
    unit: "1 Hour",
    factor: 1,
    scope: "regional",
  },
  "privateEndpoint.hour": {
    area: "privateLink",
    serviceName: "Virtual Network",
    meterName: "Standard Private Endpoint",
    unit: "1 Hour",
    factor: 1,
    scope: "anywhere",
  },
  "dns.zoneMonth": {
    area: "privateLink",
    serviceName: "Azure DNS",
    meterName: "Private Zone",
    unit: "1/Month",
    factor: 1,
    scope: "anywhere",
  },
  "dns.millionQueries": {
    area: "privateLink",
    serviceName: "Azure DNS",
    meterName: "Private Queries",
    unit: "1M",
    factor: 1,
    scope: "anywhere",
  },
  "alert.PT1M": alert(1),
  "alert.PT5M": alert(5),
  "alert.PT10M": alert(10),
  "alert.PT15M": alert(15),
  "logs.gb": {
    area: "logAnalytics",
    serviceName: "Log Analytics",
    meterName: "Analytics Logs Data Ingestion",
    unit: "1 GB",
    factor: 1,
    scope: "regional",
  },
  "logs.retentionGbMonth": {
    area: "logAnalytics",
    serviceName: "Log Analytics",
    meterName: "Analytics Logs Data Retention",
    unit: "1 GB/Month",
    factor: 1,
    scope: "regional",
  },
  "keyVault.tenThousandOperations": {
    area: "keyVault",
    serviceName: "Key Vault",
    meterName: "Operations",
    skuName: "Standard",
    unit: "10K",
    factor: 1,
    scope: "regional",
  },
};

/** One price row as the API lists it (the fields read here). */
export interface RetailPriceItem {
  readonly retailPrice: number;
  readonly unitOfMeasure: string;
  readonly meterName: string;
  readonly armRegionName: string;
  readonly type: string;
  readonly currencyCode: string;
  readonly tierMinimumUnits?: number;
}

/** The API could not be read (network, timeout, an HTTP error, an answer that is not a price page): nothing is priced. */
export class PricesUnavailable extends Error {}

export interface LiveOptions {
  readonly region: string;
  readonly currency: string;
  /** @default RETAIL_PRICES_ENDPOINT */
  readonly endpoint?: string;
  /** Per request. @default 15000 */
  readonly timeoutMs?: number;
  /** The date the rates are read, YYYY-MM-DD. @default today (UTC) */
  readonly today?: string;
}

/** Pages followed at most per query: a loop of NextPageLinks must end. A meter query answers in one or two. */
const MAX_PAGES = 10;
const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

function isItem(value: unknown): value is RetailPriceItem {
  const v = value as Partial<RetailPriceItem> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.retailPrice === "number" &&
    typeof v.unitOfMeasure === "string" &&
    typeof v.meterName === "string"
  );
}

/** Every row of one filtered query, page after page; a NextPageLink must stay on the endpoint's origin. */
export async function queryPrices(filter: string, options: LiveOptions): Promise<RetailPriceItem[]> {
  const endpoint = options.endpoint ?? RETAIL_PRICES_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? 15_000;
  // Spaces as %20 (not URLSearchParams' "+"), as Learn's examples send them.
  const first = new URL(
    `${endpoint}?api-version=${RETAIL_PRICES_API_VERSION}&currencyCode=${encodeURIComponent(quote(options.currency))}&$filter=${encodeURIComponent(filter)}`,
  );
  const items: RetailPriceItem[] = [];
  let next: string | null = first.toString();
  for (let page = 0; next !== null; page++) {
    if (page === MAX_PAGES) throw new PricesUnavailable(`more than ${MAX_PAGES} pages for ${filter}`);
    if (new URL(next).origin !== first.origin)
      throw new PricesUnavailable(`a NextPageLink leaves ${first.origin} (${new URL(next).origin}); not followed`);
    let response: Response;
    let text: string;
    try {
      response = await fetch(next, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (err) {
      // fetch rejects with a DOMException (TimeoutError) on timeout and a TypeError with a cause otherwise; read by name,
      // since a DOMException is not an Error in every realm.
      const e = err as { name?: unknown; message?: unknown; cause?: { message?: unknown } } | null;
      if (e?.name === "TimeoutError" || e?.name === "AbortError")
        throw new PricesUnavailable(`${first.host} did not answer within ${timeoutMs / 1000} s`);
      const cause = typeof e?.cause?.message === "string" ? `: ${e.cause.message}` : "";
      throw new PricesUnavailable(`${first.host} could not be reached (${String(e?.message ?? err)}${cause})`);
    }
    if (!response.ok) throw new PricesUnavailable(`${first.host} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
    let body: { Items?: unknown; NextPageLink?: unknown };
    try {
      body = JSON.parse(text) as { Items?: unknown; NextPageLink?: unknown };
    } catch {
      throw new PricesUnavailable(`${first.host} answered something that is not JSON`);
    }
    if (!Array.isArray(body.Items)) throw new PricesUnavailable(`${first.host} answered without an Items list`);
    items.push(...body.Items.filter(isItem));
    next = typeof body.NextPageLink === "string" && body.NextPageLink !== "" ? body.NextPageLink : null;
  }
  return items;
}

/** The filter for one meter in one region (Learn's OData subset: `eq` joined by `and`). */
export function meterFilter(meter: Meter, region: string): string {
  const parts = [
    `serviceName eq ${quote(meter.serviceName)}`,
    `meterName eq ${quote(meter.meterName)}`,
    `priceType eq 'Consumption'`,
    `armRegionName eq ${quote(region)}`,
  ];
  if (meter.skuName) parts.push(`skuName eq ${quote(meter.skuName)}`);
  return parts.join(" and ");
}

type Found = { rate: number; pricedIn: string } | { missing: string };

/**
 * The rate of a meter from its rows: the first paid tier (tiers by tierMinimumUnits; a free first tier such as
 * Log Analytics' first 5 GB is an allowance the estimate states, not the rate), 0 when every tier is free.
 * Rows in another unit are refused; two different prices for one tier are refused as ambiguous.
 */
export function rateOf(meter: Meter, items: readonly RetailPriceItem[], where: string): Found {
  const rows = items.filter((i) => i.meterName === meter.meterName && i.type === "Consumption");
  if (rows.length === 0) return { missing: `meter '${meter.meterName}' (${meter.serviceName}) not found in ${where}` };
  const inUnit = rows.filter((i) => i.unitOfMeasure === meter.unit);
  if (inUnit.length === 0)
    return { missing: `meter '${meter.meterName}' is listed per '${rows[0].unitOfMeasure}', not per '${meter.unit}'` };
  const tiers = [...new Set(inUnit.map((i) => i.tierMinimumUnits ?? 0))].sort((a, b) => a - b);
  for (const tier of tiers) {
    const prices = [...new Set(inUnit.filter((i) => (i.tierMinimumUnits ?? 0) === tier).map((i) => i.retailPrice))];
    if (prices.length > 1)
      return { missing: `meter '${meter.meterName}' has ${prices.length} prices (${prices.join(", ")}) in ${where}; ambiguous` };
    if (prices[0] > 0) return { rate: prices[0] * meter.factor, pricedIn: inUnit[0].armRegionName };
  }
  return { rate: 0, pricedIn: inUnit[0].armRegionName };
}

/** Looks one meter up: the region first, then (for meters Azure prices outside regions) "Global" and "". */
async function lookUp(meter: Meter, options: LiveOptions): Promise<Found & { requests: number }> {
  const regions = meter.scope === "regional" ? [options.region] : [options.region, "Global", ""];
  let found: Found = { missing: "" };
  for (const [i, region] of regions.entries()) {
    found = rateOf(
      meter,
      await queryPrices(meterFilter(meter, region), options),
      meter.scope === "regional" ? options.region : `${options.region}, Global or unregioned rows`,
    );
    if ("rate" in found || !found.missing.includes("not found")) return { ...found, requests: i + 1 };
  }
  return { ...found, requests: regions.length };
}

/** Runs `work` over `items`, `limit` at a time, in order. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  return out;
}

/** A rate card for `keys` from the API, for one region and currency; throws PricesUnavailable when it cannot be read. */
export async function liveRateCard(keys: readonly RateKey[], options: LiveOptions): Promise<RateCard & { requests: number }> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const rates: Partial<Record<RateKey, number>> = {};
  const missing: Partial<Record<RateKey, string>> = {};
  const read: Partial<Record<PriceArea, string[]>> = {};
  let requests = 0;
  const results = await inBatches(keys, 4, async (key) => ({
    key,
    meter: METERS[key],
    found: METERS[key] ? await lookUp(METERS[key], options) : undefined,
  }));
  for (const { key, meter, found } of results) {
    if (!meter || !found) {
      missing[key] = `not looked up: the kit has no verified Retail Prices meter for ${key}`;
      continue;
    }
    requests += found.requests;
    if ("rate" in found) {
      rates[key] = found.rate;
      const under = found.pricedIn === options.region ? "" : ` (listed under ${found.pricedIn === "" ? "no region" : found.pricedIn})`;
      (read[meter.area] ??= []).push(`'${meter.meterName}'${under}`);
    } else missing[key] = found.missing;
  }
  const api = `Azure Retail Prices API (${RETAIL_PRICES_DOCS}), api-version ${RETAIL_PRICES_API_VERSION}, ${options.region}, ${options.currency}, read ${today}`;
  const sources = Object.fromEntries(
    (Object.keys(EAST_US_TABLE.sources) as PriceArea[]).map((area) => [
      area,
      read[area] ? `${api}: ${read[area].join(", ")}` : `${api}: no meter found`,
    ]),
  ) as Record<PriceArea, string>;
  return {
    source: "Azure Retail Prices API",
    read: today,
    currency: options.currency,
    pricedFor: options.region,
    regionGroup: { name: options.region, regions: [options.region] },
    rates,
    missing,
    sources,
    requests,
  };
}
