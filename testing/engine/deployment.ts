/**
 * What the engine stand-in records of one program run: every registration as the engine saw it,
 * the default providers it created, the stack's outputs, each message the program logged, and every
 * request the stand-in does not emulate (which also fails the request, loudly).
 */
import type { ArmIdContext } from "./armIds";

export interface EngineResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN; null only for the stack itself (the SDK parents everything else to it). */
  readonly parent: string | null;
  /** False for component resources. */
  readonly custom: boolean;
  /** `urn::id` of the provider (a default provider unless the program chose one); custom resources only. */
  readonly provider?: string;
  /** The id the engine returned: "" at preview for a new resource. */
  readonly id?: string;
  /** Inputs as the provider receives them; secrets stay in wire form (see wire.ts). */
  readonly inputs: Record<string, unknown>;
  /** What the engine answered (custom resources) or the outputs registered later (components). */
  outputs: Record<string, unknown>;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
}

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
  private readonly byUrn = new Map<string, EngineResource>();

  constructor(readonly options: DeploymentOptions) {
    this.organization = options.organization ?? "organization";
    this.arm = {
      subscriptionId: options.subscriptionId ?? "00000000-0000-0000-0000-000000000000",
      defaultResourceGroup: options.defaultResourceGroup ?? "rg-mcp",
    };
    this.tenantId = options.tenantId ?? "11111111-1111-1111-1111-111111111111";
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
