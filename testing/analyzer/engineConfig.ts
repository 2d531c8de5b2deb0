import type { AnalyzerInfo, ConfigureAnalyzerRequest, PolicyConfig } from "@pulumi/pulumi/proto/analyzer_pb";
import { schemaErrors } from "./configSchema";
import { analyzerPb, structPb } from "./proto";

const { EnforcementLevel } = analyzerPb;
type EnforcementLevel = (typeof EnforcementLevel)[keyof typeof EnforcementLevel];

/**
 * What the engine does with `--policy-pack-config FILE` before it calls Configure (pulumi/pulumi
 * pkg/resource/analyzer/config.go: parsePolicyPackConfig, ReconcilePolicyPackConfig): parse the file, start
 * from each policy's own level and its schema defaults, apply the pack's initial config, then the file,
 * "all" first; then it validates every policy's properties against its config schema (`configErrors`) and
 * stops before Configure when any is wrong.
 */

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyConfigEntry {
  readonly enforcementLevel: Level | "";
  readonly properties?: Record<string, unknown>;
}

const LEVELS = new Set<string>(["advisory", "mandatory", "remediate", "disabled"]);

function level(value: unknown, what: string): Level {
  if (typeof value !== "string" || !LEVELS.has(value)) throw new Error(`parsing enforcement level for ${what}: ${JSON.stringify(value)} is not a valid enforcement level`);
  return value as Level;
}

/** The file, as the engine reads it: a level string or an object with `enforcementLevel` and properties. */
export function parseEngineConfigFile(json: unknown): Record<string, PolicyConfigEntry> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error("a policy pack config file must be a JSON object");
  const out: Record<string, PolicyConfigEntry> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === "environments") throw new Error('"environments" (ESC) in a policy pack config is not emulated by this harness');
    if (typeof value === "string") {
      out[name] = { enforcementLevel: level(value, JSON.stringify(name)) };
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel, ...properties } = value as Record<string, unknown>;
      const entry: PolicyConfigEntry = {
        enforcementLevel: enforcementLevel === undefined ? "" : level(enforcementLevel, JSON.stringify(name)),
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
      };
      if (entry.enforcementLevel !== "" || entry.properties) out[name] = entry;
    } else {
      throw new Error(`parsing ${JSON.stringify(name)}: ${JSON.stringify(value)} is not a valid value; must be a string or object`);
    }
  }
  return out;
}

const LEVEL_NAMES: Record<number, Level> = {
  [EnforcementLevel.ADVISORY]: "advisory",
  [EnforcementLevel.MANDATORY]: "mandatory",
  [EnforcementLevel.DISABLED]: "disabled",
  [EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_VALUES: Record<Level, EnforcementLevel> = {
  advisory: EnforcementLevel.ADVISORY,
  mandatory: EnforcementLevel.MANDATORY,
  disabled: EnforcementLevel.DISABLED,
  remediate: EnforcementLevel.REMEDIATE,
};

function apply(result: Map<string, PolicyConfigEntry>, config: Record<string, PolicyConfigEntry>): void {
  const all = config.all;
  if (all && all.enforcementLevel !== "") {
    for (const [name, entry] of result) result.set(name, { ...entry, enforcementLevel: all.enforcementLevel });
  }
  for (const [name, given] of Object.entries(config)) {
    const current = result.get(name);
    const properties = given.properties ? { ...(current?.properties ?? {}), ...given.properties } : current?.properties;
    result.set(name, {
      enforcementLevel: given.enforcementLevel !== "" ? given.enforcementLevel : (current?.enforcementLevel ?? ""),
      ...(properties ? { properties } : {}),
    });
  }
}

/** ReconcilePolicyPackConfig: defaults from GetAnalyzerInfo, then its initial config, then the file. */
export function reconcile(info: AnalyzerInfo, file: Record<string, PolicyConfigEntry>): Map<string, PolicyConfigEntry> {
  const result = new Map<string, PolicyConfigEntry>();
  for (const policy of info.getPoliciesList()) {
    const schema = policy.getConfigschema()?.getProperties()?.toJavaScript() as Record<string, Record<string, unknown>> | undefined;
    const defaults: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema ?? {})) if (property && "default" in property) defaults[key] = property.default;
    result.set(policy.getName(), {
      enforcementLevel: LEVEL_NAMES[policy.getEnforcementlevel()],
      ...(Object.keys(defaults).length > 0 ? { properties: defaults } : {}),
    });
  }
  const initial: Record<string, PolicyConfigEntry> = {};
  info.getInitialconfigMap().forEach((c: PolicyConfig, name: string) => {
    initial[name] = { enforcementLevel: LEVEL_NAMES[c.getEnforcementlevel()], properties: c.getProperties()?.toJavaScript() };
  });
  apply(result, initial);
  apply(result, file);
  return result;
}

/**
 * ValidatePolicyPackConfig: each policy with a config schema, its reconciled properties against
 * `{ type: object, properties, required }`, every error as `<policy>: <path>: <problem>`.
 */
export function configErrors(info: AnalyzerInfo, config: ReadonlyMap<string, PolicyConfigEntry>): string[] {
  const errors: string[] = [];
  for (const policy of info.getPoliciesList()) {
    const schema = policy.getConfigschema();
    if (!schema) continue;
    const properties = (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
    const objectSchema = { type: "object", properties, required: schema.getRequiredList() };
    for (const e of schemaErrors(objectSchema, config.get(policy.getName())?.properties ?? {})) errors.push(`${policy.getName()}: ${e}`);
  }
  return errors;
}

/** The Configure request the engine sends for a reconciled config; like the engine, refuses an entry without a level. */
export function configureRequest(config: ReadonlyMap<string, PolicyConfigEntry>): ConfigureAnalyzerRequest {
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  const map = request.getPolicyconfigMap();
  for (const [name, entry] of config) {
    const pc = new analyzerPb.PolicyConfig();
    if (entry.enforcementLevel === "") throw new Error(`invalid enforcement level "" for ${name} (a config entry for a policy the pack does not have?)`);
    pc.setEnforcementlevel(LEVEL_VALUES[entry.enforcementLevel]);
    pc.setProperties(structPb.Struct.fromJavaScript((entry.properties ?? {}) as Parameters<typeof structPb.Struct.fromJavaScript>[0]));
    map.set(name, pc);
  }
  return request;
}
