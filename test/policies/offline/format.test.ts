import type { Log, Result } from "sarif";
import { formatJson, formatRulesJson } from "../../../policies/offline/format/json";
import { formatSarif, SARIF_SCHEMA } from "../../../policies/offline/format/sarif";
import { formatRulesTable, formatTable } from "../../../policies/offline/format/table";
import { UNKNOWN_SENTINELS } from "../../../policies/offline/proxy";
import { ruleInfo, runCheck } from "../../../policies/offline/run";
import { fakeRules, resource, snapshotOf, urnOf } from "./fakeRules";

const VAULT = "azure-native:keyvault:Vault";
const ROLE = "azure-native:authorization:RoleAssignment";
const REASON = "Owner kept for the break-glass account until the migration (SEC-42).";

async function sampleReport() {
  return runCheck(
    snapshotOf(
      resource(VAULT, "kv", { properties: { enablePurgeProtection: false } }),
      resource(ROLE, "ra", { roles: ["Owner", "Contributor"] }),
      resource("azure-native:storage:StorageAccount", "st", { minimumTlsVersion: UNKNOWN_SENTINELS.string }),
    ),
    fakeRules,
    { exemptions: [{ rule: "fake-rbac-privileged-roles[Owner]", resource: "ra", reason: REASON, expires: "2999-01-01" }] },
  );
}

describe("reporters", () => {
  it("json: violations carry policy, severity, enforcementLevel, urn, message (and the granular id); summary counts", async () => {
    const out = JSON.parse(formatJson(await sampleReport())) as {
      violations: Record<string, unknown>[];
      summary: Record<string, unknown>;
      deferred: unknown[];
      exempted: { id: string; reason: string }[];
    };
    expect(Object.keys(out.violations[0]).sort()).toEqual(["enforcementLevel", "id", "message", "policy", "severity", "urn"]);
    expect(out.violations).toContainEqual({
      policy: "fake-rbac-privileged-roles",
      id: "fake-rbac-privileged-roles[Contributor]",
      severity: "critical",
      enforcementLevel: "mandatory",
      urn: urnOf(ROLE, "ra"),
      message: "Contributor is privileged.",
    });
    expect(out.summary).toMatchObject({ violations: 3, byLevel: { mandatory: 3, advisory: 0 }, deferred: 1, exempted: 1, errors: 0 });
    expect(out.exempted).toEqual([expect.objectContaining({ id: "fake-rbac-privileged-roles[Owner]", reason: REASON })]);
  });

  it("sarif: a 2.1.0 log with rule descriptors, located results, open results for deferred, suppressions for exempted", async () => {
    const report = await sampleReport();
    const log = JSON.parse(formatSarif(report, { lineOf: (u) => (u === urnOf(VAULT, "kv") ? 7 : undefined), toolVersion: "0.1.0" })) as Log;
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe(SARIF_SCHEMA);
    const run = log.runs[0];
    const rules = run.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(fakeRules.map((r) => r.name));
    const purge = rules.find((r) => r.id === "fake-vault-purge-protection");
    expect(purge).toMatchObject({
      shortDescription: { text: "Vaults have purge protection." },
      help: { text: "Set properties.enablePurgeProtection to true." },
      defaultConfiguration: { level: "error" },
      properties: { severity: "high", risks: ["monitoring"], checkov: ["CKV_AZURE_110"], azurePolicy: [expect.objectContaining({ id: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53" })] },
    });
    expect(purge?.fullDescription?.text).toContain("CKV_AZURE_110");

    const results = run.results ?? [];
    const byRule = (id: string): Result[] => results.filter((r) => r.ruleId === id);
    const [purgeResult] = byRule("fake-vault-purge-protection");
    expect(purgeResult).toMatchObject({ level: "error", kind: "fail", ruleIndex: 0, message: { text: "properties.enablePurgeProtection is not true." } });
    expect(purgeResult.locations?.[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: "plan.json", index: 0 }, region: { startLine: 7 } },
      logicalLocations: [{ fullyQualifiedName: urnOf(VAULT, "kv"), name: "kv", kind: "resource" }],
    });
    const roles = byRule("fake-rbac-privileged-roles");
    expect(roles.map((r) => [r.properties?.findingId, r.suppressions?.[0]?.justification])).toEqual(
      expect.arrayContaining([
        ["fake-rbac-privileged-roles[Contributor]", undefined],
        ["fake-rbac-privileged-roles[Owner]", `${REASON} (until 2999-01-01)`],
      ]),
    );
    const deferred = byRule("fake-storage-tls");
    expect(deferred).toEqual([expect.objectContaining({ kind: "open", level: "none" })]);
    const fingerprints = results.map((r) => r.partialFingerprints?.["hardenedMcpFinding/v1"]);
    expect(fingerprints.every((f) => typeof f === "string")).toBe(true);
    expect(new Set(fingerprints).size).toBe(results.length);
    expect(run.invocations?.[0].executionSuccessful).toBe(true);
    expect(run.artifacts?.[0].location?.uri).toBe("plan.json");
  });

  it("table: one block per finding, then deferred and exempted sections and a summary line", async () => {
    const text = formatTable(await sampleReport());
    expect(text).toMatch(/MANDATORY critical fake-rbac-privileged-roles\[Contributor\] {2}ra \(azure-native:authorization:RoleAssignment\)\n +Contributor is privileged\./);
    expect(text).toContain("DEFERRED");
    expect(text).toContain(`fake-rbac-privileged-roles[Owner]  ra (azure-native:authorization:RoleAssignment) until 2999-01-01: ${REASON}`);
    expect(text.trimEnd().split("\n").pop()).toBe("3 violations (3 mandatory, 0 advisory; 1 critical, 1 high, 1 medium), 1 deferred, 1 exempted.");
  });

  it("rule listings carry name, description, severity, level, risks, remediation and anchors", () => {
    const infos = fakeRules.map(ruleInfo);
    const json = JSON.parse(formatRulesJson(infos)) as { rules: Record<string, unknown>[] };
    expect(Object.keys(json.rules[0]).sort()).toEqual(["azurePolicy", "checkov", "description", "enforcementLevel", "name", "remediation", "risks", "severity"]);
    expect(formatRulesTable(infos)).toContain("fake-vault-purge-protection");
  });
});
