import * as api from "../../policies/api";
import { readPlan } from "../../policies/offline/readers";
import { runCheck } from "../../policies/offline/run";

/** `hardened-mcp-azure/policies`: what a team building its own pack imports. */
describe("the policies entry point", () => {
  it("exports the rules and the configured pack builder, without starting an analyzer", () => {
    expect(api.allRules.length).toBeGreaterThan(100);
    expect(api.rulesByName.get("azure-keyvault-purge-protection")).toBeDefined();
    const advisory = api.hardenedMcpPolicies({ all: "advisory" });
    expect(new Set(advisory.map((r) => r.enforcementLevel))).toEqual(new Set(["advisory"]));
    expect(() => api.hardenedMcpPolicies({ "azure-keyvault-purge-protectio": "mandatory" })).toThrow(/Unknown rule "azure-keyvault-purge-protectio"/);
    expect(() => api.parsePolicyPackConfig({ exemptions: [] }, api.allRules)).toThrow(/put exemptions under the rule/);
  });

  it("builds a pack whose exemptions, levels and reasons take effect", async () => {
    const snapshot = readPlan({
      version: 1,
      resources: [
        {
          urn: "urn:pulumi:dev::team::azure-native:keyvault:Vault::kv",
          type: "azure-native:keyvault:Vault",
          custom: true,
          inputs: { properties: { enablePurgeProtection: false } },
        },
      ],
    });
    const rules = [api.rulesByName.get("azure-keyvault-purge-protection")!];
    const plain = await runCheck(snapshot, rules);
    expect(plain.violations.map((v) => v.id)).toEqual(["azure-keyvault-purge-protection"]);
    const config: api.HardenedMcpPolicyConfig = {
      exemptions: [{ rule: "azure-keyvault-purge-protection", resource: "kv", reason: "throwaway CI vault, destroyed after each run" }],
    };
    const exempted = await runCheck(snapshot, rules, config);
    expect(exempted.violations).toEqual([]);
    expect(exempted.exempted).toEqual([expect.objectContaining({ id: "azure-keyvault-purge-protection", reason: "throwaway CI vault, destroyed after each run" })]);
  });
});
