/**
 * The ResourceMonitor service as the engine answers a nodejs program (pulumi/pulumi
 * pkg/resource/deploy/source_eval.go, type resmon). Emulated: SupportsFeature, RegisterResource,
 * RegisterResourceOutputs, Invoke (the functions the kit calls), SignalAndWaitForShutdown. Every
 * other method, and every option the stand-in cannot honour, is refused with a gRPC error and
 * recorded in `Deployment.failures`: a run that needed it fails instead of passing on a guess.
 */
import { answerCreate } from "./azureOutputs";
import { Deployment, EngineResource } from "./deployment";
import { emptyPb, grpc, grpcTypes, providerProto, resourcePb, resourceProto, structPb } from "./grpc";
import { handlersFor, refuse } from "./refusals";
import type { RecordedOptions } from "./checkpoint";
import type { Answer } from "./update";
import { defaultProviderUrn, urnOf } from "./urns";
import { clone, downgradeReferences, UNKNOWN } from "./wire";
import { deterministicGuid } from "../../infra/shared/guid";

type Callback<T> = grpcTypes.sendUnaryData<T>;
type Call<T> = grpcTypes.ServerUnaryCall<T, unknown>;
type Props = Record<string, unknown>;

/** source_eval.go supportsFeatureID: what the engine answers for each feature id; anything else is false. */
const ENGINE_FEATURES = new Set([
  "secrets",
  "resourceReferences",
  "outputValues",
  "aliasSpecs",
  "replacementTrigger",
  "deletedWith",
  "replaceWith",
  "transforms",
  "invokeTransforms",
  "parameterization",
  "resourceHooks",
  "errorHooks",
  "sendsOptionsToHooks",
]);

/** Packages whose providers the stand-in models (azureOutputs.ts); a resource of any other fails loudly. */
const MODELLED_PACKAGES = new Set(["azure-native", "azuread", "pulumi"]);

class Refusal extends Error {}

function toStruct(value: Props) {
  return structPb.Struct.fromJavaScript(clone(value) as Parameters<typeof structPb.Struct.fromJavaScript>[0]);
}

function propertyDependencies(req: resourcePb.RegisterResourceRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    const urns = deps.getUrnsList();
    if (urns.length > 0) out[key] = [...new Set(urns)].sort();
  });
  return out;
}

/** The options a later update acts on, as the request carries them (only those set). */
function recordedOptions(req: resourcePb.RegisterResourceRequest): RecordedOptions {
  const ignoreChanges = req.getIgnorechangesList();
  const replaceOnChanges = req.getReplaceonchangesList();
  return {
    ...(req.getDeletebeforereplace() ? { deleteBeforeReplace: true } : {}),
    ...(req.getRetainondelete() ? { retainOnDelete: true } : {}),
    ...(req.getProtect() ? { protect: true } : {}),
    ...(ignoreChanges.length > 0 ? { ignoreChanges } : {}),
    ...(replaceOnChanges.length > 0 ? { replaceOnChanges } : {}),
  };
}

/** Options the engine would act on but the stand-in cannot: a registration using one is refused. */
function unsupportedOptions(req: resourcePb.RegisterResourceRequest): string[] {
  const found: string[] = [];
  if (req.getRemote()) found.push("remote (multi-language components)");
  if (req.getImportid() !== "") found.push("import");
  if (req.getTransformsList().length > 0) found.push("transforms");
  if (req.getPackageref() !== "") found.push("packageRef (parameterized packages)");
  const hooks = req.getHooks();
  if (hooks && Object.values(hooks.toObject()).some((list) => Array.isArray(list) && list.length > 0)) found.push("hooks");
  return found;
}

/**
 * The URNs a registration's aliases name, as the engine resolves them (source_eval.go RegisterResource, alias
 * specs): a spec's empty name, type, stack or project is the resource's own, its parent is `parentUrn`, none
 * with `noParent`, else the resource's parent. A child also inherits each of its parent's aliases, its name
 * re-prefixed when it starts with the parent's (the SDK's inheritedChildAlias, which the engine applies for an
 * SDK that sends alias specs).
 */
function aliasUrnsOf(req: resourcePb.RegisterResourceRequest, d: Deployment, parentAliases: readonly string[]): string[] {
  const type = req.getType();
  const name = req.getName();
  const parent = req.getParent();
  const out = new Set<string>(req.getAliasurnsList());
  for (const alias of req.getAliasesList()) {
    const spec = alias.getSpec();
    if (!spec) {
      if (alias.getUrn() !== "") out.add(alias.getUrn());
      continue;
    }
    const aliasParent = spec.getNoparent() ? "" : spec.getParenturn() || parent;
    out.add(urnOf(spec.getStack() || d.stack, spec.getProject() || d.project, aliasParent, spec.getType() || type, spec.getName() || name));
  }
  const parentName = parent === "" ? "" : parent.slice(parent.lastIndexOf("::") + 2);
  for (const parentAlias of parentAliases) {
    const aliasParentName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
    const childName = parentName !== "" && name.startsWith(parentName) ? aliasParentName + name.slice(parentName.length) : name;
    out.add(urnOf(d.stack, d.project, parentAlias, type, childName));
  }
  return [...out];
}

export class ResourceMonitor {
  /** Each registration's alias URNs, which its children inherit. */
  private readonly aliasesOf = new Map<string, string[]>();

  constructor(private readonly deployment: Deployment) {}

  /** The handlers for every method of the service: the emulated ones, and a loud refusal for the rest. */
  handlers(service: grpcTypes.ServiceDefinition): grpcTypes.UntypedServiceImplementation {
    return handlersFor(this.deployment, "ResourceMonitor", service, {
      supportsFeature: this.supportsFeature.bind(this),
      registerResource: this.registerResource.bind(this),
      registerResourceOutputs: this.registerResourceOutputs.bind(this),
      invoke: this.invoke.bind(this),
      signalAndWaitForShutdown: this.signalAndWaitForShutdown.bind(this),
    });
  }

  private supportsFeature(call: Call<resourcePb.SupportsFeatureRequest>, callback: Callback<resourcePb.SupportsFeatureResponse>): void {
    const res = new resourceProto.SupportsFeatureResponse();
    res.setHassupport(ENGINE_FEATURES.has(call.request.getId()));
    callback(null, res);
  }

  private registerResource(call: Call<resourcePb.RegisterResourceRequest>, callback: Callback<resourcePb.RegisterResourceResponse>): void {
    try {
      callback(null, this.register(call.request));
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      refuse(this.deployment, callback as Callback<never>, err.message, grpc.status.INVALID_ARGUMENT);
    }
  }

  private register(req: resourcePb.RegisterResourceRequest): resourcePb.RegisterResourceResponse {
    const d = this.deployment;
    const type = req.getType();
    const name = req.getName();
    const custom = req.getCustom();
    const label = `RegisterResource(${type}, ${name})`;
    const unsupported = unsupportedOptions(req);
    if (unsupported.length > 0) throw new Refusal(`${label}: ${unsupported.join(", ")} not emulated by the engine stand-in`);
    // Custom resources need a three-part token (source_eval.go, RegisterResource: tokens.ParseTypeToken).
    if (custom && type.split(":").length !== 3) throw new Refusal(`${label}: invalid type token`);
    const parent = req.getParent();
    if (parent !== "" && !d.has(parent)) throw new Refusal(`${label}: parent ${parent} was never registered`);
    const urn = urnOf(d.stack, d.project, parent, type, name);
    // The engine refuses a second goal for the same URN (step_generator.go: "Duplicate resource URN").
    if (d.has(urn)) throw new Refusal(`${label}: Duplicate resource URN '${urn}'; try giving it a unique name`);

    const aliases = aliasUrnsOf(req, d, this.aliasesOf.get(parent) ?? []);
    if (aliases.length > 0) this.aliasesOf.set(urn, aliases);
    const inputs = downgradeReferences(req.getObject()?.toJavaScript() ?? {}) as Props;
    const options = recordedOptions(req);
    let provider: string | undefined;
    let id: string | undefined;
    let outputs: Props = {};
    if (custom) {
      const pkg = type.split(":")[0];
      if (!MODELLED_PACKAGES.has(pkg)) throw new Refusal(`${label}: the engine stand-in does not model the ${pkg} provider`);
      if (type.startsWith("pulumi:providers:")) {
        // A provider the program creates: its outputs are its inputs; its id is a UUID once created.
        id = d.preview ? "" : deterministicGuid(urn, "provider");
        outputs = inputs;
      } else {
        provider = req.getProvider() || this.defaultProvider(pkg, req.getVersion());
        const create = (generation: number) => answerCreate(type, name, inputs, d.arm, d.preview, generation);
        ({ id, outputs } = d.update ? this.updateStep(urn, type, inputs, options, create, aliases) : create(0));
      }
    } else if (d.update) {
      this.updateStep(urn, type, inputs, options, () => ({ id: "", outputs: {} }), aliases, true);
    }
    d.add({
      urn,
      type,
      name,
      parent: parent === "" ? null : parent,
      custom,
      ...(provider ? { provider } : {}),
      ...(id !== undefined ? { id } : {}),
      inputs,
      outputs,
      dependencies: [...new Set(req.getDependenciesList())].sort(),
      propertyDependencies: propertyDependencies(req),
      ...(Object.keys(options).length > 0 ? { options } : {}),
    });

    const res = new resourceProto.RegisterResourceResponse();
    res.setUrn(urn);
    if (id !== undefined) res.setId(id);
    res.setObject(toStruct(custom ? outputs : {}));
    return res;
  }

  /** A registration against state: the engine's step, or Azure's refusal as the failed registration. */
  private updateStep(
    urn: string,
    type: string,
    inputs: Props,
    options: RecordedOptions,
    create: (generation: number) => Answer,
    aliases: readonly string[],
    component = false,
  ): Answer {
    const update = this.deployment.update;
    if (!update) return create(0);
    try {
      if (component) {
        update.registerComponent(urn, aliases);
        return create(0);
      }
      return update.register(urn, type, inputs, options, create, aliases);
    } catch (err) {
      throw new Refusal(`${urn}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * The engine registers one default provider per package and version the first time a resource
   * needs it and hands its reference (`urn::id`) to the resource (source_eval.go defaultProviders).
   */
  private defaultProvider(pkg: string, version: string): string {
    const d = this.deployment;
    const urn = defaultProviderUrn(d.stack, d.project, pkg, version);
    let provider = d.providers.get(urn);
    if (!provider) {
      provider = {
        urn,
        type: `pulumi:providers:${pkg}`,
        name: urn.slice(urn.lastIndexOf("::") + 2),
        parent: null,
        custom: true,
        // A new provider's id is unknown during a preview (the engine plans its creation).
        id: d.preview ? UNKNOWN : deterministicGuid(urn, "provider"),
        inputs: version === "" ? {} : { version },
        outputs: {},
        dependencies: [],
        propertyDependencies: {},
      };
      d.providers.set(urn, provider);
    }
    return `${provider.urn}::${provider.id}`;
  }

  private registerResourceOutputs(call: Call<resourcePb.RegisterResourceOutputsRequest>, callback: Callback<unknown>): void {
    const urn = call.request.getUrn();
    const resource: EngineResource | undefined = this.deployment.get(urn);
    if (!resource) {
      refuse(this.deployment, callback as Callback<never>, `RegisterResourceOutputs: ${urn} was never registered`, grpc.status.INVALID_ARGUMENT);
      return;
    }
    resource.outputs = { ...resource.outputs, ...(call.request.getOutputs()?.toJavaScript() ?? {}) };
    callback(null, new emptyPb.Empty());
  }

  /** Invokes run during a preview too (the engine calls the provider's Invoke either way). */
  private invoke(call: Call<resourcePb.ResourceInvokeRequest>, callback: Callback<unknown>): void {
    const token = call.request.getTok();
    const answer = this.invokeAnswer(token);
    if (!answer) {
      refuse(this.deployment, callback as Callback<never>, `Invoke(${token}) is not emulated by the engine stand-in`);
      return;
    }
    const res = new providerProto.InvokeResponse();
    res.setReturn(toStruct(answer));
    callback(null, res);
  }

  private invokeAnswer(token: string): Props | undefined {
    const d = this.deployment;
    switch (token) {
      // azure-native provider.go Invoke: the credentials' client, object, subscription and tenant.
      case "azure-native:authorization:getClientConfig":
        return {
          clientId: "22222222-2222-2222-2222-222222222222",
          objectId: "33333333-3333-3333-3333-333333333333",
          subscriptionId: d.arm.subscriptionId,
          tenantId: d.tenantId,
        };
      default:
        return undefined;
    }
  }

  /** The SDK's last call: the engine answers once every registration is processed (ours are synchronous). */
  private signalAndWaitForShutdown(_call: Call<unknown>, callback: Callback<unknown>): void {
    this.deployment.shutdownSignalled = true;
    callback(null, new emptyPb.Empty());
  }
}
