import { createServer, type Server } from "node:net";
import type { AnalyzeResponse } from "@pulumi/pulumi/proto/analyzer_pb";
import type { Snapshot } from "../../policies/offline/snapshot";
import { AnalyzerConnection } from "./client";
import { configErrors, configureRequest, parseEngineConfigFile, reconcile, type Level } from "./engineConfig";
import { launchPack, type LaunchedPack, type StackConfiguration } from "./launchPack";
import { analyzerPb } from "./proto";
import { analyzeRequest, analyzeStackRequest } from "./wire";

const { EnforcementLevel } = analyzerPb;

/**
 * A policy pack driven as the engine drives it during `pulumi preview --policy-pack DIR
 * [--policy-pack-config FILE]` (pulumi/pulumi pkg/engine/update.go, pkg/resource/deploy/step_generator.go):
 * launch, ConfigureStack, GetAnalyzerInfo, GetPluginInfo, Configure with the reconciled config; then for each
 * resource in registration order Remediate and Analyze on its inputs; at the end one AnalyzeStack on every
 * resource's outputs. Reusing one session for several snapshots is this harness's shortcut (the pack keeps
 * no state between calls apart from its configuration); the engine starts a pack per operation.
 */

export interface PackDiagnostic {
  readonly policy: string;
  readonly description: string;
  readonly message: string;
  /** The diagnostic's own URN, else the analysed resource's; absent for a stack finding naming none. */
  readonly urn?: string;
  readonly level: Level;
}

export interface PackNotApplicable {
  readonly policy: string;
  readonly reason: string;
  readonly urn?: string;
}

export interface PackAnalysis {
  readonly diagnostics: readonly PackDiagnostic[];
  readonly notApplicable: readonly PackNotApplicable[];
  readonly analyzeCalls: number;
}

const LEVELS: Record<number, Level> = {
  [EnforcementLevel.ADVISORY]: "advisory",
  [EnforcementLevel.MANDATORY]: "mandatory",
  [EnforcementLevel.DISABLED]: "disabled",
  [EnforcementLevel.REMEDIATE]: "remediate",
};

/** Stands in for the engine's address: this harness emulates no engine service, so a dial fails the run. */
function engineTripwire(): Promise<{ server: Server; address: string; dialled: () => boolean }> {
  let dialled = false;
  const server = createServer((socket) => {
    dialled = true;
    socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, address: `127.0.0.1:${port}`, dialled: () => dialled });
    });
  });
}

function collect(response: AnalyzeResponse, urn: string | undefined, into: { diagnostics: PackDiagnostic[]; notApplicable: PackNotApplicable[] }) {
  for (const d of response.getDiagnosticsList()) {
    const own = d.getUrn();
    into.diagnostics.push({
      policy: d.getPolicyname(),
      description: d.getDescription(),
      message: d.getMessage(),
      ...(own || urn ? { urn: own || urn } : {}),
      level: LEVELS[d.getEnforcementlevel()],
    });
  }
  for (const na of response.getNotApplicableList()) {
    into.notApplicable.push({ policy: na.getPolicyName(), reason: na.getReason(), ...(urn ? { urn } : {}) });
  }
}

export class PackSession {
  private constructor(
    private readonly launched: LaunchedPack,
    private readonly connection: AnalyzerConnection,
    private readonly tripwire: { server: Server; dialled: () => boolean },
    readonly name: string,
    readonly version: string,
    readonly pluginVersion: string,
    readonly policies: readonly string[],
  ) {}

  /**
   * Launches the pack in `packDir` and configures it with the JSON of a `--policy-pack-config` file, if given.
   * `env` is the environment the CLI itself runs in (the bench adds a resource-usage probe there).
   */
  static async start(packDir: string, stack: StackConfiguration, policyPackConfig?: unknown, env: NodeJS.ProcessEnv = process.env): Promise<PackSession> {
    const tripwire = await engineTripwire();
    let launched: LaunchedPack | undefined;
    let connection: AnalyzerConnection | undefined;
    try {
      launched = await launchPack(packDir, tripwire.address, stack, env);
      connection = new AnalyzerConnection(launched.port);
      const stackRequest = new analyzerPb.AnalyzerStackConfigureRequest();
      stackRequest.setOrganization(stack.organization).setProject(stack.project).setStack(stack.stack).setDryRun(stack.dryRun);
      for (const [k, v] of Object.entries(stack.config)) stackRequest.getConfigMap().set(k, v);
      stackRequest.setConfigSecretKeysList([...(stack.configSecretKeys ?? [])]);
      for (const [k, v] of Object.entries(stack.tags ?? {})) stackRequest.getTagsMap().set(k, v);
      await connection.configureStack(stackRequest);
      const info = await connection.getAnalyzerInfo();
      const plugin = await connection.getPluginInfo();
      const file = policyPackConfig === undefined ? {} : parseEngineConfigFile(policyPackConfig);
      if (info.getSupportsconfig()) {
        const reconciled = reconcile(info, file);
        const invalid = configErrors(info, reconciled);
        if (invalid.length > 0) throw new Error(`validating policy config: ${info.getName()}: ${invalid.join("; ")}`);
        if (reconciled.size > 0) await connection.configure(configureRequest(reconciled));
      } else if (Object.keys(file).length > 0) {
        throw new Error(`the pack ${info.getName()} does not support config, but a policy pack config was given`);
      }
      const policies = info.getPoliciesList().map((p) => p.getName());
      return new PackSession(launched, connection, tripwire, info.getName(), info.getVersion(), plugin.getVersion(), policies);
    } catch (err) {
      connection?.close();
      launched?.process.kill();
      tripwire.server.close();
      const stderr = launched?.stderr() ?? "";
      throw stderr ? new Error(`${(err as Error).message}\npolicy pack stderr:\n${stderr}`) : err;
    }
  }

  /** What the pack wrote to stderr (the engine shows it to the user). */
  stderr(): string {
    return this.launched.stderr();
  }

  /** One preview's worth of calls over a snapshot, in the engine's order. */
  async analyze(snapshot: Snapshot): Promise<PackAnalysis> {
    const into = { diagnostics: [] as PackDiagnostic[], notApplicable: [] as PackNotApplicable[] };
    for (const r of snapshot.resources) {
      const request = analyzeRequest(snapshot, r);
      const remediations = (await this.connection.remediate(request)).getRemediationsList();
      if (remediations.length > 0) {
        throw new Error(`the pack remediated ${r.urn} (${remediations.map((x) => x.getPolicyname()).join(", ")}); applying remediations is not emulated`);
      }
      collect(await this.connection.analyze(request), r.urn, into);
    }
    collect(await this.connection.analyzeStack(analyzeStackRequest(snapshot)), undefined, into);
    if (this.tripwire.dialled()) throw new Error("the policy pack dialled the engine address; no engine service is emulated here");
    return { ...into, analyzeCalls: snapshot.resources.length };
  }

  /** Closes the connection and ends the pack, as the engine does when the operation ends. */
  async stop(): Promise<void> {
    this.connection.close();
    this.tripwire.server.close();
    const child = this.launched.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill();
    });
  }
}
