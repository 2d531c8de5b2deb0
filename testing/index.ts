/**
 * The package's "./testing" entry: what a library user needs to test a stack built on the kit.
 * - MockRuntime: Pulumi's mock runtime set up for the kit (unit tests of components).
 * - The engine stand-in and the launcher: run a program exactly as `pulumi preview` / `pulumi up`
 *   would launch it, against a local engine, and get the registrations the engine saw.
 */
export { MockRuntime, REDACTED, UNKNOWN } from "./mock/mockRuntime";
export type { MockRuntimeOptions, RecordedResource } from "./mock/mockRuntime";
export { synthesizePlan } from "./mock/plan";
export { planToJson, renderPlanTree, countByType } from "./planFile";
export type { SynthesizeOptions } from "./mock/plan";
export type { Plan, PlanResource } from "./planFile";
export { parseStackFile } from "./launcher/stackFile";
