import type { Report, RuleInfo } from "../run";

/** `--format json`: violations with the keys CI scripts read, then everything else the report knows. */
export function formatJson(report: Report): string {
  const out = {
    violations: report.violations.map((v) => ({
      policy: v.policy,
      severity: v.severity,
      enforcementLevel: v.enforcementLevel,
      urn: v.urn ?? null,
      message: v.message,
      id: v.id,
    })),
    summary: report.summary,
    deferred: report.deferred,
    exempted: report.exempted,
    errors: report.errors,
    source: report.source,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** `--list-rules --format json`. */
export function formatRulesJson(rules: readonly RuleInfo[]): string {
  return `${JSON.stringify({ rules }, null, 2)}\n`;
}
