/**
 * What the engine decides for a registration that already has state: same, update or replace, and
 * whether the replacement deletes first. The facts:
 * - The engine diffs the new inputs against the old ones, leaving out `ignoreChanges` paths, and asks
 *   the provider (pulumi/pulumi pkg/resource/deploy/step_generator.go, diff).
 * - azure-native replaces on a change to an ARM path input or a force-new property, and answers
 *   deleteBeforeReplace for every replacement of a resource it did not name randomly (provider.go, Diff:
 *   `deleteBeforeReplace := len(replaces) > 0` unless the `__createBeforeDelete` flag is set).
 * - A replacement the provider did not ask for (`pulumi up --replace`, replaceOnChanges) deletes first only
 *   when the resource says `deleteBeforeReplace`; otherwise the engine creates first, and azure-native's
 *   Create refuses an ARM id that exists ("cannot create already existing resource").
 * - azuread is bridged from Terraform: its replacements follow the schema's ForceNew and create first.
 */
import type { RecordedOptions } from "./checkpoint";
import { pathInputsOf } from "./armIds";

type Props = Record<string, unknown>;

/**
 * Force-new properties beyond the ARM path, for the types the kit writes:
 * - RoleAssignment.principalId: pulumi-azure-native#1010 (ARM answers RoleAssignmentUpdateNotPermitted);
 * - `location` of tracked resources: ARM's common types mark it create-only (x-ms-mutability read, create);
 * - azuread: the Terraform provider's ForceNew arguments.
 */
const FORCE_NEW: Record<string, readonly string[]> = {
  "azure-native:authorization:RoleAssignment": ["principalId"],
  "azuread:index/servicePrincipal:ServicePrincipal": ["clientId"],
  "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri": ["applicationId", "identifierUri"],
  "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized": ["applicationId", "authorizedClientId"],
  "azuread:index/appRoleAssignment:AppRoleAssignment": ["appRoleId", "principalObjectId", "resourceObjectId"],
  "azuread:index/application:Application": [],
};

/** The inputs whose change makes the provider replace the resource; undefined when the stand-in cannot tell. */
export function replaceKeysOf(type: string): Set<string> | undefined {
  if (type.startsWith("azuread:")) {
    const forceNew = FORCE_NEW[type];
    return forceNew ? new Set(forceNew) : undefined;
  }
  const path = pathInputsOf(type);
  if (!path) return undefined;
  return new Set([...path, "location", ...(FORCE_NEW[type] ?? [])]);
}

function isObject(value: unknown): value is Props {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `inputs` without the `ignoreChanges` paths (dotted paths into objects). */
function withoutIgnored(inputs: Props, ignore: readonly string[]): Props {
  const copy = JSON.parse(JSON.stringify(inputs)) as Props;
  for (const path of ignore) {
    const keys = path.split(".");
    let at: unknown = copy;
    for (const key of keys.slice(0, -1)) at = isObject(at) ? at[key] : undefined;
    if (isObject(at)) delete at[keys[keys.length - 1]];
  }
  return copy;
}

/** Top-level inputs that differ. azure-native diffs `location` without case or spaces (diff.go). */
export function changedKeys(olds: Props, news: Props, ignore: readonly string[] = []): string[] {
  const a = withoutIgnored(olds, ignore);
  const b = withoutIgnored(news, ignore);
  const norm = (v: unknown) => (typeof v === "string" ? v.replace(/ /g, "").toLowerCase() : v);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => (k === "location" ? norm(a[k]) !== norm(b[k]) : !equal(a[k], b[k])))
    .sort();
}

export interface GoalDecision {
  readonly kind: "same" | "update" | "replace";
  readonly changed: readonly string[];
  /** The changed inputs that force the replacement (empty for a forced `--replace`). */
  readonly replaceKeys: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

/**
 * The engine's decision for one registration with state. `forced` is `pulumi up --replace <urn>`.
 * Throws when a changed input's effect is unknown to the stand-in: guessing "update" could hide a
 * replacement that fails in Azure.
 */
export function decideGoal(type: string, olds: Props, news: Props, options: RecordedOptions, forced: boolean): GoalDecision {
  const changed = changedKeys(olds, news, options.ignoreChanges ?? []);
  const replaceable = replaceKeysOf(type);
  if (changed.length > 0 && !replaceable) {
    throw new Error(`the engine stand-in does not know which inputs of ${type} force a replacement (changed: ${changed.join(", ")})`);
  }
  const providerKeys = changed.filter((k) => replaceable?.has(k));
  const optionKeys = changed.filter((k) => options.replaceOnChanges?.includes(k) || options.replaceOnChanges?.includes("*"));
  const providerReplaces = providerKeys.length > 0;
  if (!forced && !providerReplaces && optionKeys.length === 0) {
    return { kind: changed.length > 0 ? "update" : "same", changed, replaceKeys: [], deleteBeforeReplace: false };
  }
  // azure-native names a resource randomly only when the program left its name input out.
  const path = pathInputsOf(type);
  const nameInput = path?.[path.length - 1];
  const namedByProgram = nameInput === undefined || olds[nameInput] !== undefined;
  const azureNative = type.startsWith("azure-native:");
  return {
    kind: "replace",
    changed,
    replaceKeys: [...new Set([...providerKeys, ...optionKeys])].sort(),
    deleteBeforeReplace: options.deleteBeforeReplace === true || (azureNative && providerReplaces && namedByProgram),
  };
}
