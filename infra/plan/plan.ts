import stringify from "json-stable-stringify";
import { MockRuntime, RecordedResource } from "./mockRuntime";

/** One resource in a plan file: a registration as the engine sees it (secrets read "[secret]"). */
export type PlanResource = RecordedResource;

/** The plan file (`hardened-mcp plan --out`), version 1. */
export interface Plan {
  readonly version: 1;
  readonly project: string;
  readonly stack: string;
  /** In registration order (the file is written in canonical order). */
  readonly resources: PlanResource[];
}

export interface SynthesizeOptions {
  /** Stack config as the engine passes it: `{ "project:key": "value" }` (objects as JSON text). */
  readonly config: Record<string, string>;
  /** @default "dev" */
  readonly stack?: string;
  /** @default "hardened-mcp" */
  readonly project?: string;
  /**
   * The program to run. Loaded after the mocks are in place (Pulumi reads them on first use).
   * @default the default program: the stack config, validated, into `HardenedMcpPlatform`
   */
  readonly program?: () => Promise<unknown> | unknown;
}

/**
 * The default program, as `infra/main.ts` runs it: the stack config validated as a whole (a bad one
 * throws `ConfigError` before any registration), then one `HardenedMcpPlatform`.
 */
export async function runDefaultProgram(): Promise<void> {
  const { loadPlatformSettings } = await import("../config/stackConfig");
  const { HardenedMcpPlatform } = await import("../platform");
  // Validate everything first: a bad config throws here, before any registration.
  const settings = loadPlatformSettings();
  new HardenedMcpPlatform(settings.workload, settings);
}

/**
 * Runs a program under the mock runtime and returns every registration as a plan: the resources
 * `pulumi up` would create, with ARM-shaped ids in their cross-references and no secret values.
 * Deterministic: the same config gives the same plan. A bad config rejects with its `ConfigError`
 * and registers nothing.
 */
export async function synthesizePlan(options: SynthesizeOptions): Promise<Plan> {
  const project = options.project ?? "hardened-mcp";
  const stack = options.stack ?? "dev";
  // Pulumi stamps a stack trace on each of its internal promises (for its leak report); formatting
  // them through source maps (tsx, jest) is half the synthesis time, and a plan needs none of them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const runtime = await MockRuntime.start({ project, stack, config: options.config });
    await (options.program ?? runDefaultProgram)();
    await runtime.settle();
    return { version: 1, project, stack, resources: [...runtime.resources] };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
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
