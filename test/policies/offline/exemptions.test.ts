import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { configurePolicies, parsePolicyPackConfig } from "../../../policies/config";
import { coversFinding, matchesResource, validateExemption } from "../../../policies/config/exemptions";
import { runCheck } from "../../../policies/offline/run";
import type { ResourceRule } from "../../../policies/rules/types";
import { fakeRules, privilegedRoles, resource, snapshotOf, urnOf, vaultPurge } from "./fakeRules";

const ROLE = "azure-native:authorization:RoleAssignment";
const VAULT = "azure-native:keyvault:Vault";
const now = () => new Date("2026-06-15T12:00:00Z");
const REASON = "Break-glass owner for the platform team, reviewed quarterly (SEC-1234).";
const snapshot = snapshotOf(
  resource(ROLE, "ops-owner", { roles: ["Owner", "Contributor"] }),
  resource(ROLE, "app-owner", { roles: ["Owner"] }),
  resource(VAULT, "kv", { properties: { enablePurgeProtection: false } }),
);

describe("exemptions", () => {
  it("a granular exemption covers its one finding on its one resource, with the reason, and hides nothing else", async () => {
    const report = await runCheck(snapshot, fakeRules, { exemptions: [{ rule: "fake-rbac-privileged-roles[Owner]", resource: "ops-owner", reason: REASON }] }, { now });
    expect(report.exempted).toEqual([
      expect.objectContaining({ id: "fake-rbac-privileged-roles[Owner]", urn: urnOf(ROLE, "ops-owner"), reason: REASON, message: "Owner is privileged." }),
    ]);
    expect(report.violations.map((v) => `${v.id} ${v.urn}`)).toEqual(
      expect.arrayContaining([`fake-rbac-privileged-roles[Contributor] ${urnOf(ROLE, "ops-owner")}`, `fake-rbac-privileged-roles[Owner] ${urnOf(ROLE, "app-owner")}`]),
    );
    expect(report.summary.exempted).toBe(1);
  });

  it("a bare rule exemption covers every finding of that rule on the matching resources (URN or glob)", async () => {
    const report = await runCheck(
      snapshot,
      [privilegedRoles],
      { "fake-rbac-privileged-roles": { exemptions: [{ resource: `urn:pulumi:dev::mcp::${ROLE}::*-owner`, reason: REASON, expires: "2026-06-15" }] } },
      { now },
    );
    expect(report.violations).toEqual([]);
    expect(report.exempted.map((e) => e.id).sort()).toEqual(["fake-rbac-privileged-roles[Contributor]", "fake-rbac-privileged-roles[Owner]", "fake-rbac-privileged-roles[Owner]"]);
    expect(report.exempted[0].expires).toBe("2026-06-15");
  });

  it("an expired exemption no longer applies and the finding says so", async () => {
    const report = await runCheck(snapshot, [vaultPurge], { exemptions: [{ rule: "fake-vault-purge-protection", resource: "kv", reason: REASON, expires: "2026-06-14" }] }, { now });
    expect(report.exempted).toEqual([]);
    expect(report.violations).toEqual([
      expect.objectContaining({ enforcementLevel: "mandatory", message: expect.stringContaining(`exemption expired 2026-06-14, no longer applies: ${REASON}`) }),
    ]);
  });

  it("rejects exemptions without a real reason, for unknown rules, with bad dates or unknown fields", () => {
    const known = new Set(["fake-vault-purge-protection"]);
    expect(() => validateExemption({ rule: "fake-vault-purge-protection", resource: "kv" }, "x", known)).toThrow(/reason/);
    expect(() => validateExemption({ rule: "fake-vault-purge-protection", resource: "kv", reason: "todo" }, "x", known)).toThrow(/reason/);
    expect(() => validateExemption({ rule: "nope", resource: "kv", reason: REASON }, "x", known)).toThrow(/"nope" is not in this pack/);
    expect(() => validateExemption({ rule: "fake-vault-purge-protection", resource: "kv", reason: REASON, expires: "2026-02-30" }, "x", known)).toThrow(/not a date/);
    expect(() => validateExemption({ rule: "fake-vault-purge-protection", resource: "kv", reason: REASON, until: "x" }, "x", known)).toThrow(/unknown field/);
    expect(() => configurePolicies(fakeRules, { "fake-vault-purge-protection": { exemptions: [{ rule: "fake-storage-tls", resource: "kv", reason: REASON }] } })).toThrow(
      /move it under "fake-storage-tls"/,
    );
  });

  it("matches resources by URN, logical name or glob and findings by exact id or bare rule", () => {
    const urn = urnOf(ROLE, "ops-owner");
    expect(matchesResource(urn, urn)).toBe(true);
    expect(matchesResource("ops-owner", urn)).toBe(true);
    expect(matchesResource("ops-*", urn)).toBe(true);
    expect(matchesResource("ops", urn)).toBe(false);
    expect(coversFinding("r", "r[Owner]")).toBe(true);
    expect(coversFinding("r[Owner]", "r[Owner]")).toBe(true);
    expect(coversFinding("r[Owner]", "r[Contributor]")).toBe(false);
    expect(coversFinding("r[Owner]", "r")).toBe(false);
  });
});

describe("exemptions under the engine", () => {
  /** Engine-shaped args: config from --policy-pack-config through getConfig, notApplicable throws. */
  function engineArgs(config: Record<string, unknown>): ResourceValidationArgs {
    return {
      type: ROLE,
      urn: urnOf(ROLE, "ops-owner"),
      name: "ops-owner",
      props: { roles: ["Owner", "Contributor"] },
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
      stackTags: new Map(),
      isType: () => true,
      asType: () => undefined,
      getConfig: <T extends object>() => config as T,
      notApplicable: (reason?: string): never => {
        throw Object.assign(new Error("na"), { reason });
      },
    };
  }
  async function run(config: Record<string, unknown>) {
    const [rule] = configurePolicies([privilegedRoles], {}, { now }) as ResourceRule[];
    const reported: unknown[] = [];
    const report = ((m: unknown) => void reported.push(m)) as ReportViolation;
    let notApplicable: string | undefined;
    try {
      await (rule.validateResource as ResourceValidation)(engineArgs(config), report);
    } catch (err) {
      notApplicable = (err as { reason?: string }).reason;
    }
    return { reported, notApplicable };
  }

  it("when every finding is exempted, records the resource as not applicable with the reasons", async () => {
    const { reported, notApplicable } = await run({ exemptions: [{ resource: "ops-owner", reason: REASON }] });
    expect(reported).toEqual([]);
    expect(notApplicable).toContain("exempted fake-rbac-privileged-roles[Owner]: Break-glass owner");
    expect(notApplicable).toContain("fake-rbac-privileged-roles[Contributor]");
  });

  it("when only some are, reports the rest as violations and the exempted one as an advisory note", async () => {
    const { reported, notApplicable } = await run({ exemptions: [{ rule: "fake-rbac-privileged-roles[Owner]", resource: "ops-owner", reason: REASON }] });
    expect(notApplicable).toBeUndefined();
    expect(reported).toEqual([
      "[Contributor] Contributor is privileged.",
      expect.objectContaining({ enforcementLevel: "advisory", message: expect.stringContaining(`exempted fake-rbac-privileged-roles[Owner]: ${REASON}`) }),
    ]);
  });

  it("adds an exemptions property to every rule's config schema, keeping the rule's own", () => {
    const [rule] = configurePolicies([privilegedRoles], {});
    expect(Object.keys(rule.configSchema?.properties ?? {}).sort()).toEqual(["exemptions", "roles", "strict"]);
    expect(rule.configSchema?.properties.enforcementLevel).toBeUndefined();
  });
});

describe("policy pack config", () => {
  it("rejects unknown rule names with the closest match", () => {
    expect(() => configurePolicies(fakeRules, { "fake-vault-purge": "mandatory" })).toThrow(
      /Unknown rule "fake-vault-purge".*did you mean "fake-vault-purge-protection"/,
    );
  });

  it("rejects bad levels and a top-level exemptions list in the engine's JSON", () => {
    expect(() => configurePolicies(fakeRules, { all: "strict" as never })).toThrow(/"all".*"strict" is not one of advisory, mandatory, remediate, disabled/);
    expect(() => parsePolicyPackConfig({ exemptions: [] }, fakeRules)).toThrow(/under the rule they exempt/);
    expect(() => parsePolicyPackConfig({ "fake-storage-tls": 3 }, fakeRules)).toThrow(/enforcement level or an object/);
    expect(parsePolicyPackConfig({ all: "mandatory", "fake-storage-tls": { enforcementLevel: "advisory" } }, fakeRules)).toEqual({
      all: "mandatory",
      "fake-storage-tls": { enforcementLevel: "advisory" },
    });
  });
});
