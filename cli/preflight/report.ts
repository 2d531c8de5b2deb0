import type { CheckResult, CheckStatus } from "./result";

const LABEL: Readonly<Record<CheckStatus, string>> = { pass: "PASS", fail: "FAIL", unknown: "UNKNOWN", warn: "WARN" };

/** Failures and checks that could not run block `pulumi up`; warnings do not. */
export function isBlocker(result: CheckResult): boolean {
  return result.status === "fail" || result.status === "unknown";
}

/** The pass/fail/why table, each fix under its row, and a closing line. */
export function renderTable(results: readonly CheckResult[]): string {
  const rows = results.map((r) => [LABEL[r.status], r.check, r.subject]);
  const widths = [0, 1, 2].map((c) => Math.max(["STATUS", "CHECK", "SUBJECT"][c].length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[], why: string) => `${cells.map((cell, c) => cell.padEnd(widths[c])).join("  ")}  ${why}`;
  const out = [line(["STATUS", "CHECK", "SUBJECT"], "WHY")];
  results.forEach((r, i) => {
    out.push(line(rows[i], r.why));
    if (r.fix && r.status !== "pass") out.push(`${" ".repeat(widths[0] + 2)}fix: ${r.fix}`);
  });
  const blockers = results.filter(isBlocker).length;
  const warnings = results.filter((r) => r.status === "warn").length;
  out.push(
    "",
    blockers === 0
      ? `Ready for pulumi up: ${results.length} checks, ${warnings} warning${warnings === 1 ? "" : "s"}.`
      : `${blockers} blocker${blockers === 1 ? "" : "s"} (FAIL or UNKNOWN) of ${results.length} checks: fix them before pulumi up.`,
  );
  return out.join("\n");
}
