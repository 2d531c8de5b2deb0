/**
 * A program's plan, the engine's way: the program runs as `pulumi preview` (or `pulumi up`) would
 * run it, and the plan holds what the engine saw: its URNs, parents, providers, and at preview the
 * unknowns a real preview has.
 */
import type { Plan, PlanResource } from "../planFile";
import type { EngineResource, Deployment } from "./deployment";
import { runProgram, ProgramRun, RunProgramOptions } from "./runProgram";
import { clone, redactSecrets } from "./wire";

export type PreviewProgramOptions = RunProgramOptions;

export interface ProgramPreview {
  readonly plan: Plan;
  readonly run: ProgramRun;
}

function planResource(r: EngineResource): PlanResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent,
    custom: r.custom,
    ...(r.provider ? { provider: r.provider } : {}),
    inputs: redactSecrets(clone(r.inputs)) as Record<string, unknown>,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  };
}

/** The plan of a finished run: every registration and the default providers the engine created. */
export function planOf(deployment: Deployment): Plan {
  return {
    version: 1,
    project: deployment.project,
    stack: deployment.stack,
    resources: [...deployment.resources, ...deployment.providers.values()].map(planResource),
  };
}

/** Runs the program in `options.dir` through the launcher and the stand-in and returns its plan and the run. */
export async function previewProgram(options: PreviewProgramOptions): Promise<ProgramPreview> {
  const run = await runProgram(options);
  return { plan: planOf(run.deployment), run };
}
