import type { Plan } from "../testing/planFile";
import { normalizeRegion, type RateCard } from "./pricesTable";

/**
 * Where a plan deploys, read from its resources' `location` inputs (the program sets them from
 * `azure-native:location` or the settings): the region an estimate must be for, and what it says when its
 * prices are another region's.
 */

/** Resources of a plan in another region than the stack's, by region. */
export interface OtherRegion {
  readonly region: string;
  readonly types: readonly string[];
}

export interface StackRegions {
  /** The gateway's region, else the one most resources use; absent when no resource has a known location. */
  readonly region?: string;
  readonly others: readonly OtherRegion[];
}

/** A concrete region name: "westeurope", "West Europe". Not "global" (DNS zones), not an unknown-at-preview sentinel. */
const REGION_NAME = /^[a-z][a-z0-9]*$/;

export function stackRegions(plan: Plan): StackRegions {
  const typesByRegion = new Map<string, Set<string>>();
  const count = new Map<string, number>();
  let gateway: string | undefined;
  for (const r of plan.resources) {
    if (!r.custom || typeof r.inputs.location !== "string") continue;
    const region = normalizeRegion(r.inputs.location);
    if (region === "global" || !REGION_NAME.test(region)) continue;
    typesByRegion.set(region, (typesByRegion.get(region) ?? new Set()).add(r.type));
    count.set(region, (count.get(region) ?? 0) + 1);
    if (r.type === "azure-native:apimanagement:ApiManagementService") gateway ??= region;
  }
  // Ties go to the first region in name order, so equal plans give equal estimates.
  const mostUsed = [...count.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0];
  const region = gateway ?? mostUsed;
  const others = [...typesByRegion.entries()]
    .filter(([name]) => name !== region)
    .map(([name, types]) => ({ region: name, types: [...types].sort() }))
    .sort((a, b) => (a.region < b.region ? -1 : 1));
  return { ...(region ? { region } : {}), others };
}

/** What an estimate from `card` must say about regions before anyone reads its figure. */
export function regionCaveats(where: StackRegions, card: RateCard): string[] {
  const caveats: string[] = [];
  const group = card.regionGroup;
  if (where.region === undefined) {
    caveats.push(
      `the plan names no region (no resource has a known location), so these are ${group.name} prices, not necessarily the stack's region's.`,
    );
  } else if (!group.regions.includes(where.region)) {
    const live = card.source.startsWith("dated")
      ? ` For ${where.region}'s prices: hardened-mcp prices --plan <plan file> (Azure Retail Prices API).`
      : "";
    caveats.push(
      `the stack deploys to ${where.region}, outside this estimate's region group (${group.name}): these are ${group.name} prices, not ${where.region}'s, and prices differ by region.${live}`,
    );
  }
  for (const other of where.others) {
    if (!group.regions.includes(other.region))
      caveats.push(`${other.types.join(", ")} in ${other.region}: priced at ${group.name} rates here.`);
  }
  return caveats;
}
