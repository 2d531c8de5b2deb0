import { parseFinding } from "../../policies/rules/types";
import type { PackAnalysis } from "./session";

/**
 * The findings of one check, in a form both sides produce: the pack under the engine (diagnostics and
 * not-applicable reasons over gRPC) and `hardened-mcp check --format json`. Sorted lines, so a difference
 * shows as one line in a test failure.
 */
export interface Findings {
  /** `<level> <finding id> <urn|-> :: <message>` */
  readonly violations: readonly string[];
  /** `<policy> <urn|->`: a check that could not run because a value is unknown until apply. */
  readonly deferred: readonly string[];
  /** `<finding id> <urn|->` */
  readonly exempted: readonly string[];
}

const DEFERRED = /^can't run policy '([^']+)' from policy pack '[^']+' during preview: /;
/** The kit's exemption records (policies/config/exemptions.ts): `<id>[ until <date>]: <reason>`, joined by "; ". */
const EXEMPTED_ID = /(?:^exempted |; )([a-z][a-z0-9-]*(?:\[[^\]]*\])?)(?: until [0-9-]+)?: /g;

const sorted = (lines: string[]) => [...lines].sort();

export function packFindings(analysis: PackAnalysis): Findings {
  const violations: string[] = [];
  const deferred: string[] = [];
  const exempted: string[] = [];
  for (const d of analysis.diagnostics) {
    const where = d.urn ?? "-";
    const unknown = DEFERRED.exec(d.message);
    if (unknown) {
      deferred.push(`${unknown[1]} ${where}`);
    } else if (d.message.startsWith("exempted ")) {
      exempted.push(`${d.message.slice("exempted ".length).split(/:| until /)[0]} ${where}`);
    } else {
      // reportViolation(string) sends "<description>\n<message>"; the object form sends the message alone.
      const raw = d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message;
      const { id, text } = parseFinding(d.policy, raw);
      violations.push(`${d.level === "advisory" ? "advisory" : "mandatory"} ${id} ${where} :: ${text}`);
    }
  }
  for (const na of analysis.notApplicable) {
    if (!na.reason.startsWith("exempted ")) continue;
    for (const match of na.reason.matchAll(EXEMPTED_ID)) exempted.push(`${match[1]} ${na.urn ?? "-"}`);
  }
  return { violations: sorted(violations), deferred: sorted(deferred), exempted: sorted(exempted) };
}

/** The JSON `hardened-mcp check --format json` prints (policies/offline/format/json.ts). */
export interface CheckJson {
  readonly violations: readonly { id: string; enforcementLevel: string; urn: string | null; message: string }[];
  readonly deferred: readonly { policy: string; urn?: string }[];
  readonly exempted: readonly { id: string; urn?: string }[];
  readonly errors: readonly unknown[];
}

export function checkFindings(report: CheckJson): Findings {
  return {
    violations: sorted(report.violations.map((v) => `${v.enforcementLevel} ${v.id} ${v.urn ?? "-"} :: ${v.message}`)),
    deferred: sorted(report.deferred.map((d) => `${d.policy} ${d.urn ?? "-"}`)),
    exempted: sorted(report.exempted.map((e) => `${e.id} ${e.urn ?? "-"}`)),
  };
}
