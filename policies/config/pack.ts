import { allRules } from "../rules";
import type { Rule } from "../rules/types";
import { configurePolicies, type ConfigureOptions, type HardenedMcpPolicyConfig } from "./index";

/**
 * The pack's rules with settings applied, AWSGuard style:
 * `hardenedMcpPolicies({ all: "mandatory", "azure-storage-no-shared-key": "advisory", exemptions: [...] })`.
 * Pass the result to `new PolicyPack(...)`; the engine's `--policy-pack-config` still applies on top.
 */
export function hardenedMcpPolicies(config: HardenedMcpPolicyConfig = {}, options: ConfigureOptions = {}): Rule[] {
  return configurePolicies(allRules, config, options);
}
