import type { EnforcementLevel, ReportViolation } from "@pulumi/policy";
import { configurePolicies, type HardenedMcpPolicyConfig } from "../config";
import type { ExemptedFinding } from "../config/exemptions";
import { appliesTo, isStackRule, parseFinding, type McpRisk, type Rule, type Severity } from "../rules/types";
import { NotApplicable, resourceValidationArgs, stackValidationArgs } from "./args";
import { UnknownValueError } from "./proxy";
import { isCheckable, type Snapshot, type SnapshotFormat } from "./snapshot";

/** The level a finding counts at: `remediate` validates as `mandatory`, as in the engine. */
export type ReportedLevel = "advisory" | "mandatory";

export interface Violation {
  readonly policy: string;
  /** Granular id, `<rule>` or `<rule>[<qualifier>]`. */
  readonly id: string;
  readonly severity: Severity;
  readonly enforcementLevel: ReportedLevel;
  /** Absent for a stack finding that names no resource. */
  readonly urn?: string;
  readonly message: string;
}

/** A rule that could not decide because a value it read is unknown until apply: never counted as compliant. */
export interface Deferred {
  readonly policy: string;
  readonly severity: Severity;
  readonly enforcementLevel: ReportedLevel;
  readonly urn?: string;
  readonly message: string;
}

export interface Exempted extends ExemptedFinding {
  readonly severity: Severity;
  readonly enforcementLevel: ReportedLevel;
}

/** A rule that threw something other than an unknown value or not-applicable: the check fails closed. */
export interface RuleError {
  readonly policy: string;
  readonly urn?: string;
  readonly message: string;
}

/** A rule as configured for this run (level after config), for listings and SARIF. */
export interface RuleInfo {
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  readonly enforcementLevel: EnforcementLevel;
  readonly risks: readonly McpRisk[];
  readonly remediation: string;
  readonly checkov: readonly string[];
  readonly azurePolicy: readonly { readonly name: string; readonly id: string }[];
}

export interface Summary {
  readonly resources: number;
  readonly rules: number;
  readonly violations: number;
  readonly byLevel: Record<ReportedLevel, number>;
  readonly bySeverity: Record<Severity, number>;
  readonly deferred: number;
  readonly exempted: number;
  readonly errors: number;
}

export interface Report {
  readonly source: { readonly format: SnapshotFormat; readonly file?: string; readonly project?: string; readonly stack?: string };
  readonly rules: readonly RuleInfo[];
  readonly violations: readonly Violation[];
  readonly deferred: readonly Deferred[];
  readonly exempted: readonly Exempted[];
  readonly errors: readonly RuleError[];
  readonly summary: Summary;
}

export interface RunOptions {
  /** The clock exemption expiry is judged by. @default () => new Date() */
  readonly now?: () => Date;
}

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

export function ruleInfo(rule: Rule): RuleInfo {
  return {
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    enforcementLevel: rule.enforcementLevel,
    risks: rule.risks,
    remediation: rule.remediation,
    checkov: rule.checkov ?? [],
    azurePolicy: rule.azurePolicy ?? [],
  };
}

type ViolationInfo = { message?: string; urn?: string; enforcementLevel?: EnforcementLevel; exemption?: unknown };

/**
 * Runs the rules over a snapshot the way the engine runs a policy pack over a preview: each resource rule
 * on each custom resource's inputs, each stack rule once on the whole stack, with the same args shapes,
 * enforcement levels, unknown-value handling and exemptions. Pure apart from the rules themselves.
 */
export async function runCheck(snapshot: Snapshot, rules: readonly Rule[], config: HardenedMcpPolicyConfig = {}, options: RunOptions = {}): Promise<Report> {
  const configured = configurePolicies(rules, config, options);
  const checkable = snapshot.resources.filter(isCheckable);
  const violations: Violation[] = [];
  const deferred: Deferred[] = [];
  const exempted: Exempted[] = [];
  const errors: RuleError[] = [];

  for (const rule of configured) {
    if (rule.enforcementLevel === "disabled") continue;
    const level: ReportedLevel = rule.enforcementLevel === "advisory" ? "advisory" : "mandatory";
    const reporter =
      (defaultUrn: string | undefined): ReportViolation =>
      (message: string | ViolationInfo, urn?: string) => {
        if (typeof message === "object") {
          if (message.exemption) return; // already recorded, structured, through the sink
          const { id, text } = parseFinding(rule.name, message.message ?? rule.description);
          const own = message.enforcementLevel === "advisory" ? "advisory" : level;
          violations.push({ policy: rule.name, id, severity: rule.severity, enforcementLevel: own, urn: message.urn ?? defaultUrn, message: text });
          return;
        }
        const { id, text } = parseFinding(rule.name, message);
        violations.push({ policy: rule.name, id, severity: rule.severity, enforcementLevel: level, urn: urn ?? defaultUrn, message: text });
      };
    const ctx = { onExempted: (f: ExemptedFinding) => exempted.push({ ...f, severity: rule.severity, enforcementLevel: level }) };
    const attempt = async (urn: string | undefined, run: () => Promise<void> | void) => {
      try {
        await run();
      } catch (err) {
        if (err instanceof UnknownValueError) {
          deferred.push({ policy: rule.name, severity: rule.severity, enforcementLevel: level, urn, message: err.message });
        } else if (!(err instanceof NotApplicable)) {
          errors.push({ policy: rule.name, urn, message: err instanceof Error ? err.message : String(err) });
        }
      }
    };

    if (isStackRule(rule)) {
      await attempt(undefined, () => rule.validateStack(stackValidationArgs(snapshot, ctx), reporter(undefined)));
      continue;
    }
    const validations = rule.validateResource === undefined ? [] : Array.isArray(rule.validateResource) ? rule.validateResource : [rule.validateResource];
    for (const resource of checkable) {
      for (const validate of validations) {
        const tag = (validate as { __pulumiType?: unknown }).__pulumiType;
        if (typeof tag === "string" && tag !== resource.type) continue;
        if (!appliesTo(validate, resource.type)) continue;
        await attempt(resource.urn, () => validate(resourceValidationArgs(snapshot, resource, ctx), reporter(resource.urn)));
      }
    }
  }

  const rank = (v: { enforcementLevel: ReportedLevel; severity: Severity; policy: string; urn?: string }) =>
    `${v.enforcementLevel === "mandatory" ? 0 : 1}${SEVERITIES.indexOf(v.severity)}${v.policy}\u0000${v.urn ?? ""}`;
  violations.sort((a, b) => rank(a).localeCompare(rank(b)));
  deferred.sort((a, b) => rank(a).localeCompare(rank(b)));

  const byLevel: Record<ReportedLevel, number> = { mandatory: 0, advisory: 0 };
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const v of violations) {
    byLevel[v.enforcementLevel]++;
    bySeverity[v.severity]++;
  }
  return {
    source: { format: snapshot.format, file: snapshot.file, project: snapshot.project, stack: snapshot.stack },
    rules: configured.map(ruleInfo),
    violations,
    deferred,
    exempted,
    errors,
    summary: {
      resources: checkable.length,
      rules: configured.filter((r) => r.enforcementLevel !== "disabled").length,
      violations: violations.length,
      byLevel,
      bySeverity,
      deferred: deferred.length,
      exempted: exempted.length,
      errors: errors.length,
    },
  };
}

/** 1 when a mandatory violation remains, 2 when a rule failed (the check could not complete), else 0. */
export function exitCodeOf(report: Report): number {
  if (report.errors.length > 0) return 2;
  return report.summary.byLevel.mandatory > 0 ? 1 : 0;
}
