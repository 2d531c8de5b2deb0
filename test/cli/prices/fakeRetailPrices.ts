import * as http from "http";
import type { AddressInfo } from "net";

/**
 * A local stand-in for the Azure Retail Prices API on 127.0.0.1: it answers `$filter` (the `field eq 'value'`
 * clauses joined by `and` that the kit sends) from `state.rows`, a page of `state.pageSize` rows at a time with a
 * NextPageLink, and can fail as the real one or the network can: an HTTP error, a page without Items, a body that
 * is not JSON, a NextPageLink to another host, or no answer at all. Every request is logged (path and query).
 */
export interface FakeRow {
  serviceName: string;
  meterName: string;
  armRegionName: string;
  unitOfMeasure: string;
  retailPrice: number;
  skuName?: string;
  tierMinimumUnits?: number;
  type?: string;
}

export interface FakeRetailState {
  rows: FakeRow[];
  pageSize: number;
  /** Answer every request with this HTTP status (and an error body). */
  status?: number;
  /** Answer `{}` (no Items list) / a body that is not JSON / never. */
  noItems?: boolean;
  notJson?: boolean;
  hang?: boolean;
  /** NextPageLink points at another host. */
  foreignNextPage?: boolean;
}

export interface FakeRetailPrices {
  readonly url: string;
  state: FakeRetailState;
  readonly requests: string[];
  close(): Promise<void>;
}

/** `a eq 'x' and b eq 'y''s'` -> { a: "x", b: "y's" }; anything else is refused, as a real OData parser would. */
function parseFilter(filter: string): Record<string, string> | undefined {
  const clauses: Record<string, string> = {};
  for (const clause of filter.split(/ and (?=(?:[^']*'[^']*')*[^']*$)/)) {
    const m = /^(\w+) eq '((?:[^']|'')*)'$/.exec(clause.trim());
    if (!m) return undefined;
    clauses[m[1]] = m[2].replace(/''/g, "'");
  }
  return clauses;
}

function answer(state: FakeRetailState, url: URL, base: string, res: http.ServerResponse): void {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (state.status) return json(state.status, { Error: { Code: "ServiceUnavailable", Message: "try later" } });
  if (state.notJson) {
    res.writeHead(200, { "content-type": "text/html" });
    return void res.end("<html>gateway</html>");
  }
  if (state.noItems) return json(200, {});
  const filter = parseFilter(url.searchParams.get("$filter") ?? "");
  if (!filter) return json(400, { Error: { Code: "BadRequest", Message: "Invalid OData parameters supplied" } });
  const currency = (url.searchParams.get("currencyCode") ?? "'USD'").replace(/'/g, "");
  const matching = state.rows
    .map((r) => ({ type: "Consumption", tierMinimumUnits: 0, currencyCode: currency, ...r, priceType: r.type ?? "Consumption" }))
    .filter((r) => Object.entries(filter).every(([field, value]) => String((r as Record<string, unknown>)[field] ?? "") === value));
  const skip = Number(url.searchParams.get("$skip") ?? "0");
  const page = matching.slice(skip, skip + state.pageSize);
  let next: string | null = null;
  if (skip + state.pageSize < matching.length) {
    // As the real API does: the request's own query with $skip, on its host (with the port: ":443" there).
    const query = url.search.replace(/&\$skip=\d+$/, "");
    next = `${state.foreignNextPage ? "http://prices.example.invalid" : base}${url.pathname}${query}&$skip=${skip + state.pageSize}`;
  }
  json(200, {
    BillingCurrency: currency,
    CustomerEntityId: "Default",
    CustomerEntityType: "Retail",
    Items: page,
    NextPageLink: next,
    Count: page.length,
  });
}

export async function startFakeRetailPrices(state: FakeRetailState): Promise<FakeRetailPrices> {
  const requests: string[] = [];
  const fake = { state } as { state: FakeRetailState };
  let base = "";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    requests.push(decodeURIComponent(`${url.pathname}${url.search}`));
    if (fake.state.hang) return; // never answers; the client's timeout must end the wait
    answer(fake.state, url, base, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url: `${base}/api/retail/prices`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
