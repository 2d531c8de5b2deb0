import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { AnalyzeRequest, AnalyzeStackRequest, AnalyzerProviderResource, AnalyzerResourceOptions } from "@pulumi/pulumi/proto/analyzer_pb";
import { nameFromUrn } from "../../policies/config/exemptions";
import { SECRET_PLACEHOLDER, type Snapshot, type SnapshotResource } from "../../policies/offline/snapshot";
import { analyzerPb, structPb } from "./proto";

/**
 * Snapshot resources as the engine puts them on the wire to an analyzer (pulumi/pulumi
 * pkg/resource/plugin/analyzer_plugin.go): properties marshalled with unknowns kept (as the unknown
 * sentinel string), secrets kept (as secret objects) and internal `__` keys dropped at every level; the
 * name is the URN's last part; the provider is the provider resource with its inputs.
 */

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Json = Parameters<typeof structPb.Struct.fromJavaScript>[0][string];

function marshalValue(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === SECRET_PLACEHOLDER) return { [SIG_KEY]: SECRET_SIG, value: SECRET_PLACEHOLDER };
  if (Array.isArray(value)) return value.map((v) => marshalValue(v) ?? null);
  if (value !== null && typeof value === "object") return marshalProperties(value as Record<string, unknown>);
  return value as Json;
}

function marshalProperties(props: Record<string, unknown>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith("__")) continue;
    const marshalled = marshalValue(value);
    if (marshalled !== undefined) out[key] = marshalled;
  }
  return out;
}

export function toStruct(props: Record<string, unknown>): Struct {
  return structPb.Struct.fromJavaScript(marshalProperties(props));
}

function options(r: SnapshotResource): AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.protect ?? false);
  o.setIgnorechangesList([]);
  o.setDeletebeforereplace(false);
  o.setDeletebeforereplacedefined(false);
  o.setAdditionalsecretoutputsList([]);
  o.setAliasesList([]);
  o.setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts());
  o.setParent(r.parent ?? "");
  return o;
}

/** The provider a resource names (`<provider urn>::<id>`), with the provider's inputs, when the snapshot has it. */
function provider(snapshot: Snapshot, r: SnapshotResource): AnalyzerProviderResource | undefined {
  if (!r.provider) return undefined;
  const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
  const p = snapshot.resources.find((x) => x.urn === urn);
  if (!p) return undefined;
  const out = new analyzerPb.AnalyzerProviderResource();
  out.setUrn(p.urn);
  out.setType(p.type);
  out.setName(nameFromUrn(p.urn));
  out.setProperties(toStruct(p.inputs));
  return out;
}

/** Analyze (and Remediate) for one resource: its inputs, before the step runs. */
export function analyzeRequest(snapshot: Snapshot, r: SnapshotResource): AnalyzeRequest {
  const request = new analyzerPb.AnalyzeRequest();
  request.setUrn(r.urn);
  request.setType(r.type);
  request.setName(nameFromUrn(r.urn));
  request.setProperties(toStruct(r.inputs));
  request.setOptions(options(r));
  const p = provider(snapshot, r);
  if (p) request.setProvider(p);
  return request;
}

/**
 * AnalyzeStack: every resource the deployment holds (components, providers and the stack included), on
 * its outputs (its inputs where the source recorded no outputs), with parent and dependencies.
 */
export function analyzeStackRequest(snapshot: Snapshot): AnalyzeStackRequest {
  const request = new analyzerPb.AnalyzeStackRequest();
  request.setResourcesList(
    snapshot.resources.map((r) => {
      const res = new analyzerPb.AnalyzerResource();
      res.setUrn(r.urn);
      res.setType(r.type);
      res.setName(nameFromUrn(r.urn));
      res.setProperties(toStruct(r.outputs ?? r.inputs));
      res.setOptions(options(r));
      const p = provider(snapshot, r);
      if (p) res.setProvider(p);
      res.setParent(r.parent ?? "");
      res.setDependenciesList([...r.dependencies]);
      const deps = res.getPropertydependenciesMap();
      for (const [key, urns] of Object.entries(r.propertyDependencies)) {
        if (urns.length === 0) continue;
        const d = new analyzerPb.AnalyzerPropertyDependencies();
        d.setUrnsList([...urns]);
        deps.set(key, d);
      }
      return res;
    }),
  );
  return request;
}
