/**
 * What the engine stand-in records of one program run: every registration as the engine saw it,
 * the default providers it created, the stack's outputs, each message the program logged, and every
 * request the stand-in does not emulate (which also fails the request, loudly).
 */
import type { ArmIdContext } from "./armIds";
import type { Checkpoint } from "./checkpoint";
import type { EngineResource } from "./records";
import { UpdateOptions, UpdateRun } from "./update";

export type { EngineResource } from "./records";

export type Severity = "debug" | "info" | "warning" | "error";

export interface LogEntry {
  readonly severity: Severity;
  readonly message: string;
  readonly urn?: string;
  readonly ephemeral: boolean;
}

export interface DeploymentOptions {
  readonly project: string;
  readonly stack: string;
  /** `pulumi preview` (true) or `pulumi up` (false). */
  readonly preview: boolean;
  /** @default "organization", what the DIY backend always reports (pkg/backend/diy/state.go) */
  readonly organization?: string;
  /** @default "00000000-0000-0000-0000-000000000000" */
  readonly subscriptionId?: string;
  /** @default "11111111-1111-1111-1111-111111111111" */
  readonly tenantId?: string;
  /** Resource group for ids of resources registered without one. @default "rg-mcp" */
  readonly defaultResourceGroup?: string;
  /** A later deployment: the state the previous `pulumi up` left, and the command's targeting flags. */
  readonly update?: UpdateOptions;
}

export class Deployment {
  readonly resources: EngineResource[] = [];
  /** Default providers the engine created, by URN. */
  readonly providers = new Map<string, EngineResource>();
  readonly logs: LogEntry[] = [];
  /** Requests the stand-in refused because it does not emulate them (or the engine would refuse). */
  readonly failures: string[] = [];
  rootResource = "";
  shutdownSignalled = false;
  readonly organization: string;
  readonly arm: ArmIdContext;
  readonly tenantId: string;
  /** Present when the stack has state: the steps this run takes against it. */
  readonly update?: UpdateRun;
  private readonly byUrn = new Map<string, EngineResource>();

  constructor(readonly options: DeploymentOptions) {
    this.organization = options.organization ?? "organization";
    this.arm = {
      subscriptionId: options.subscriptionId ?? "00000000-0000-0000-0000-000000000000",
      defaultResourceGroup: options.defaultResourceGroup ?? "rg-mcp",
    };
    this.tenantId = options.tenantId ?? "11111111-1111-1111-1111-111111111111";
    if (options.update) this.update = new UpdateRun(options.update, options.preview);
  }

  get project(): string {
    return this.options.project;
  }

  get stack(): string {
    return this.options.stack;
  }

  get preview(): boolean {
    return this.options.preview;
  }

  has(urn: string): boolean {
    return this.byUrn.has(urn) || this.providers.has(urn);
  }

  get(urn: string): EngineResource | undefined {
    return this.byUrn.get(urn) ?? this.providers.get(urn);
  }

  add(resource: EngineResource): void {
    this.resources.push(resource);
    this.byUrn.set(resource.urn, resource);
  }

  /**
   * The state this finished `pulumi up` leaves (what a later deployment starts from): every resource in
   * it, with the outputs Azure answered.
   */
  checkpoint(): Checkpoint {
    if (this.preview) throw new Error("checkpoint: a preview changes no state; take the checkpoint of an update");
    const live = this.update ? new Set(this.update.liveUrns()) : undefined;
    const resources = this.resources.filter((r) => !live || live.has(r.urn) || !r.custom);
    return { project: this.project, stack: this.stack, resources: JSON.parse(JSON.stringify(resources)) as EngineResource[] };
  }

  /** Records a refusal and returns its message, for the gRPC error. */
  fail(message: string): string {
    this.failures.push(message);
    return message;
  }

  /** The stack's outputs (RegisterResourceOutputs on the root resource). */
  get stackOutputs(): Record<string, unknown> {
    return this.byUrn.get(this.rootResource)?.outputs ?? {};
  }

  /** Warnings and errors the program logged, and every refusal: what a clean run has none of. */
  get problems(): string[] {
    const logged = this.logs.filter((l) => l.severity === "warning" || l.severity === "error");
    return [...logged.map((l) => `${l.severity}: ${l.message}${l.urn ? ` (${l.urn})` : ""}`), ...this.failures.map((f) => `stand-in: ${f}`)];
  }
}
