import * as pulumi from "@pulumi/pulumi";
import type { ArmIdContext } from "../engine/armIds";
import { answerCreate } from "../engine/azureOutputs";
import { clone, redactSecrets } from "../engine/wire";

export { REDACTED, UNKNOWN, redactSecrets } from "../engine/wire";

/** One resource as the program registered it: the engine's view, with secrets redacted. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN, or null for a top-level resource. */
  readonly parent: string | null;
  /** False for component resources. */
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
}

export interface MockRuntimeOptions {
  /** @default "hardened-mcp" */
  readonly project?: string;
  /** @default "dev" */
  readonly stack?: string;
  /** Preview mode leaves outputs the mocks don't return unknown. @default false */
  readonly preview?: boolean;
  /** @default "00000000-0000-0000-0000-000000000000" */
  readonly subscriptionId?: string;
  /** @default "11111111-1111-1111-1111-111111111111" */
  readonly tenantId?: string;
  /** @default "rg-mcp" */
  readonly defaultResourceGroup?: string;
  /** Stack config as `pulumi config` holds it: `{ "project:key": "value" }`. @default {} */
  readonly config?: Record<string, string>;
}

/**
 * Pulumi's mock runtime, set up for this kit: ARM-shaped ids, the computed outputs the kit reads,
 * and a record of every registration as the engine would see it (parent, dependencies, property
 * dependencies, inputs with secrets redacted). The offline plan and the unit tests both use it.
 */
export class MockRuntime {
  private readonly recorded: RecordedResource[] = [];
  /** Request order of each recorded registration: answers can arrive out of order. */
  private readonly requestOrder = new Map<RecordedResource, number>();
  private requests = 0;

  private constructor(readonly options: Required<MockRuntimeOptions>) {}

  static async start(options: MockRuntimeOptions = {}): Promise<MockRuntime> {
    const o: Required<MockRuntimeOptions> = {
      project: options.project ?? "hardened-mcp",
      stack: options.stack ?? "dev",
      preview: options.preview ?? false,
      subscriptionId: options.subscriptionId ?? "00000000-0000-0000-0000-000000000000",
      tenantId: options.tenantId ?? "11111111-1111-1111-1111-111111111111",
      defaultResourceGroup: options.defaultResourceGroup ?? "rg-mcp",
      config: options.config ?? {},
    };
    const runtime = new MockRuntime(o);
    pulumi.runtime.setAllConfig(o.config);
    const ctx: ArmIdContext = { subscriptionId: o.subscriptionId, defaultResourceGroup: o.defaultResourceGroup };
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const inputs = args.inputs as Record<string, unknown>;
          const { id, outputs } = answerCreate(args.type, args.name, inputs, ctx, false);
          return { id, state: outputs };
        },
        call: (args) => {
          if (args.token.endsWith(":getClientConfig")) {
            return {
              clientId: "22222222-2222-2222-2222-222222222222",
              objectId: "33333333-3333-3333-3333-333333333333",
              subscriptionId: o.subscriptionId,
              tenantId: o.tenantId,
            };
          }
          return args.inputs;
        },
      },
      o.project,
      o.stack,
      o.preview,
    );
    runtime.recordRegistrations();
    return runtime;
  }

  /** Wraps the mock monitor so each registration's full request (parent, dependencies) is kept. */
  private recordRegistrations(): void {
    type Request = {
      getType(): string;
      getName(): string;
      getParent(): string;
      getCustom(): boolean;
      getDependenciesList(): string[];
      getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
      getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    };
    type Response = { getUrn(): string };
    type Monitor = { registerResource(req: Request, cb: (err: Error | null, res?: Response) => void): void };
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      const order = this.requests++;
      original(req, (err, res) => {
        if (!err && res) {
          const propertyDependencies: Record<string, string[]> = {};
          req.getPropertydependenciesMap().forEach((value, key) => {
            const urns = value.getUrnsList();
            if (urns.length > 0) propertyDependencies[key] = [...urns].sort();
          });
          const record: RecordedResource = {
            urn: res.getUrn(),
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || null,
            custom: req.getCustom(),
            inputs: redactSecrets(clone(req.getObject()?.toJavaScript() ?? {})) as Record<string, unknown>,
            dependencies: [...new Set(req.getDependenciesList())].sort(),
            propertyDependencies,
          };
          // Keep the program's registration order, whatever order the answers came in.
          const at = this.recorded.findIndex((r) => (this.requestOrder.get(r) ?? 0) > order);
          this.recorded.splice(at === -1 ? this.recorded.length : at, 0, record);
          this.requestOrder.set(record, order);
        }
        callback(err, res);
      });
    };
  }

  /** Waits until every registration and output the program started has been processed. */
  async settle(): Promise<void> {
    const settings = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    // Outputs resolve in waves (a resource's inputs wait on another's outputs): drain until quiet.
    for (let seen = -1; seen !== this.recorded.length; ) {
      seen = this.recorded.length;
      if (settings.waitForRPCs) await settings.waitForRPCs();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Every registration so far, in the order the program made them. */
  get resources(): readonly RecordedResource[] {
    return this.recorded;
  }

  /** Registrations of one type token, e.g. `azure-native:keyvault:Vault`. */
  ofType(type: string): RecordedResource[] {
    return this.recorded.filter((r) => r.type === type);
  }

  /** The one registration of a type (and logical name, when given); throws when absent or ambiguous. */
  one(type: string, name?: string): RecordedResource {
    const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) {
      const names = this.ofType(type).map((r) => r.name).join(", ") || "none";
      throw new Error(`Expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (registered: ${names}).`);
    }
    return found[0];
  }
}
