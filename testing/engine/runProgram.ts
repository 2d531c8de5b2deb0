/**
 * One program run the way the Pulumi CLI does it: the engine stand-in's services, then the program
 * launched as the nodejs language host launches it, then what the engine saw.
 */
import { launchProgram, LaunchOptions, LaunchResult } from "../launcher/launch";
import { Deployment, DeploymentOptions } from "./deployment";
import { startStandIn } from "./standIn";
import { PulumiProject, readProject } from "../launcher/project";

export interface RunProgramOptions {
  /** The project directory (holding Pulumi.yaml and the stack files). */
  readonly dir: string;
  /** The project as Pulumi.yaml would describe it. @default read from dir/Pulumi.yaml */
  readonly project?: PulumiProject;
  /** @default "dev" */
  readonly stack?: string;
  /** `preview` is `pulumi preview`; `up` is `pulumi up`. */
  readonly mode: "preview" | "up";
  readonly config?: LaunchOptions["config"];
  readonly env?: LaunchOptions["env"];
  /** Ids and tenant the stand-in answers with. */
  readonly azure?: Pick<DeploymentOptions, "subscriptionId" | "tenantId" | "defaultResourceGroup">;
  /** A later deployment of a stack with state (testing/engine/update.ts). */
  readonly update?: DeploymentOptions["update"];
}

export interface ProgramRun {
  readonly deployment: Deployment;
  readonly launch: LaunchResult;
  /** Logged warnings and errors, refusals, and a failed exit: empty for a clean run. */
  readonly problems: string[];
}

/** Runs the program in `dir` against a fresh stand-in and returns everything it registered and logged. */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const stack = options.stack ?? "dev";
  const project = options.project ?? readProject(options.dir);
  const standIn = await startStandIn({ project: project.name, stack, preview: options.mode === "preview", ...options.azure, ...(options.update ? { update: options.update } : {}) });
  try {
    const launch = await launchProgram({
      dir: options.dir,
      project,
      stack,
      preview: options.mode === "preview",
      monitorAddress: standIn.monitorAddress,
      engineAddress: standIn.engineAddress,
      ...(options.config ? { config: options.config } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    const d = standIn.deployment;
    // The engine deletes what the program no longer registers once the program has finished.
    const refused = launch.exitCode === 0 ? d.update?.finish() : undefined;
    if (refused) d.fail(`delete refused: ${refused}`);
    const problems = [...d.problems];
    if (launch.exitCode !== 0) problems.push(`program exited with ${launch.exitCode ?? launch.signal}: ${launch.stderr.trim().split("\n").slice(-5).join(" | ")}`);
    else if (!d.shutdownSignalled) problems.push("program exited without SignalAndWaitForShutdown");
    return { deployment: d, launch, problems };
  } finally {
    await standIn.stop();
  }
}
