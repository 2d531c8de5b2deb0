import { createHash } from "node:crypto";
import type { Log, ReportingDescriptor, Result, Location } from "sarif";
import { nameFromUrn } from "../../config/exemptions";
import type { Severity } from "../../rules/types";
import type { Exempted, Report, ReportedLevel, RuleInfo, Violation } from "../run";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub code scanning ranks alerts by this property (0-10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function levelOf(level: ReportedLevel): Result.level {
  return level === "mandatory" ? "error" : "warning";
}

function descriptor(rule: RuleInfo): ReportingDescriptor {
  const anchors = [
    rule.checkov.length > 0 ? `Checkov: ${rule.checkov.join(", ")}.` : "",
    rule.azurePolicy.length > 0 ? `Azure Policy: ${rule.azurePolicy.map((p) => `${p.name} (${p.id})`).join("; ")}.` : "",
  ].filter(Boolean);
  return {
    id: rule.name,
    shortDescription: { text: rule.description },
    fullDescription: { text: [rule.description, `Mitigates: ${rule.risks.join(", ")}.`, ...anchors].join(" ") },
    help: { text: rule.remediation, markdown: `**Remediation:** ${rule.remediation}` },
    defaultConfiguration:
      rule.enforcementLevel === "disabled"
        ? { enabled: false, level: "none" }
        : { level: rule.enforcementLevel === "advisory" ? "warning" : "error" },
    properties: {
      severity: rule.severity,
      risks: [...rule.risks],
      checkov: [...rule.checkov],
      azurePolicy: rule.azurePolicy.map((p) => ({ ...p })),
      tags: ["security", ...rule.risks],
      "security-severity": SECURITY_SEVERITY[rule.severity],
    },
  };
}

export interface SarifOptions {
  /** The line of the input file a URN first appears on, for physical locations. */
  readonly lineOf?: (urn: string) => number | undefined;
  /** @default the kit's package version */
  readonly toolVersion?: string;
}

/**
 * `--format sarif`: SARIF 2.1.0 for code scanning. Each finding is a result on its rule, located logically by
 * URN and physically in the input file; deferred checks are `open` results; exempted findings carry an
 * accepted external suppression with the reason; rule crashes are tool execution notifications.
 */
export function toSarif(report: Report, options: SarifOptions = {}): Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.name, i]));
  const artifact = report.source.file?.split("\\").join("/");
  const locate = (urn: string | undefined): Location[] => {
    const location: Location = {};
    if (artifact) {
      const line = urn ? options.lineOf?.(urn) : undefined;
      location.physicalLocation = { artifactLocation: { uri: artifact, index: 0 }, ...(line ? { region: { startLine: line } } : {}) };
    }
    if (urn) location.logicalLocations = [{ fullyQualifiedName: urn, name: nameFromUrn(urn), kind: "resource" }];
    return location.physicalLocation || location.logicalLocations ? [location] : [];
  };
  const fingerprint = (...parts: (string | undefined)[]) => createHash("sha256").update(parts.map((p) => p ?? "").join("\u0000")).digest("hex").slice(0, 32);

  const failed = (f: Violation | Exempted): Result => ({
    ruleId: f.policy,
    ruleIndex: ruleIndex.get(f.policy),
    kind: "fail",
    level: levelOf(f.enforcementLevel),
    message: { text: f.message },
    locations: locate(f.urn),
    partialFingerprints: { "hardenedMcpFinding/v1": fingerprint(f.id, f.urn) },
    properties: { findingId: f.id, severity: f.severity },
  });
  const results: Result[] = [
    ...report.violations.map(failed),
    ...report.exempted.map(
      (e): Result => ({
        ...failed(e),
        suppressions: [{ kind: "external", status: "accepted", justification: e.expires ? `${e.reason} (until ${e.expires})` : e.reason }],
      }),
    ),
    ...report.deferred.map(
      (d): Result => ({
        ruleId: d.policy,
        ruleIndex: ruleIndex.get(d.policy),
        kind: "open",
        level: "none",
        message: { text: `Deferred until apply: ${d.message}` },
        locations: locate(d.urn),
        partialFingerprints: { "hardenedMcpFinding/v1": fingerprint("deferred", d.policy, d.urn) },
        properties: { severity: d.severity },
      }),
    ),
  ];

  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "hardened-mcp",
            fullName: "hardened-mcp check (hardened MCP servers on Azure policy pack)",
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules: report.rules.map(descriptor),
          },
        },
        ...(artifact ? { artifacts: [{ location: { uri: artifact }, mimeType: "application/json" }] } : {}),
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: "error",
              message: { text: `${e.policy}${e.urn ? ` on ${e.urn}` : ""}: ${e.message}` },
              associatedRule: { id: e.policy, index: ruleIndex.get(e.policy) },
            })),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: Report, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}
