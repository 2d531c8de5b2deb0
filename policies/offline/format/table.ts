import { nameFromUrn } from "../../config/exemptions";
import type { Report, RuleInfo } from "../run";

/** `name (type)` for a URN, the way a reader scans for a resource. */
function resourceLabel(urn: string | undefined): string {
  if (!urn) return "(stack)";
  const parts = urn.split("::");
  const type = parts.length >= 3 ? parts[2].split("$").pop() : undefined;
  return type ? `${nameFromUrn(urn)} (${type})` : urn;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The default output: one block per finding, worst first, then what was deferred, exempted or failed. */
export function formatTable(report: Report): string {
  const lines: string[] = [];
  const { summary, source } = report;
  const where = [source.file, source.stack ? `stack ${source.stack}` : undefined].filter(Boolean).join(", ");
  lines.push(`hardened-mcp check: ${plural(summary.resources, "resource")} from ${source.format}${where ? ` (${where})` : ""}, ${plural(summary.rules, "rule")}`);
  lines.push("");
  const levelWidth = 10;
  const severityWidth = 9;
  if (report.violations.length > 0) {
    const remediation = new Map(report.rules.map((r) => [r.name, r.remediation]));
    const indent = " ".repeat(levelWidth + severityWidth);
    lines.push(`${pad("LEVEL", levelWidth)}${pad("SEVERITY", severityWidth)}FINDING / RESOURCE / FIX`);
    for (const v of report.violations) {
      lines.push(`${pad(v.enforcementLevel.toUpperCase(), levelWidth)}${pad(v.severity, severityWidth)}${v.id}  ${resourceLabel(v.urn)}`);
      lines.push(`${indent}${v.message}`);
      const fix = remediation.get(v.policy);
      if (fix) lines.push(`${indent}fix: ${fix}`);
    }
    lines.push("");
  } else {
    lines.push("No violations.");
    lines.push("");
  }
  if (report.deferred.length > 0) {
    lines.push("DEFERRED (a value is unknown until apply; not counted as compliant):");
    for (const d of report.deferred) lines.push(`  ${d.policy}  ${resourceLabel(d.urn)}: ${d.message}`);
    lines.push("");
  }
  if (report.exempted.length > 0) {
    lines.push("EXEMPTED:");
    for (const e of report.exempted) {
      lines.push(`  ${e.id}  ${resourceLabel(e.urn)}${e.expires ? ` until ${e.expires}` : ""}: ${e.reason}`);
      lines.push(`    finding: ${e.message}`);
    }
    lines.push("");
  }
  if (report.errors.length > 0) {
    lines.push("RULE ERRORS (the check is incomplete):");
    for (const e of report.errors) lines.push(`  ${e.policy}  ${resourceLabel(e.urn)}: ${e.message}`);
    lines.push("");
  }
  const sev = Object.entries(summary.bySeverity)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
  lines.push(
    `${plural(summary.violations, "violation")} (${summary.byLevel.mandatory} mandatory, ${summary.byLevel.advisory} advisory${sev ? `; ${sev}` : ""}), ` +
      `${summary.deferred} deferred, ${summary.exempted} exempted${summary.errors ? `, ${plural(summary.errors, "rule error")}` : ""}.`,
  );
  return `${lines.join("\n")}\n`;
}

/** `--list-rules`. */
export function formatRulesTable(rules: readonly RuleInfo[]): string {
  const nameWidth = Math.max(4, ...rules.map((r) => r.name.length)) + 2;
  const lines = [`${pad("RULE", nameWidth)}${pad("SEVERITY", 10)}${pad("LEVEL", 11)}RISKS`];
  for (const r of rules) {
    lines.push(`${pad(r.name, nameWidth)}${pad(r.severity, 10)}${pad(r.enforcementLevel, 11)}${r.risks.join(", ")}`);
    lines.push(`${" ".repeat(nameWidth)}${r.description}`);
  }
  lines.push("", `${plural(rules.length, "rule")}.`);
  return `${lines.join("\n")}\n`;
}
