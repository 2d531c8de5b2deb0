/**
 * The plan file (`hardened-mcp plan --out`, version 1): every registration the engine saw, with
 * secrets as "[secret]" and unknowns as Pulumi's unknown sentinel. policies/offline/readers.ts reads it.
 */
import stringify from "json-stable-stringify";
import type { RecordedResource } from "./mock/mockRuntime";

/** One resource in a plan file: a registration as the engine sees it. */
export type PlanResource = RecordedResource & {
  /** `urn::id` of the resource's provider (engine plans; the mock runtime does not record it). */
  readonly provider?: string;
};

export interface Plan {
  readonly version: 1;
  readonly project: string;
  readonly stack: string;
  /** In registration order (the file is written in canonical order). */
  readonly resources: PlanResource[];
}

/** The plan file's text: canonical key order and resources sorted by URN, so equal plans are equal bytes. */
export function planToJson(plan: Plan): string {
  const resources = [...plan.resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return `${stringify({ ...plan, resources }, { space: 2 })}\n`;
}

/** The plan as an indented tree: each component, then its children. */
export function renderPlanTree(plan: Plan): string {
  const byUrn = new Set(plan.resources.map((r) => r.urn));
  const children = new Map<string | null, PlanResource[]>();
  for (const r of plan.resources) {
    const parent = r.parent && byUrn.has(r.parent) ? r.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      lines.push(`${"  ".repeat(depth)}${r.custom ? "" : "+ "}${r.name}  (${r.type})`);
      walk(r.urn, depth + 1);
    }
  };
  walk(null, 0);
  return lines.join("\n");
}

/** How many resources of each type the plan creates (components excluded), by type. */
export function countByType(plan: Plan): [type: string, count: number][] {
  const counts = new Map<string, number>();
  for (const r of plan.resources) if (r.custom) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
