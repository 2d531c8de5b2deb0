import { runCheck, exitCodeOf } from "../../../policies/offline/run";
import { UNKNOWN_SENTINELS } from "../../../policies/offline/proxy";
import type { ResourceRule, StackRule } from "../../../policies/rules/types";
import { advisoryTls, fakeRules, privilegedRoles, resource, snapshotOf, urnOf, vaultDiagnostics, vaultPurge } from "./fakeRules";

const VAULT = "azure-native:keyvault:Vault";
const ROLE = "azure-native:authorization:RoleAssignment";
const DIAG = "azure-native:monitor:DiagnosticSetting";

describe("runCheck", () => {
  it("reports mandatory and advisory violations with granular ids, worst first", async () => {
    const report = await runCheck(
      snapshotOf(
        resource(VAULT, "kv", { properties: { enablePurgeProtection: false } }),
        resource(ROLE, "ra", { roles: ["Owner", "Contributor", "Reader"] }),
        resource("azure-native:storage:StorageAccount", "st", { minimumTlsVersion: "TLS1_0" }),
      ),
      [vaultPurge, privilegedRoles, advisoryTls],
    );
    expect(report.violations.map((v) => [v.enforcementLevel, v.id])).toEqual([
      ["mandatory", "fake-rbac-privileged-roles[Owner]"],
      ["mandatory", "fake-rbac-privileged-roles[Contributor]"],
      ["mandatory", "fake-vault-purge-protection"],
      ["advisory", "fake-storage-tls"],
    ]);
    expect(report.violations[0]).toMatchObject({ urn: urnOf(ROLE, "ra"), message: "Owner is privileged.", severity: "critical" });
    expect(report.summary).toMatchObject({ violations: 4, byLevel: { mandatory: 3, advisory: 1 }, bySeverity: { critical: 2, high: 1, medium: 1, low: 0 } });
    expect(exitCodeOf(report)).toBe(1);
  });

  it("turns a read of an unknown value into a deferred result, never a pass", async () => {
    for (const sentinel of Object.values(UNKNOWN_SENTINELS)) {
      const report = await runCheck(snapshotOf(resource(VAULT, "kv", { properties: { enablePurgeProtection: sentinel } })), [vaultPurge]);
      expect(report.violations).toEqual([]);
      expect(report.deferred).toEqual([
        expect.objectContaining({ policy: "fake-vault-purge-protection", urn: urnOf(VAULT, "kv"), message: expect.stringContaining("properties.enablePurgeProtection") }),
      ]);
      expect(report.summary.deferred).toBe(1);
      expect(exitCodeOf(report)).toBe(0);
    }
  });

  it("links stack resources through property dependencies, skips components and providers", async () => {
    const vaultA = resource(VAULT, "kv-a", { properties: { enablePurgeProtection: true } });
    const vaultB = resource(VAULT, "kv-b", { properties: { enablePurgeProtection: true } });
    const diag = resource(DIAG, "kv-a-diag", { resourceUri: UNKNOWN_SENTINELS.string }, { propertyDependencies: { resourceUri: [vaultA.urn] } });
    const component = resource("hardened-mcp:azure:SecureVault", "vault", {}, { custom: false });
    const provider = resource("pulumi:providers:azure-native", "default", {});
    const seen: string[] = [];
    const spy: ResourceRule = { ...vaultPurge, name: "fake-spy", validateResource: (args) => void seen.push(args.type) };
    const report = await runCheck(snapshotOf(component, provider, vaultA, vaultB, diag), [vaultDiagnostics, spy]);
    expect(report.violations.map((v) => v.urn)).toEqual([vaultB.urn]);
    expect(seen).toEqual([VAULT, VAULT, DIAG]);
    expect(report.summary.resources).toBe(3);
  });

  it("applies levels from config: a rule's own setting, then all, then the rule's default; disabled rules do not run", async () => {
    const snapshot = snapshotOf(
      resource(VAULT, "kv", { properties: {} }),
      resource("azure-native:storage:StorageAccount", "st", {}),
      resource(ROLE, "ra", { roles: ["Owner"] }),
    );
    const report = await runCheck(snapshot, fakeRules, {
      all: "advisory",
      "fake-storage-tls": { enforcementLevel: "mandatory" },
      "fake-rbac-privileged-roles": "disabled",
    });
    const levels = Object.fromEntries(report.violations.map((v) => [v.policy, v.enforcementLevel]));
    expect(levels).toEqual({ "fake-vault-purge-protection": "advisory", "fake-storage-tls": "mandatory", "fake-vault-diagnostics": "advisory" });
    expect(report.rules.find((r) => r.name === "fake-rbac-privileged-roles")?.enforcementLevel).toBe("disabled");
    const remediate = await runCheck(snapshot, [vaultPurge], { "fake-vault-purge-protection": "remediate" });
    expect(remediate.violations[0].enforcementLevel).toBe("mandatory");
  });

  it("hands a rule its options through getConfig", async () => {
    const snapshot = snapshotOf(resource(ROLE, "ra", { roles: ["Owner", "User Access Administrator"] }));
    const report = await runCheck(snapshot, [privilegedRoles], { "fake-rbac-privileged-roles": { roles: ["User Access Administrator"] } });
    expect(report.violations.map((v) => v.id)).toEqual(["fake-rbac-privileged-roles[User Access Administrator]"]);
  });

  it("records a rule that crashes as an error and fails closed (exit 2)", async () => {
    const broken: ResourceRule = { ...vaultPurge, name: "fake-broken", validateResource: () => { throw new Error("boom"); } };
    const report = await runCheck(snapshotOf(resource(VAULT, "kv", { properties: { enablePurgeProtection: true } })), [broken]);
    expect(report.errors).toEqual([{ policy: "fake-broken", urn: urnOf(VAULT, "kv"), message: "boom" }]);
    expect(exitCodeOf(report)).toBe(2);
  });

  it("shares one read-only view of props: a rule that writes fails the check, and the next sees the original", async () => {
    const mutator: ResourceRule = {
      ...vaultPurge,
      name: "fake-mutator",
      enforcementLevel: "advisory",
      validateResource: (args) => {
        args.props.properties.enablePurgeProtection = true;
      },
    };
    const report = await runCheck(snapshotOf(resource(VAULT, "kv", { properties: { enablePurgeProtection: false } })), [mutator, vaultPurge]);
    expect(report.errors).toEqual([
      { policy: "fake-mutator", urn: urnOf(VAULT, "kv"), message: "resource properties are read-only in a policy check: a rule tried to set enablePurgeProtection" },
    ]);
    expect(report.violations.map((v) => v.policy)).toEqual(["fake-vault-purge-protection"]);
    expect(exitCodeOf(report)).toBe(2);
  });

  it("hands each stack rule its own list of shared, frozen resources", async () => {
    const seen: string[][] = [];
    const sorter: StackRule = {
      ...vaultDiagnostics,
      name: "fake-sorter",
      validateStack: (args) => {
        args.resources.sort((a, b) => b.name.localeCompare(a.name));
        seen.push(args.resources.map((r) => r.name));
      },
    };
    const writer: StackRule = {
      ...vaultDiagnostics,
      name: "fake-writer",
      validateStack: (args) => {
        seen.push(args.resources.map((r) => r.name));
        (args.resources[0] as { name: string }).name = "renamed";
      },
    };
    const report = await runCheck(snapshotOf(resource(VAULT, "a", {}), resource(VAULT, "b", {})), [sorter, writer, sorter]);
    expect(seen).toEqual([["b", "a"], ["a", "b"], ["b", "a"]]);
    expect(report.errors.map((e) => [e.policy, e.message])).toEqual([["fake-writer", expect.stringMatching(/read only property 'name'|Cannot assign to read only/)]]);
  });
});
