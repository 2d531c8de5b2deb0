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

/** The kit's page: the tool's `informationUri`, and the help of a rule with no page of its own. */
export const TOOL_INFORMATION_URI = "https://www.npmjs.com/package/hardened-mcp-azure";

/** `azure-apim-gateway-tls12` -> `AzureApimGatewayTls12`: SARIF's `name` is an identifier, the id stays the rule's name. */
function ruleIdentifier(rule: string): string {
  return rule
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/**
 * Where a reader learns more about a rule: the documentation its remediation cites, else its Azure Policy
 * built-in twin's definition in the portal, else the kit's page.
 */
export function helpUriOf(rule: Pick<RuleInfo, "remediation" | "azurePolicy">): string {
  const cited = /https:\/\/[^\s)>\]]+/.exec(rule.remediation)?.[0]?.replace(/[.,;:]+$/, "");
  if (cited) return cited;
  const twin = rule.azurePolicy[0];
  if (twin) return `https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/${encodeURIComponent(`/providers/Microsoft.Authorization/policyDefinitions/${twin.id}`)}`;
  return TOOL_INFORMATION_URI;
}

function descriptor(rule: RuleInfo): ReportingDescriptor {
  const anchors = [
    rule.checkov.length > 0 ? `Checkov: ${rule.checkov.join(", ")}.` : "",
    rule.azurePolicy.length > 0 ? `Azure Policy: ${rule.azurePolicy.map((p) => `${p.name} (${p.id})`).join("; ")}.` : "",
  ].filter(Boolean);
  return {
    id: rule.name,
    name: ruleIdentifier(rule.name),
    helpUri: helpUriOf(rule),
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
  /**
   * The file results point at, relative to the repository root (code scanning shows results only in files the
   * repository has): the stack's `Pulumi.<stack>.yaml`, or the input file. @default the input file
   */
  readonly artifact?: string;
  /** The line of the artifact a URN first appears on (when the artifact is the input file). */
  readonly lineOf?: (urn: string) => number | undefined;
  /**
   * Tells runs apart (`automationDetails.id` is `hardened-mcp/<category>/`): two stacks checked in one
   * repository must not close each other's alerts. @default the input's project/stack
   */
  readonly category?: string;
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
  const artifact = (options.artifact ?? report.source.file)?.split("\\").join("/");
  const locate = (urn: string | undefined): Location[] => {
    const location: Location = {};
    if (artifact) {
      // Without a line map (the stack file) a result points at the file's first line, which code scanning needs.
      const line = options.lineOf ? (urn ? options.lineOf(urn) : undefined) : 1;
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
            informationUri: TOOL_INFORMATION_URI,
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules: report.rules.map(descriptor),
          },
        },
        automationDetails: { id: `hardened-mcp/${options.category ?? ([report.source.project, report.source.stack].filter(Boolean).join("/") || "check")}/` },
        ...(artifact ? { artifacts: [{ location: { uri: artifact }, mimeType: artifact.endsWith(".yaml") ? "application/yaml" : "application/json" }] } : {}),
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
