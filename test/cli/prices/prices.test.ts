import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../../../cli/prices";
import { METERS, rateOf } from "../../../cli/pricesLive";
import type { PlanResource } from "../../../testing/planFile";
import { FakeRetailPrices, FakeRow, startFakeRetailPrices } from "./fakeRetailPrices";
import { captureConsole } from "../../support/console";

/** `hardened-mcp prices` end to end against a local fake of the Azure Retail Prices API (fixture prices, not Azure's). */
const ROWS: FakeRow[] = [
  { serviceName: "API Management", meterName: "Standard v2 Unit", armRegionName: "westeurope", unitOfMeasure: "1 Hour", retailPrice: 1.1 },
  { serviceName: "API Management", meterName: "Standard v2 Unit", armRegionName: "eastus", unitOfMeasure: "1 Hour", retailPrice: 1.0 },
  // Azure lists NAT gateway and alert-rule meters under "Global", not under the region.
  { serviceName: "NAT Gateway", meterName: "Standard Gateway", armRegionName: "Global", unitOfMeasure: "1 Hour", retailPrice: 0.05 },
  { serviceName: "NAT Gateway", meterName: "Standard Data Processed", armRegionName: "Global", unitOfMeasure: "1 GB", retailPrice: 0.05 },
  {
    serviceName: "Azure Monitor",
    meterName: "Alerts System Log Monitored at 15 Minute Frequency",
    armRegionName: "Global",
    unitOfMeasure: "1/Month",
    retailPrice: 0.5,
  },
  {
    serviceName: "Key Vault",
    meterName: "Operations",
    skuName: "Standard",
    armRegionName: "westeurope",
    unitOfMeasure: "10K",
    retailPrice: 0.03,
  },
  {
    serviceName: "Key Vault",
    meterName: "Operations",
    skuName: "Premium",
    armRegionName: "westeurope",
    unitOfMeasure: "10K",
    retailPrice: 0.04,
  },
  // Tiered: the first 5 GB free, then the rate; two pages with pageSize 1.
  {
    serviceName: "Log Analytics",
    meterName: "Analytics Logs Data Ingestion",
    armRegionName: "westeurope",
    unitOfMeasure: "1 GB",
    retailPrice: 0,
    tierMinimumUnits: 0,
  },
  {
    serviceName: "Log Analytics",
    meterName: "Analytics Logs Data Ingestion",
    armRegionName: "westeurope",
    unitOfMeasure: "1 GB",
    retailPrice: 2.99,
    tierMinimumUnits: 5,
  },
  {
    serviceName: "Log Analytics",
    meterName: "Analytics Logs Data Retention",
    armRegionName: "westeurope",
    unitOfMeasure: "1 GB/Month",
    retailPrice: 0.13,
  },
];

const resource = (i: number, type: string, inputs: Record<string, unknown> = {}): PlanResource =>
  ({
    urn: `urn:${i}`,
    name: `r${i}`,
    parent: null,
    custom: true,
    type,
    inputs,
    dependencies: [],
    propertyDependencies: {},
  }) as PlanResource;

const RESOURCES = [
  resource(0, "azure-native:apimanagement:ApiManagementService", { location: "westeurope", sku: { name: "StandardV2", capacity: 1 } }),
  resource(1, "azure-native:network:NatGateway", { location: "westeurope" }),
  resource(2, "azure-native:monitor:ScheduledQueryRule", { location: "westeurope", evaluationFrequency: "PT15M" }),
  resource(3, "azure-native:keyvault:Vault", { location: "westeurope" }),
  resource(4, "azure-native:operationalinsights:Workspace", { location: "westeurope" }),
  resource(5, "azure-native:cognitiveservices:Account", { location: "westeurope" }),
];

let fake: FakeRetailPrices;
let dir: string;
let planFile: string;
const { errors, logs } = captureConsole();

beforeAll(async () => {
  fake = await startFakeRetailPrices({ rows: ROWS, pageSize: 100 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
  planFile = path.join(dir, "plan.json");
  fs.writeFileSync(planFile, JSON.stringify({ version: 1, project: "p", stack: "s", resources: RESOURCES }));
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fake.state = { rows: [...ROWS], pageSize: 100 };
  fake.requests.length = 0;
});

const prices = (...args: string[]) => run(["--plan", planFile, "--endpoint", fake.url, ...args], { today: "2026-12-02" });

describe("hardened-mcp prices", () => {
  it("prices the plan for its own region from the API, the same lines as the plan's estimate", async () => {
    const out = path.join(dir, "prices.json");
    expect(await prices("--out", out)).toBe(0);
    expect(errors).toEqual([]);
    const text = logs.join("\n");
    expect(text).toContain(
      "Estimated monthly price: an estimate from list prices (westeurope, USD, pay-as-you-go list, Azure Retail Prices API, 2026-12-02), not a quote",
    );
    expect(text).toContain("  stack region: westeurope; priced for: westeurope (westeurope)\n");
    expect(text).not.toContain("caution");
    // 1.1/hour x 730; 0.05/hour x 730 under Global; one 15-minute rule at 0.5.
    expect(text).toMatch(/API Management StandardV2 \(1 unit\)\s+\$803\.00\n/);
    expect(text).toMatch(/NAT gateway\s+\$36\.50\n/);
    expect(text).toMatch(/Log search alert rules\s+\$0\.50\n/);
    expect(text).toMatch(/fixed, before usage\s+\$840\.00 a month/);
    expect(text).toContain("plus usage: NAT gateway: $0.05 per GB processed");
    // The first paid tier, not the free first 5 GB.
    expect(text).toContain(
      "plus usage: Log Analytics ingestion: $2.99 per GB ingested (31 days of retention included; the kit keeps 90 by default, $0.13 per GB and month beyond 31)",
    );
    expect(text).toContain("plus usage: Key Vault Standard: $0.03 per 10,000 operations");
    expect(text).toContain(
      "plus usage: Content Safety S0 (Prompt Shields): rate not found (not looked up: the kit has no verified Retail Prices meter for contentSafety.thousandRecords)",
    );
    expect(text).toContain("'Standard Data Processed' (listed under Global), 'Standard Gateway' (listed under Global)");
    const saved = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(saved).toMatchObject({
      source: "Azure Retail Prices API 2026-12-02",
      read: "2026-12-02",
      pricedFor: "westeurope",
      regionGroup: "westeurope",
      currency: "USD",
      stackRegion: "westeurope",
      fixedMonthly: 840,
    });
    expect(saved).not.toHaveProperty("caveats");
  });

  it("sends the documented query: api-version, currency, and a case-exact filter per meter", async () => {
    expect(await prices("--currency", "EUR", "--format", "json")).toBe(0);
    expect(JSON.parse(logs.join("\n"))).toMatchObject({ currency: "EUR", region: "westeurope, EUR, pay-as-you-go list" });
    expect(fake.requests).toContain(
      "/api/retail/prices?api-version=2023-01-01-preview&currencyCode='EUR'&$filter=serviceName eq 'API Management' and meterName eq 'Standard v2 Unit' and priceType eq 'Consumption' and armRegionName eq 'westeurope'",
    );
    // A Global-listed meter: the region first, then Global.
    expect(
      fake.requests.filter((r) => r.includes("meterName eq 'Standard Gateway'")).map((r) => /armRegionName eq '([^']*)'/.exec(r)?.[1]),
    ).toEqual(["westeurope", "Global"]);
    expect(fake.requests.some((r) => r.includes("skuName eq 'Standard'"))).toBe(true);
  });

  it("follows NextPageLink across pages", async () => {
    fake.state.pageSize = 1;
    expect(await prices()).toBe(0);
    expect(logs.join("\n")).toContain("$2.99 per GB ingested");
    expect(fake.requests.filter((r) => r.includes("Analytics Logs Data Ingestion") && r.includes("$skip=1"))).toHaveLength(1);
  });

  it("prices another region on request, and says the stack is elsewhere", async () => {
    // eastus has no Key Vault row here: a usage rate, so the fixed sum is still complete.
    expect(await prices("--region", "East US")).toBe(0);
    const text = logs.join("\n");
    expect(text).toContain(
      "caution: the stack deploys to westeurope, outside this estimate's region group (eastus): these are eastus prices, not westeurope's, and prices differ by region.",
    );
    expect(text).toMatch(/API Management StandardV2 \(1 unit\)\s+\$730\.00\n/);
    expect(text).toContain("plus usage: Key Vault Standard: rate not found (meter 'Operations' (Key Vault) not found in eastus)");
  });

  it("marks a fixed line whose meter is missing, leaves it out of the sum, and exits 1", async () => {
    fake.state.rows = ROWS.filter((r) => r.meterName !== "Standard v2 Unit" || r.armRegionName !== "westeurope");
    expect(await prices()).toBe(1);
    const text = logs.join("\n");
    expect(text).toMatch(/fixed, before usage \(incomplete\)\s+\$37\.00 a month/);
    expect(text).toContain(
      "not priced (not counted): API Management StandardV2 (1 unit): meter 'Standard v2 Unit' (API Management) not found in westeurope",
    );
    expect(errors).toEqual([
      "hardened-mcp prices: 1 fixed line could not be priced live (API Management StandardV2 (1 unit)): the sum is incomplete.",
    ]);
    // A regional meter never falls back to Global.
    expect(fake.requests.filter((r) => r.includes("Standard v2 Unit"))).toHaveLength(1);
  });

  const unavailable = (reason: string) =>
    `hardened-mcp prices: could not read the Azure Retail Prices API: ${reason}. Nothing was priced live; the plan's own estimate (the dated East US table, read 2026-12-02) still stands, labelled as East US's.`;

  it("fails with exit 1 and one clear line when the API answers an HTTP error, no Items, or not JSON", async () => {
    const host = new URL(fake.url).host;
    fake.state.status = 503;
    expect(await prices()).toBe(1);
    expect(errors).toEqual([unavailable(`${host} answered HTTP 503: {"Error":{"Code":"ServiceUnavailable","Message":"try later"}}`)]);
    expect(logs).toEqual([]);
    fake.state = { rows: ROWS, pageSize: 100, noItems: true };
    errors.length = 0;
    expect(await prices()).toBe(1);
    expect(errors).toEqual([unavailable(`${host} answered without an Items list`)]);
    fake.state = { rows: ROWS, pageSize: 100, notJson: true };
    errors.length = 0;
    expect(await prices()).toBe(1);
    expect(errors).toEqual([unavailable(`${host} answered something that is not JSON`)]);
  });

  it("gives up on an endpoint that does not answer, and on one that cannot be reached, instead of hanging", async () => {
    fake.state.hang = true;
    expect(await prices("--timeout", "0.2")).toBe(1);
    expect(errors).toEqual([unavailable(`${new URL(fake.url).host} did not answer within 0.2 s`)]);
    errors.length = 0;
    const closed = await startFakeRetailPrices({ rows: [], pageSize: 1 });
    await closed.close();
    expect(await run(["--plan", planFile, "--endpoint", closed.url], { today: "2026-12-02" })).toBe(1);
    expect(errors[0]).toContain(
      `could not read the Azure Retail Prices API: ${new URL(closed.url).host} could not be reached (fetch failed: connect ECONNREFUSED`,
    );
  });

  it("does not follow a NextPageLink to another host", async () => {
    fake.state.pageSize = 1;
    fake.state.foreignNextPage = true;
    expect(await prices()).toBe(1);
    expect(errors[0]).toContain(`a NextPageLink leaves ${new URL(fake.url).origin} (http://prices.example.invalid); not followed`);
  });

  it("stops after 10 pages of one query instead of following NextPageLinks forever", async () => {
    const row = ROWS.find((r) => r.meterName === "Operations")!;
    fake.state.rows = [...ROWS, ...Array.from({ length: 11 }, (_, i) => ({ ...row, tierMinimumUnits: i + 1 }))];
    fake.state.pageSize = 1;
    expect(await prices()).toBe(1);
    expect(errors[0]).toContain(
      "could not read the Azure Retail Prices API: more than 10 pages for serviceName eq 'Key Vault' and meterName eq 'Operations'",
    );
  });

  it("is a verb of hardened-mcp, listed in its usage", async () => {
    const { main } = await import("../../../cli/main");
    expect(await main(["--help"])).toBe(0);
    expect(logs.join("\n")).toMatch(/^ {2}prices\s+price a plan with today's retail prices for its region/m);
    expect(await main(["prices", "--help"])).toBe(0);
    expect(logs.at(-1)).toMatch(/^usage: hardened-mcp prices /);
  });

  it("refuses bad usage with exit 2 before any request", async () => {
    expect(await run(["--currency", "euro", "--endpoint", "http://prices.example.com/api", "--region", "West-Europe"])).toBe(2);
    expect(errors[0].split("\n").slice(0, 4)).toEqual([
      "hardened-mcp prices: --plan is required: the plan file `hardened-mcp plan` wrote",
      '--currency "euro" is not an ISO 4217 code such as USD or EUR',
      '--region "West-Europe" is not a region name such as westeurope',
      '--endpoint "http://prices.example.com/api" must use https (plain http only on 127.0.0.1, for a local fake)',
    ]);
    const empty = path.join(dir, "empty.json");
    fs.writeFileSync(empty, JSON.stringify({ version: 1, resources: [] }));
    expect(await run(["--plan", empty, "--endpoint", fake.url])).toBe(2);
    const nowhere = path.join(dir, "nowhere.json");
    fs.writeFileSync(nowhere, JSON.stringify({ version: 1, resources: [resource(0, "azure-native:network:NatGateway")] }));
    expect(await run(["--plan", nowhere, "--endpoint", fake.url])).toBe(2);
    expect(errors.slice(1)).toEqual([
      `hardened-mcp prices: ${empty} holds no resources: write it with \`hardened-mcp plan --out ${empty}\``,
      "hardened-mcp prices: the plan names no region (no resource has a known location): pass --region, e.g. --region westeurope",
    ]);
    expect(fake.requests).toEqual([]);
    expect(await run(["--help"])).toBe(0);
    expect(logs[0]).toMatch(/^usage: hardened-mcp prices --plan plan.json/);
  });
});

describe("choosing a rate from the API's rows", () => {
  const meter = METERS["logs.gb"]!;
  const row = (retailPrice: number, extra: Partial<{ unitOfMeasure: string; tierMinimumUnits: number }> = {}) => ({
    retailPrice,
    unitOfMeasure: "1 GB",
    meterName: "Analytics Logs Data Ingestion",
    armRegionName: "westeurope",
    type: "Consumption",
    currencyCode: "USD",
    ...extra,
  });

  it("refuses another unit and two prices for one tier, and reads an all-free meter as 0", () => {
    expect(rateOf(meter, [row(2.3, { unitOfMeasure: "100 GB" })], "westeurope")).toEqual({
      missing: "meter 'Analytics Logs Data Ingestion' is listed per '100 GB', not per '1 GB'",
    });
    expect(rateOf(meter, [row(2.3), row(2.5)], "westeurope")).toEqual({
      missing: "meter 'Analytics Logs Data Ingestion' has 2 prices (2.3, 2.5) in westeurope; ambiguous",
    });
    expect(rateOf(meter, [row(0)], "westeurope")).toEqual({ rate: 0, pricedIn: "westeurope" });
    expect(rateOf(meter, [{ ...row(2.3), type: "Reservation" }], "westeurope")).toEqual({
      missing: "meter 'Analytics Logs Data Ingestion' (Log Analytics) not found in westeurope",
    });
    // API Management's hourly unit price becomes a 730-hour month.
    expect(
      rateOf(METERS["apim.Premium"]!, [{ ...row(3.83, { unitOfMeasure: "1 Hour" }), meterName: "Premium Unit" }], "westeurope"),
    ).toEqual({ rate: 3.83 * 730, pricedIn: "westeurope" });
  });
});
