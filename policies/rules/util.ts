import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import { SERVICE_DEFAULTS, type ServiceDefault } from "./defaults";
import { APPLIES_TO, finding, type ResourceRule, type RuleMetadata, type ScopedValidation, type StackRule } from "./types";

/**
 * Helpers shared by the rule files. Rules match on type tokens (never on azure-native classes), so they
 * behave the same on the Pulumi engine, an offline plan, a preview or a stack export.
 *
 * Reading props: the engine wraps props in @pulumi/policy's unknownCheckingProxy, so reading a value that is
 * unknown during preview throws UnknownValueError. Rules read values plainly and never catch that error: the
 * engine (or the offline runner) turns it into "can't run policy during preview". A value that is MISSING is
 * read as `undefined`; rules then judge the value Azure applies by default (`effective`, from defaults.ts),
 * and unset without a documented default is a violation.
 */

/** Resource inputs as the engine hands them over (the SDK types them `Record<string, any>`). */
export type Props = Readonly<Record<string, unknown>>;

/** Everything a resource rule declares besides its check. */
export interface ResourceRuleSpec extends RuleMetadata {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** Type tokens the rule applies to (current token plus any v2 alias the engine may still report). */
  readonly types: readonly string[];
  readonly configSchema?: ResourceRule["configSchema"];
  readonly validate: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>;
}

/** A resource rule: skips resources of other types, then runs `validate` on the props. */
export function resourceRule(spec: ResourceRuleSpec): ResourceRule {
  const { types, validate, ...policy } = spec;
  const matches: ReadonlySet<string> = new Set(types);
  const validateResource: ResourceRule["validateResource"] & ScopedValidation = (args, report) => {
    if (!matches.has(args.type)) return;
    return validate(args.props as Props, args, report);
  };
  validateResource[APPLIES_TO] = matches;
  return { ...policy, validateResource };
}

/** Everything a stack rule declares besides its check. */
export interface StackRuleSpec extends RuleMetadata {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: StackRule["configSchema"];
  readonly validate: (args: StackValidationArgs, report: ReportViolation) => void;
}

export function stackRule(spec: StackRuleSpec): StackRule {
  const { validate, ...policy } = spec;
  return { ...policy, validateStack: (args, report) => validate(args, report) };
}

/** Reads a dotted path (`properties.networkAcls.defaultAction`); `undefined` when any step is missing. */
export function get(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The elements of an array value; `[]` when missing or not an array. */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** String elements of an array value. */
export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

/** Case-insensitive string equality (Azure treats most enum values case-insensitively). */
export function eqi(value: unknown, expected: string): boolean {
  return typeof value === "string" && value.toLowerCase() === expected.toLowerCase();
}

/** `true`, or the string "true" in any case (APIM custom properties and some ARM flags are strings). */
export function isTrue(value: unknown): boolean {
  return value === true || eqi(value, "true");
}

/** `false`, or the string "false" in any case. */
export function isFalse(value: unknown): boolean {
  return value === false || eqi(value, "false");
}

/** A managed identity is configured: `identity.type` is set and is not `None`. */
export function hasManagedIdentity(props: Props): boolean {
  const type = str(get(props, "identity.type"));
  return type !== undefined && type.trim() !== "" && !eqi(type, "None");
}

/** Addresses that mean "anyone on the internet" in NSG rules, IP restrictions and firewall rules. */
export function isAnySource(address: string): boolean {
  const a = address.trim().toLowerCase();
  return ["*", "internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0", "0.0.0.0-255.255.255.255"].includes(a);
}

// The SDK's proxy internals (stripped from its typings): the sentinels it puts where a value is unknown at
// preview, and the key that returns a proxy's raw target without the unknown check.
const sdkProxy = proxyModule as unknown as Readonly<Record<string, string>>;
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set(
  ["Boolean", "Number", "String", "Array", "Asset", "Archive", "Object"].map((t) => sdkProxy[`unknown${t}Value`]),
);
const RAW_TARGET = sdkProxy["getSpecialProxyTarget"];

/**
 * Reads a dotted path for LINKING only, without the unknown check: a value unknown at preview reads as
 * `undefined`. Use it where an unknown value simply cannot be a match (a reference to another resource
 * would also show up as a property dependency), never for the value a rule decides on.
 */
export function peek(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    const raw = (current as Record<string, unknown>)[RAW_TARGET] ?? current;
    current = (raw as Record<string, unknown>)[key];
    if (typeof current === "string" && UNKNOWN_SENTINELS.has(current)) return undefined;
  }
  return current;
}

/**
 * Whether a stack resource refers to `target` through `property`: either the engine recorded a property
 * dependency (works at preview, when ids are unknown) or the property's known value equals the target's
 * known id (stack exports). Unknown values on either side never match and never defer the rule: an
 * unrelated resource's unknown reference must not stop the rule from judging this one.
 */
export function refersTo(from: PolicyResource, property: string, target: PolicyResource): boolean {
  const deps = from.propertyDependencies[property] ?? [];
  if (deps.some((d) => d.urn === target.urn)) return true;
  const targetId = str(peek(target.props, "id"));
  if (targetId === undefined) return false;
  return collectStrings(peek(from.props, property)).some((v) => v.toLowerCase() === targetId.toLowerCase());
}

/** Whether a known string value at `path` equals `expected`, case-insensitively (for linking by name). */
export function knownEquals(value: unknown, path: string, expected: string | undefined): boolean {
  const v = str(peek(value, path));
  return v !== undefined && expected !== undefined && v.toLowerCase() === expected.toLowerCase();
}

/** Every string inside a JSON value (used to compare nested id references); unknown sentinels are skipped. */
export function collectStrings(value: unknown): string[] {
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(collectStrings);
  return [];
}

/**
 * Each stack's resources grouped by type, once per list: stack rules ask for one type per MCP API, which made
 * a check quadratic in servers. The engine hands every stack rule a list of its own, so the grouping lives
 * exactly as long as one rule's run.
 */
const groups = new WeakMap<readonly PolicyResource[], { readonly size: number; readonly byType: ReadonlyMap<string, readonly PolicyResource[]> }>();

function byTypeOf(resources: readonly PolicyResource[]): ReadonlyMap<string, readonly PolicyResource[]> {
  let group = groups.get(resources);
  if (group === undefined || group.size !== resources.length) {
    const byType = new Map<string, PolicyResource[]>();
    for (const r of resources) {
      const list = byType.get(r.type);
      if (list) list.push(r);
      else byType.set(r.type, [r]);
    }
    group = { size: resources.length, byType };
    groups.set(resources, group);
  }
  return group.byType;
}

/** The resources of the given types, in the stack's order (a fresh array). */
export function ofTypes(resources: readonly PolicyResource[], types: readonly string[]): PolicyResource[] {
  if (types.length === 1) return [...(byTypeOf(resources).get(types[0]!) ?? [])];
  return resources.filter((r) => types.includes(r.type));
}

// What a credential looks like is stated once, for the kit and the pack alike.
export { isObviouslyNotSecret, plainCredential, SECRET_NAME, SECRET_VALUE_PATTERNS, secretPatternIn } from "../../baseline/secrets";

/** Formats a found value for a message. */
export function shown(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

// ---- Numbers and versions as ARM accepts them ----------------------------------------------------------------

/**
 * A number as ARM reads it: a JSON number, or a string holding one (`"90"`, `" 1.2 "`, `"1700000000"`);
 * ARM templates and exports carry both. `undefined` for anything else.
 */
export function num(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/**
 * A TLS version in any spelling the services accept (`1.2`, `"1.2"`, `"TLS1_2"`, `"Tls12"`, `"TLS 1.2"`) as
 * `[major, minor]`, so versions compare numerically; `undefined` when it is not a TLS version.
 */
export function tlsVersion(value: unknown): readonly [number, number] | undefined {
  const text = typeof value === "number" ? value.toFixed(1) : typeof value === "string" ? value.trim() : undefined;
  const m = text === undefined ? null : /^(?:tls\s*v?)?(\d)(?:[._ ]?(\d))?$/i.exec(text);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

/** Whether a TLS version value is at least `major.minor`. */
export function tlsAtLeast(value: unknown, major: number, minor: number): boolean {
  const v = tlsVersion(value);
  return v !== undefined && (v[0] > major || (v[0] === major && v[1] >= minor));
}

// ---- Effective values: what Azure applies, explicit or by default --------------------------------------------

/** The documented default for a property of a type (see defaults.ts), if there is one. */
export function defaultOf(type: string, path: string): ServiceDefault | undefined {
  return SERVICE_DEFAULTS[type]?.[path];
}

/** The value Azure will apply: the explicit one, or the API version's documented default (`implicit`). */
export interface Effective {
  readonly value: unknown;
  /** Set when the value is the service default rather than written in the program. */
  readonly implicit?: ServiceDefault;
}

/**
 * Reads `path` (through the unknown check: an unknown value defers the rule) and, when it is missing, falls
 * back to the documented default of the type's API version.
 */
export function effective(props: Props, type: string, path: string): Effective {
  const value = get(props, path);
  if (value !== undefined && value !== null) return { value };
  const implicit = defaultOf(type, path);
  return implicit === undefined ? { value: undefined } : { value: implicit.value, implicit };
}

/** The pack-wide strict mode, as each rule sees it in its options (see policies/config). */
export interface StrictOption {
  readonly strict?: boolean;
}

/** The object form of reportViolation, which carries its own enforcement level (engine and offline alike). */
type LeveledReport = (info: { message: string; enforcementLevel: "advisory" }) => void;

/**
 * In strict mode, a secure value Azure applies by default is still reported, as an ADVISORY finding
 * (`<rule>[Implicit:<path>]`), for teams that want every security setting written down.
 */
export function noteImplicit(args: { getConfig<T extends object>(): T }, report: ReportViolation, path: string, e: Effective): void {
  if (e.implicit === undefined || args.getConfig<StrictOption>().strict !== true) return;
  const message = finding(
    `Implicit:${path}`,
    `${path} is not set; Azure applies ${JSON.stringify(e.implicit.value)} (API ${e.implicit.apiVersion} default), which is secure, but strict mode requires it explicit.`,
  );
  (report as unknown as LeveledReport)({ message, enforcementLevel: "advisory" });
}

/** How an unset value is described: with the default Azure applies, when one is documented. */
export function describeEffective(path: string, e: Effective): string {
  if (e.implicit === undefined) return `${path} is ${shown(e.value)}`;
  return `${path} is not set, so Azure applies ${JSON.stringify(e.implicit.value)} (API ${e.implicit.apiVersion} default)`;
}

/** Equality as ARM compares: booleans also from "true"/"false" strings, strings case-insensitively, numbers from numeric strings. */
export function armEquals(value: unknown, expected: boolean | string | number): boolean {
  if (typeof expected === "boolean") return expected ? isTrue(value) : isFalse(value);
  if (typeof expected === "number") return num(value) === expected;
  return eqi(value, expected);
}

/**
 * The check of most single-setting rules: the value Azure will apply at `path` (explicit, or the API
 * version's documented default) must be `expected`. Unset without a documented default is a violation;
 * unknown at preview defers the rule; strict mode notes a secure default as advisory.
 */
export function requireValue(path: string, expected: boolean | string): ResourceRuleSpec["validate"] {
  return (props, args, report) => {
    const e = effective(props, args.type, path);
    if (!armEquals(e.value, expected)) report(`${describeEffective(path, e)}; it must be ${JSON.stringify(expected)}.`);
    else noteImplicit(args, report, path, e);
  };
}
