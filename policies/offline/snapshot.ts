/** Where a snapshot came from; reporters point at it. */
export type SnapshotFormat = "plan" | "preview" | "stack-export";

/** One resource as the engine would hand it to a policy, whatever file it was read from. */
export interface SnapshotResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** False for component resources (and the stack itself), which the check skips. */
  readonly custom: boolean;
  readonly parent?: string;
  /** Provider reference, `<provider urn>::<id>`, when the source records one. */
  readonly provider?: string;
  /** What resource policies see (the engine analyzes inputs). */
  readonly inputs: Record<string, unknown>;
  /** What stack policies see where the source has them (the engine analyzes the stack on outputs). */
  readonly outputs?: Record<string, unknown>;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly protect?: boolean;
}

export interface Snapshot {
  readonly format: SnapshotFormat;
  /** The file it was read from, for SARIF locations and messages. */
  readonly file?: string;
  readonly project?: string;
  readonly stack?: string;
  readonly resources: readonly SnapshotResource[];
  /** What the reader could not see in the input (e.g. encrypted secrets), for the report to say. */
  readonly warnings?: readonly string[];
}

/** The string the engine writes for every value unknown at preview, whatever its type. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** What every secret becomes in a snapshot: policies can see that a value is set, never what it is. */
export const SECRET_PLACEHOLDER = "[secret]";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Turns a value from a state file or preview into what a policy sees: secrets (`{ <sig>: <secret sig>,
 * ciphertext | plaintext }`) become `[secret]`; unknown sentinels, assets and archives stay as the engine
 * serialises them (the unknown-checking proxy recognises the sentinels).
 */
export function normalizeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = normalizeValue(v);
    return out;
  }
  return value;
}

/** How many secrets in `value` are ciphertext (a stack export without --show-secrets): their values cannot be read. */
export function countEncryptedSecrets(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countEncryptedSecrets(v), 0);
  if (value === null || typeof value !== "object") return 0;
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === SECRET_SIG) return "ciphertext" in record ? 1 : 0;
  return Object.values(record).reduce((n: number, v) => n + countEncryptedSecrets(v), 0);
}

/** Providers and components are not checked: the engine's typed policies never match them. */
export function isCheckable(resource: SnapshotResource): boolean {
  return resource.custom && !resource.type.startsWith("pulumi:providers:") && resource.type !== "pulumi:pulumi:Stack";
}
