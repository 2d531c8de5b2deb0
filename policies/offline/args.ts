import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { exemptionSink, type ExemptedFinding, type ExemptionSinkCarrier } from "../config/exemptions";
import { unknownCheckingProxy } from "./proxy";
import { readOnlyView } from "./readOnly";
import type { Snapshot, SnapshotResource } from "./snapshot";

/** Thrown by `args.notApplicable(reason)`, as the engine's own NotApplicableError is. */
export class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** The engine's `isTypeOf`: the class's `__pulumiType`, else its `isInstance`. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
  const tag = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof tag === "string" && tag.length > 0) return type === tag;
  const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** Each property bag's view, made once (readOnly.ts says why one view serves every rule). */
const views = new WeakMap<Record<string, unknown>, Record<string, unknown>>();

/**
 * The view a policy reads: a detached copy (JSON, as the engine serialises properties; JSON rather than
 * structuredClone: the proxy only wraps objects of its own realm, and jest runs in a vm), read-only, behind the
 * SDK's own unknown-value proxy.
 */
function viewOf(props: Record<string, unknown>): Record<string, unknown> {
  let view = views.get(props);
  if (view === undefined) {
    view = unknownCheckingProxy(readOnlyView(JSON.parse(JSON.stringify(props)) as Record<string, unknown>));
    views.set(props, view);
  }
  return view;
}

function optionsOf(r: SnapshotResource): PolicyResourceOptions {
  return {
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

/** Each snapshot's resources by URN, built once: a search per resource made a check quadratic. */
const indexes = new WeakMap<readonly SnapshotResource[], { readonly size: number; readonly byUrn: ReadonlyMap<string, SnapshotResource> }>();

function byUrnOf(snapshot: Snapshot): ReadonlyMap<string, SnapshotResource> {
  const list = snapshot.resources;
  let index = indexes.get(list);
  // Rebuilt if the list grew or shrank since (a caller that edits its snapshot between checks).
  if (index === undefined || index.size !== list.length) {
    const byUrn = new Map<string, SnapshotResource>();
    // The first of a URN wins, as a search from the start did.
    for (const x of list) if (!byUrn.has(x.urn)) byUrn.set(x.urn, x);
    index = { size: list.length, byUrn };
    indexes.set(list, index);
  }
  return index.byUrn;
}

/** The provider a resource names (`<urn>::<id>`), when the snapshot holds it. */
function providerOf(snapshot: Snapshot, r: SnapshotResource, useOutputs: boolean): PolicyProviderResource | undefined {
  if (!r.provider) return undefined;
  const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
  const p = byUrnOf(snapshot).get(urn);
  if (!p) return undefined;
  return { type: p.type, props: viewOf(useOutputs ? (p.outputs ?? p.inputs) : p.inputs), urn: p.urn, name: p.name };
}

export interface ArgsContext {
  readonly stackTags?: ReadonlyMap<string, string>;
  /** Receives exempted findings as structured records. */
  readonly onExempted?: (finding: ExemptedFinding) => void;
}

type WithSink<T> = T & ExemptionSinkCarrier;

function sinkOf(ctx: ArgsContext): ExemptionSinkCarrier {
  return ctx.onExempted ? { [exemptionSink]: ctx.onExempted } : {};
}

/**
 * What the engine hands a policy about one resource, whichever call: its identity, and its props (proxied),
 * made on first read and shared, read-only, by every policy (readOnly.ts); a policy that looks only at the type
 * (most do, to skip other resources) reads nothing.
 */
function resourceView(snapshot: Snapshot, r: SnapshotResource, useOutputs: boolean) {
  let props: Record<string, unknown> | undefined;
  const propsOf = () => (props ??= viewOf(useOutputs ? (r.outputs ?? r.inputs) : r.inputs));
  const view = {
    type: r.type,
    urn: r.urn,
    name: r.name,
    opts: optionsOf(r),
    isType: (resourceClass: unknown) => isTypeOf(r.type, resourceClass),
    asType: ((resourceClass: unknown) => (isTypeOf(r.type, resourceClass) ? propsOf() : undefined)) as ResourceValidationArgs["asType"] &
      PolicyResource["asType"],
  } as { type: string; urn: string; name: string; opts: PolicyResourceOptions; props: Record<string, unknown>; provider?: PolicyProviderResource } & Pick<
    ResourceValidationArgs,
    "isType" | "asType"
  >;
  Object.defineProperty(view, "props", { get: propsOf, enumerable: true, configurable: true });
  if (r.provider) {
    let provider: PolicyProviderResource | undefined | null = null;
    Object.defineProperty(view, "provider", {
      get: () => (provider === null ? (provider = providerOf(snapshot, r, useOutputs)) : provider),
      enumerable: true,
      configurable: true,
    });
  }
  return view;
}

/** What the engine's `analyze` call hands one resource policy for one resource: its inputs, proxied. */
export function resourceValidationArgs(snapshot: Snapshot, r: SnapshotResource, ctx: ArgsContext = {}): WithSink<ResourceValidationArgs> {
  // Object.assign, not a spread: a spread would read (and copy) the lazy props.
  return Object.assign(resourceView(snapshot, r, false), {
    stackTags: ctx.stackTags ?? new Map<string, string>(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: throwNotApplicable,
    ...sinkOf(ctx),
  });
}

/**
 * The resources the engine's AnalyzeStack call hands a stack policy: every resource the deployment holds except
 * pending deletions, components, providers and the stack itself included (pulumi/pulumi pkg/resource/deploy builds
 * the request from every non-deleted state; @pulumi/policy's analyzeStack passes the whole list to each policy), with
 * outputs where the source has them (inputs otherwise), and parent, dependencies and property dependencies linked
 * to the objects as the SDK links them (URNs not in the snapshot are dropped). Rules select by type, so components
 * and providers reach only a rule that asks for them.
 */
export function policyResources(snapshot: Snapshot): PolicyResource[] {
  const list = snapshot.resources;
  let built = linkedViews.get(list);
  // Rebuilt if the list grew or shrank since (a caller that edits its snapshot between checks).
  if (built === undefined || built.size !== list.length) {
    built = { size: list.length, resources: linkResources(snapshot) };
    linkedViews.set(list, built);
  }
  // A list of its own for each policy (one may sort or splice it); the resources in it are shared and frozen.
  return [...built.resources];
}

/**
 * The linked resources of a snapshot, built once and shared by every stack policy (the engine builds them for
 * each; building them for each of ~20 stack rules was most of a check's time on a large plan): frozen, with
 * read-only props (readOnly.ts), so no policy can change what another sees.
 */
const linkedViews = new WeakMap<readonly SnapshotResource[], { size: number; resources: readonly PolicyResource[] }>();

function linkResources(snapshot: Snapshot): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const built = snapshot.resources.map((r) => {
    const resource: PolicyResource = Object.assign(resourceView(snapshot, r, true), { dependencies: [], propertyDependencies: {} });
    byUrn.set(r.urn, resource);
    return { r, resource };
  });
  const link = (urns: readonly string[]) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
  for (const { r, resource } of built) {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) resource.parent = parent;
    resource.dependencies = link(r.dependencies);
    for (const [key, urns] of Object.entries(r.propertyDependencies)) resource.propertyDependencies[key] = link(urns);
  }
  for (const { resource } of built) {
    Object.freeze(resource.dependencies);
    for (const deps of Object.values(resource.propertyDependencies)) Object.freeze(deps);
    Object.freeze(resource.propertyDependencies);
    Object.freeze(resource);
  }
  return built.map((b) => b.resource);
}

export function stackValidationArgs(snapshot: Snapshot, ctx: ArgsContext = {}): WithSink<StackValidationArgs> {
  return {
    resources: policyResources(snapshot),
    stackTags: ctx.stackTags ?? new Map<string, string>(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: throwNotApplicable,
    ...sinkOf(ctx),
  };
}
