/**
 * `hardened-mcp-azure/policies`: the pack's rules and the configured pack builder, for a team building its own
 * pack (its own name, levels, options and exemptions) rather than running the kit's:
 *
 *   import { PolicyPack } from "@pulumi/policy";
 *   import { hardenedMcpPolicies } from "hardened-mcp-azure/policies";
 *   new PolicyPack("contoso-mcp", { policies: hardenedMcpPolicies({ all: "mandatory", exemptions: [...] }) });
 *
 * Nothing here starts the analyzer: policies/index.ts (the kit's own pack entry) is the only module that does.
 */
export { hardenedMcpPolicies } from "./config/pack";
export { configurePolicies, parsePolicyPackConfig } from "./config";
export type { ConfigureOptions, Exemption, ExemptedFinding, HardenedMcpPolicyConfig, RuleExemption, RuleSetting } from "./config";
export * from "./rules";
