import type {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  StackValidation,
  StackValidationArgs,
} from "@pulumi/policy";
import { APPLIES_TO, parseFinding, type ScopedValidation } from "../rules/types";

/**
 * An acknowledged finding (cdk-nag style): the rule still runs, the finding is still reported, but as
 * exempted, with its reason, instead of as a violation.
 */
export interface Exemption {
  /**
   * `<rule>` exempts every finding of the rule on the matching resources; `<rule>[<qualifier>]` exempts only
   * that granular finding (e.g. `azure-rbac-no-privileged-roles[Owner]`), so it cannot hide another one.
   */
  readonly rule: string;
  /** The resource's URN, its logical name, or a glob over either (`*` any run of characters, `?` one). */
  readonly resource: string;
  /** Why the risk is accepted, for the audit trail. Required; placeholders like "todo" are rejected. */
  readonly reason: string;
  /** `YYYY-MM-DD` (UTC). The exemption applies through that day and no longer from the next. */
  readonly expires?: string;
}

/** An exemption written under one rule's config, where `rule` defaults to that rule. */
export type RuleExemption = Omit<Exemption, "rule"> & { readonly rule?: string };

/** A finding an exemption covered: what the offline report lists and the engine shows as not applicable. */
export interface ExemptedFinding {
  readonly policy: string;
  /** Granular id, `<rule>` or `<rule>[<qualifier>]`. */
  readonly id: string;
  readonly urn?: string;
  /** The finding's own text. */
  readonly message: string;
  readonly reason: string;
  readonly expires?: string;
}

/**
 * Where a validation run that wants structured exemption records (the offline check) receives them. The
 * engine never sets it; there the records surface through `notApplicable(reason)` and advisory notes.
 */
export const exemptionSink = Symbol.for("hardened-mcp.policy.exemptionSink");
export interface ExemptionSinkCarrier {
  readonly [exemptionSink]?: (finding: ExemptedFinding) => void;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PLACEHOLDER_REASONS = new Set(["todo", "tbd", "n/a", "na", "none", "fixme", "temp", "temporary", "test", "exempt", "ok"]);

/** A rule id as exemptions write it: `<rule>` or `<rule>[<qualifier>]`. */
export function splitRuleId(ruleId: string): { rule: string; qualifier?: string } {
  const match = /^([^[\]]+)(?:\[([^\]]+)\])?$/.exec(ruleId);
  if (!match) throw new Error(`"${ruleId}" is not a rule id; write "<rule>" or "<rule>[<qualifier>]".`);
  return { rule: match[1], qualifier: match[2] };
}

/** The first moment an exemption no longer applies: midnight UTC after its `expires` day. */
function expiryInstant(expires: string): number {
  const match = DATE.exec(expires);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  const instant = Date.UTC(y, m - 1, d + 1);
  const check = new Date(Date.UTC(y, m - 1, d));
  if (!match || check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new Error(`expires "${expires}" is not a date; write YYYY-MM-DD.`);
  }
  return instant;
}

/**
 * Checks one exemption and fills in its rule; throws an Error naming the entry, the problem and the fix.
 * `where` says where it was written (for the message); `enclosingRule` is set for per-rule entries.
 */
export function validateExemption(
  entry: unknown,
  where: string,
  knownRules: ReadonlySet<string>,
  enclosingRule?: string,
): Exemption {
  const fail = (problem: string): never => {
    throw new Error(`Exemption ${where}: ${problem}`);
  };
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) fail("must be an object { rule, resource, reason, expires? }.");
  const e = entry as Record<string, unknown>;
  const unknownKeys = Object.keys(e).filter((k) => !["rule", "resource", "reason", "expires"].includes(k));
  if (unknownKeys.length > 0) fail(`unknown field(s) ${unknownKeys.join(", ")}; allowed: rule, resource, reason, expires.`);
  const ruleId = e.rule ?? enclosingRule;
  if (typeof ruleId !== "string" || ruleId === "") fail('needs "rule": "<rule>" or "<rule>[<qualifier>]".');
  let parsed: { rule: string; qualifier?: string } = { rule: "" };
  try {
    parsed = splitRuleId(ruleId as string);
  } catch (err) {
    fail((err as Error).message);
  }
  if (!knownRules.has(parsed.rule)) fail(`rule "${parsed.rule}" is not in this pack (see \`hardened-mcp check --list-rules\`).`);
  if (enclosingRule !== undefined && parsed.rule !== enclosingRule) {
    fail(`rule "${ruleId as string}" is written under "${enclosingRule}"; move it under "${parsed.rule}".`);
  }
  if (typeof e.resource !== "string" || e.resource.trim() === "") fail('needs "resource": a URN, a logical name or a glob.');
  const reason = typeof e.reason === "string" ? e.reason.trim() : "";
  if (reason.length < 10 || PLACEHOLDER_REASONS.has(reason.toLowerCase()) || !/\S\s+\S/.test(reason)) {
    fail('needs "reason": a sentence saying why the risk is accepted (at least 10 characters, not a placeholder).');
  }
  if (e.expires !== undefined) {
    if (typeof e.expires !== "string") fail('"expires" must be a string YYYY-MM-DD.');
    try {
      expiryInstant(e.expires as string);
    } catch (err) {
      fail((err as Error).message);
    }
  }
  return {
    rule: ruleId as string,
    resource: e.resource as string,
    reason,
    ...(e.expires !== undefined ? { expires: e.expires as string } : {}),
  };
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/** The logical name at the end of a URN (`urn:pulumi:stack::project::type::name`). */
export function nameFromUrn(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at < 0 ? urn : urn.slice(at + 2);
}

/** True when the exemption's resource pattern matches the URN or the logical name. */
export function matchesResource(pattern: string, urn: string | undefined): boolean {
  if (urn === undefined) return pattern === "*";
  const name = nameFromUrn(urn);
  if (pattern === urn || pattern === name) return true;
  if (!/[*?]/.test(pattern)) return false;
  const re = globToRegExp(pattern);
  return re.test(urn) || re.test(name);
}

/** True when the exemption's rule id covers the finding id (a bare rule covers all its findings). */
export function coversFinding(exemptionRule: string, findingId: string): boolean {
  if (exemptionRule === findingId) return true;
  return !exemptionRule.includes("[") && findingId.startsWith(`${exemptionRule}[`);
}

export type ExemptionVerdict =
  | { readonly kind: "open" }
  | { readonly kind: "exempted"; readonly exemption: Exemption }
  | { readonly kind: "expired"; readonly exemption: Exemption };

/** What the exemptions say about one finding at `now`: a live match wins over an expired one. */
export function judgeFinding(exemptions: readonly Exemption[], findingId: string, urn: string | undefined, now: Date): ExemptionVerdict {
  const matching = exemptions.filter((e) => coversFinding(e.rule, findingId) && matchesResource(e.resource, urn));
  const live = matching.find((e) => e.expires === undefined || now.getTime() < expiryInstant(e.expires));
  if (live) return { kind: "exempted", exemption: live };
  const expired = matching[0];
  return expired ? { kind: "expired", exemption: expired } : { kind: "open" };
}

interface Collected {
  readonly message: string;
  readonly urn?: string;
  /** A finding the rule reported at advisory level itself (object form), e.g. strict mode's implicit values. */
  readonly advisory?: boolean;
}

/** Where a wrapped validation gets its exemptions: fixed ones plus any the engine passes in the rule's config. */
export type ExemptionSource = (args: { getConfig<T extends object>(): T }) => readonly Exemption[];

/**
 * Reports what one validation collected, applying exemptions. Open and expired findings go out as the rule's
 * own violations (expired ones say so). When every finding was exempted and `allowNotApplicable` is set, the
 * run is recorded as not applicable with the reasons (the engine's per-resource mechanism); otherwise each
 * exempted finding becomes an advisory note, so an exemption is never silent.
 */
function settle(
  policy: string,
  collected: readonly Collected[],
  exemptions: readonly Exemption[],
  args: { notApplicable(reason?: string): never } & ExemptionSinkCarrier,
  report: ReportViolation,
  now: Date,
  allowNotApplicable: boolean,
): void {
  const exempted: { finding: ExemptedFinding; collected: Collected }[] = [];
  const open: Collected[] = [];
  for (const c of collected) {
    const { id, text } = parseFinding(policy, c.message);
    const verdict = judgeFinding(exemptions, id, c.urn, now);
    if (verdict.kind === "exempted") {
      const { reason, expires } = verdict.exemption;
      exempted.push({ finding: { policy, id, urn: c.urn, message: text, reason, ...(expires ? { expires } : {}) }, collected: c });
    } else if (verdict.kind === "expired") {
      const { reason, expires } = verdict.exemption;
      open.push({ ...c, message: `${c.message} (exemption expired ${expires}, no longer applies: ${reason})` });
    } else {
      open.push(c);
    }
  }
  const sink = args[exemptionSink];
  for (const e of exempted) sink?.(e.finding);
  const leveled = report as unknown as (info: { message: string; urn?: string; enforcementLevel: "advisory" }) => void;
  for (const o of open) {
    if (o.advisory) leveled({ message: o.message, urn: o.urn, enforcementLevel: "advisory" });
    else report(o.message, o.urn);
  }
  if (exempted.length === 0) return;
  const describe = (f: ExemptedFinding) => `${f.id}${f.expires ? ` until ${f.expires}` : ""}: ${f.reason}`;
  if (open.length === 0 && allowNotApplicable) {
    args.notApplicable(`exempted ${exempted.map((e) => describe(e.finding)).join("; ")}`);
  }
  // The engine honours a per-report enforcement level in the object form of reportViolation.
  const note = report as unknown as (info: { message: string; urn?: string; enforcementLevel: "advisory"; exemption: ExemptedFinding }) => void;
  for (const e of exempted) {
    note({ message: `exempted ${describe(e.finding)} (finding: ${e.finding.message})`, urn: e.collected.urn, enforcementLevel: "advisory", exemption: e.finding });
  }
}

/**
 * Runs `validate` with a collecting reporter and applies exemptions to what it reported. If the validation
 * throws (an unknown value at preview, a rule bug), what it reported so far still goes out, then the error.
 */
async function runWithExemptions<A extends { notApplicable(reason?: string): never; getConfig<T extends object>(): T }>(
  policy: string,
  validate: (args: A, report: ReportViolation) => Promise<void> | void,
  args: A,
  report: ReportViolation,
  exemptionsOf: ExemptionSource,
  defaultUrn: string | undefined,
  now: () => Date,
): Promise<void> {
  const collected: Collected[] = [];
  const collect: ReportViolation = (message: string | { message?: string; urn?: string; enforcementLevel?: string }, urn?: string) => {
    if (typeof message === "object") {
      const advisory = message.enforcementLevel === "advisory";
      collected.push({ message: message.message ?? "", urn: message.urn ?? urn ?? defaultUrn, advisory });
    } else collected.push({ message, urn: urn ?? defaultUrn });
  };
  const exemptions = exemptionsOf(args);
  const carrier = args as A & ExemptionSinkCarrier;
  try {
    await Promise.resolve(validate(args, collect));
  } catch (err) {
    settle(policy, collected, exemptions, carrier, report, now(), false);
    throw err;
  }
  settle(policy, collected, exemptions, carrier, report, now(), true);
}

/** Preserves `validateResourceOfType`'s type tag (the engine's fast not-applicable path) and the types a rule applies to (the offline check's). */
export function copyTypeTag<F extends object>(from: object, to: F): F {
  const tag = (from as { __pulumiType?: unknown }).__pulumiType;
  if (typeof tag === "string" && tag.length > 0) (to as { __pulumiType?: string }).__pulumiType = tag;
  const types = (from as ScopedValidation)[APPLIES_TO];
  if (types !== undefined) (to as ScopedValidation)[APPLIES_TO] = types;
  return to;
}

export function exemptResourceValidation(
  policy: string,
  validate: ResourceValidation,
  exemptionsOf: ExemptionSource,
  now: () => Date,
): ResourceValidation {
  const wrapped: ResourceValidation = (args: ResourceValidationArgs, report) =>
    runWithExemptions(policy, validate, args, report, exemptionsOf, args.urn, now);
  return copyTypeTag(validate, wrapped);
}

export function exemptStackValidation(
  policy: string,
  validate: StackValidation,
  exemptionsOf: ExemptionSource,
  now: () => Date,
): StackValidation {
  const wrapped: StackValidation = (args: StackValidationArgs, report) =>
    runWithExemptions(policy, validate, args, report, exemptionsOf, undefined, now);
  return copyTypeTag(validate, wrapped);
}
