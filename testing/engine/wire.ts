/**
 * Pulumi's property wire format, as the engine sees a program's RegisterResource object: special
 * values are objects tagged with a signature key. Facts from pulumi/pulumi
 * sdk/go/common/resource/properties.go and sdk/nodejs/runtime/rpc.ts (`specialSigKey` and friends).
 */

/** What a value not known until apply (preview) looks like on the wire. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** What a plan shows in place of every secret value. */
export const REDACTED = "[secret]";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Replaces secrets with `REDACTED`, recursively, in a value from Pulumi's wire format. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (isObject(value)) {
    if (value[SIG_KEY] === SECRET_SIG) return REDACTED;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

/**
 * A goal's inputs as a provider that does not accept resource references receives them (azure-native
 * and azuread answer Configure without `acceptResources`): a reference becomes the resource's id, or
 * its URN for a component; an output value becomes its value, or unknown when it has none
 * (pulumi/pulumi sdk/go/common/resource/plugin/rpc.go, MarshalPropertyValue without KeepResources).
 */
export function downgradeReferences(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(downgradeReferences);
  if (!isObject(value)) return value;
  const sig = value[SIG_KEY];
  if (sig === RESOURCE_REF_SIG) {
    const id = value.id;
    if (typeof id === "string") return id === "" ? UNKNOWN : id;
    return value.urn;
  }
  if (sig === OUTPUT_VALUE_SIG) {
    const inner = "value" in value ? downgradeReferences(value.value) : UNKNOWN;
    return value.secret === true ? { [SIG_KEY]: SECRET_SIG, value: inner } : inner;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, downgradeReferences(v)]));
}

/** True when the value holds a preview unknown anywhere inside it. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** A deep copy through JSON: what crossed the wire is plain data. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
