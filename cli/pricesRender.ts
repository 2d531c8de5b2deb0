import type { PriceEstimate } from "./planSummaryPrices";

/** An amount as text: "$905.96", "€1,234.50". */
export function money(n: number, currency: string): string {
  return n.toLocaleString("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/**
 * The price block as `plan` and `prices` print it: the heading names the rates' source, region group and date, the
 * caveats come before any figure, then the fixed lines, their sum, the usage rates, and what is not priced.
 */
export function renderPriceEstimate(p: PriceEstimate, withSources: boolean): string[] {
  const lines = [
    `Estimated monthly price: an estimate from list prices (${p.region}, ${p.source.startsWith("dated") ? "read" : "Azure Retail Prices API,"} ${p.read}), not a quote; excludes taxes, discounts and most usage.`,
  ];
  if (p.stackRegion !== undefined) lines.push(`  stack region: ${p.stackRegion}; priced for: ${p.pricedFor} (${p.regionGroup})`);
  for (const caveat of p.caveats ?? []) lines.push(`  caution: ${caveat}`);
  const fixed = p.lines.filter((l) => l.monthly !== undefined);
  const width = Math.max(0, ...fixed.map((l) => l.item.length));
  for (const l of fixed) lines.push(`  ${l.item.padEnd(width)}  ${money(l.monthly ?? 0, p.currency).padStart(10)}`);
  const incomplete = p.lines.some((l) => l.missing !== undefined);
  lines.push(
    `  ${(incomplete ? "fixed, before usage (incomplete)" : "fixed, before usage").padEnd(width)}  ${money(p.fixedMonthly, p.currency).padStart(10)} a month`,
  );
  for (const l of p.lines.filter((x) => x.missing !== undefined)) lines.push(`  not priced (not counted): ${l.item}: ${l.missing}`);
  for (const l of p.lines.filter((x) => x.usage)) lines.push(`  plus usage: ${l.item}: ${l.usage}`);
  if (p.unpriced.length > 0) lines.push(`  not in the price table (not counted): ${p.unpriced.join(", ")}`);
  if (withSources) {
    lines.push("  sources:");
    for (const source of [...new Set(p.lines.map((l) => l.source))]) lines.push(`    ${source}`);
  }
  return lines;
}
