import * as fs from "fs";
import type { Plan } from "../testing/planFile";
import { estimateMonthlyPrice, ratesNeeded, type PriceEstimate } from "./planSummaryPrices";
import { liveRateCard, PricesUnavailable, RETAIL_PRICES_ENDPOINT } from "./pricesLive";
import { endpointProblem } from "./preflight/rest";
import { stackRegions } from "./pricesRegion";
import { renderPriceEstimate } from "./pricesRender";
import { normalizeRegion, TABLE_READ } from "./pricesTable";
import { verbOptions } from "./verbOptions";

const usage = `usage: hardened-mcp prices --plan plan.json [--region <armRegionName>] [--currency USD] [--out prices.json]
                           [--format table|json] [--endpoint <url>] [--timeout <seconds>]
  Prices a plan (written by \`hardened-mcp plan\`) with today's pay-as-you-go retail prices for its region, read
  from the Azure Retail Prices API (public, no sign-in; prices.azure.com). Same lines as the plan's estimate, which
  uses the kit's dated East US table offline. Needs network access to the endpoint; changes nothing.
  --plan      plan file to price (required)
  --region    region to price (default: the plan's, from its resources' locations), e.g. westeurope
  --currency  ISO 4217 code (default: USD; Microsoft prices in USD, other currencies are for reference)
  --out       also write the estimate as JSON to this file
  --format    table (default) or json
  --endpoint  Retail Prices endpoint (default ${RETAIL_PRICES_ENDPOINT}; https, or http on 127.0.0.1)
  --timeout   seconds to wait for each answer (default 15)
Exit status: 0 every fixed line priced, 1 the API could not be read or a fixed line's meter was not found
(the estimate is then incomplete, and says which), 2 usage or an unreadable plan.`;

/** What a test replaces. */
export interface PricesDependencies {
  /** The date the rates are read (YYYY-MM-DD); default today (UTC). */
  readonly today?: string;
}

function fail(message: string, code = 2): number {
  console.error(`hardened-mcp prices: ${message}`);
  return code;
}

function readPlan(file: string): Plan {
  let parsed: { resources?: unknown };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { resources?: unknown };
  } catch (err) {
    throw new Error(`cannot read the plan ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(parsed.resources) || parsed.resources.length === 0)
    throw new Error(`${file} holds no resources: write it with \`hardened-mcp plan --out ${file}\``);
  return parsed as Plan;
}

/** `hardened-mcp prices`: returns the process exit status. */
export async function run(argv: string[], deps: PricesDependencies = {}): Promise<number> {
  const parsed = verbOptions(
    "prices",
    argv,
    {
      plan: { type: "string", short: "p" },
      region: { type: "string" },
      currency: { type: "string" },
      out: { type: "string", short: "o" },
      format: { type: "string" },
      endpoint: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    usage,
  );
  if ("exit" in parsed) return parsed.exit;
  const { values } = parsed;
  const problems: string[] = [];
  if (!values.plan) problems.push("--plan is required: the plan file `hardened-mcp plan` wrote");
  const currency = values.currency ?? "USD";
  if (!/^[A-Z]{3}$/.test(currency)) problems.push(`--currency "${currency}" is not an ISO 4217 code such as USD or EUR`);
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") problems.push(`--format "${format}" must be table or json`);
  const timeout = Number(values.timeout ?? "15");
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 300)
    problems.push(`--timeout "${values.timeout}" must be a number of seconds between 0 and 300`);
  const region = values.region === undefined ? undefined : normalizeRegion(values.region);
  if (region !== undefined && !/^[a-z][a-z0-9]*$/.test(region))
    problems.push(`--region "${values.region}" is not a region name such as westeurope`);
  const endpoint = values.endpoint ?? RETAIL_PRICES_ENDPOINT;
  // https, or http on the loopback interface only (the tests' fake): the same rule as preflight's endpoints.
  const bad = endpointProblem("--endpoint", endpoint);
  if (bad) problems.push(bad);
  if (problems.length > 0) return fail(`${problems.join("\n")}\n${usage}`);

  let plan: Plan;
  try {
    plan = readPlan(values.plan as string);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  const pricedFor = region ?? stackRegions(plan).region;
  if (pricedFor === undefined)
    return fail("the plan names no region (no resource has a known location): pass --region, e.g. --region westeurope");

  let estimate: PriceEstimate;
  let requests: number;
  try {
    const card = await liveRateCard(ratesNeeded(plan), {
      region: pricedFor,
      currency,
      endpoint,
      timeoutMs: timeout * 1000,
      ...(deps.today ? { today: deps.today } : {}),
    });
    requests = card.requests;
    estimate = estimateMonthlyPrice(plan, card);
  } catch (err) {
    if (!(err instanceof PricesUnavailable)) throw err;
    return fail(
      `could not read the Azure Retail Prices API: ${err.message}. Nothing was priced live; the plan's own estimate (the dated East US table, read ${TABLE_READ}) still stands, labelled as East US's.`,
      1,
    );
  }
  if (values.out) fs.writeFileSync(values.out, `${JSON.stringify(estimate, null, 2)}\n`);
  if (format === "json") console.log(JSON.stringify(estimate, null, 2));
  else
    console.log(
      [...renderPriceEstimate(estimate, true), `  (${requests} request${requests === 1 ? "" : "s"} to ${new URL(endpoint).host})`].join(
        "\n",
      ),
    );
  const unpricedFixed = estimate.lines.filter((l) => l.missing !== undefined);
  if (unpricedFixed.length > 0) {
    return fail(
      `${unpricedFixed.length} fixed line${unpricedFixed.length === 1 ? "" : "s"} could not be priced live (${unpricedFixed.map((l) => l.item).join("; ")}): the sum is incomplete.`,
      1,
    );
  }
  return 0;
}
