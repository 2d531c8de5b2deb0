import * as policy from "@pulumi/policy";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { isStackRule, Rule } from "../../../policies/rules/types";

/**
 * Builds the args the engine hands to rules (props wrapped in unknownCheckingProxy, exactly as the analyzer
 * does) and collects violations. Never constructs a PolicyPack (that would start a gRPC server).
 */

// @pulumi/policy 1.21 re-exports these for test helpers, but its proxy.d.ts strips them from the typings.
const runtime = policy as unknown as {
  unknownCheckingProxy<T extends object>(props: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};
export const { unknownCheckingProxy, UnknownValueError } = runtime;

/** The engine's sentinels for values unknown during preview (@pulumi/policy proxy.js). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

type Json = Record<string, unknown>;

const opts: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

function common(config: object | undefined) {
  return {
    stackTags: new Map<string, string>(),
    getConfig: <T extends object>() => (config ?? {}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "not applicable");
    },
  };
}

const urnOf = (type: string, name: string) => `urn:pulumi:test::hardened-mcp::${type}::${name}`;

export function resourceArgs(type: string, props: Json, config?: object, name = "res"): ResourceValidationArgs {
  return {
    type,
    name,
    urn: urnOf(type, name),
    props: unknownCheckingProxy(props),
    opts,
    isType: () => false,
    asType: () => undefined,
    ...common(config),
  };
}

/** A stack resource; `deps` maps a property to the resources it depends on (as the engine records them). */
export function res(type: string, name: string, props: Json = {}, deps: Record<string, PolicyResource[]> = {}): PolicyResource {
  return {
    type,
    name,
    urn: urnOf(type, name),
    props: unknownCheckingProxy(props),
    opts,
    dependencies: Object.values(deps).flat(),
    propertyDependencies: deps,
    isType: () => false,
    asType: () => undefined,
  };
}

export function stackArgs(resources: PolicyResource[], config?: object): StackValidationArgs {
  return { resources, ...common(config) };
}

export interface Violation {
  message: string;
  urn?: string;
}

/** A reported message; a finding the rule reported at its own advisory level (object form) is prefixed `(advisory) `. */
function messageOf(message: string | { message?: string; enforcementLevel?: string }): string {
  if (typeof message === "string") return message;
  return `${message.enforcementLevel === "advisory" ? "(advisory) " : ""}${message.message ?? ""}`;
}

/** Runs a resource rule on one resource and returns the violation messages. */
export async function runResource(rule: Rule, type: string, props: Json, config?: object): Promise<string[]> {
  if (isStackRule(rule)) throw new Error(`${rule.name} is a stack rule`);
  const found: string[] = [];
  const report: ReportViolation = (message: string | { message?: string; enforcementLevel?: string }) => found.push(messageOf(message));
  const validate = rule.validateResource;
  const fns = validate === undefined ? [] : Array.isArray(validate) ? validate : [validate];
  for (const fn of fns) await Promise.resolve(fn(resourceArgs(type, props, config), report));
  return found;
}

/** Runs a stack rule and returns the violations with the URNs they were reported on. */
export async function runStack(rule: Rule, resources: PolicyResource[], config?: object): Promise<Violation[]> {
  if (!isStackRule(rule)) throw new Error(`${rule.name} is a resource rule`);
  const found: Violation[] = [];
  await Promise.resolve(
    rule.validateStack(stackArgs(resources, config), (message: string | { message?: string; urn?: string; enforcementLevel?: string }, urn?: string) =>
      found.push({ message: messageOf(message), urn: typeof message === "object" ? (message.urn ?? urn) : urn }),
    ),
  );
  return found;
}

/** One case of a rule table: a single resource (resource rules) or a whole stack (stack rules). */
export type Case =
  | { readonly type: string; readonly props: Json; readonly config?: object; readonly expect?: readonly string[] }
  | { readonly stack: PolicyResource[]; readonly config?: object; readonly expect?: readonly string[] };

export interface RuleCases {
  /** Compliant: no violation. */
  readonly pass: readonly Case[];
  /** Violating: at least one violation; every `expect` string appears in some message (e.g. "[Owner]"). */
  readonly fail: readonly Case[];
  /** Preview: a deciding value is unknown, so the rule must throw UnknownValueError. */
  readonly unknown: readonly Case[];
  /**
   * Preview, stack rules: a LINK value is unknown and no property dependency backs it, so it cannot refer to
   * the resource; the rule must report (not defer, and never pass).
   */
  readonly unlinkedUnknown?: readonly Case[];
}

export async function violationsOf(rule: Rule, c: Case): Promise<string[]> {
  if ("stack" in c) return (await runStack(rule, c.stack, c.config)).map((v) => v.message);
  return runResource(rule, c.type, c.props, c.config);
}

/** Deep-merge helper for fixtures: `patch(base, {a: {b: 1}})`; `undefined` deletes a key. */
export function patch(base: Json, changes: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else if (isPlain(v) && isPlain(out[k])) out[k] = patch(out[k] as Json, v as Json);
    else out[k] = v;
  }
  return out;
}

function isPlain(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
