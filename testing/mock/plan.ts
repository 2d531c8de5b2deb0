import type { Plan } from "../planFile";
import { MockRuntime } from "./mockRuntime";

export { countByType, planToJson, renderPlanTree } from "../planFile";
export type { Plan, PlanResource } from "../planFile";

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
  const { loadPlatformSettings } = await import("../../infra/config/stackConfig");
  const { HardenedMcpPlatform } = await import("../../infra/platform");
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
