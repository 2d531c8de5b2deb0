import { validateExistingWorkloadIdentity } from "../identity/workloadIdentity";
import { validateExistingVault } from "../keyvault/existingVault";
import { validateExistingWorkspace } from "../monitoring/monitoring";
import { validateExistingNetwork } from "../network/existingNetwork";
import { existingNetworkPlainArgs, monitoringSettingOf } from "./derive";
import { ProblemList } from "./errors";
import type { PartialConfig } from "./schema";
import type { PlatformSettings } from "./settings";

/**
 * The settings that bring an existing resource instead of letting the kit create it, checked with the components'
 * own rules (a component names its own argument; the config path is the setting it came from). Two passes: on the
 * values as written (so a setting only a created resource takes is refused next to a brought one), and on the
 * settings, for the network, whose rules depend on what else the platform builds (the zones it needs).
 */
export function existingChecks(problems: ProblemList, c: PartialConfig): void {
  const workspace = c.monitoring?.existing;
  if (workspace && c.monitoring) {
    const retentionInDays = c.monitoring.retentionInDays;
    problems.check(["monitoring"], () => validateExistingWorkspace({ ...(retentionInDays !== undefined ? { retentionInDays } : {}) }, { id: workspace.workspaceId }), "", monitoringSettingOf);
  }
  const identity = c.gateway?.identity?.existing;
  if (identity) problems.check(["gateway", "identity", "existing"], () => validateExistingWorkloadIdentity(identity));
  const vault = c.keyVault?.existing;
  if (vault) {
    problems.check(["keyVault", "existing"], () => validateExistingVault(vault));
    if (c.keyVault?.allowDestroy !== undefined) {
      problems.add(["keyVault", "allowDestroy"], "is set, but the vault is an existing one: the kit neither locks nor protects it", "remove it");
    }
  }
  if (c.network?.existing) {
    for (const key of ["addressSpace", "subnets", "egress"] as const) {
      if (c.network[key] !== undefined) {
        problems.add(["network", key], "is set, but the network is an existing one (network.existing): its owner sets it, and routes its egress", "remove it");
      }
    }
  }
}

/** The brought network's rules on the arguments the platform passes `ExistingNetwork` (run once the settings are built). */
export function existingSettingsChecks(problems: ProblemList, s: PlatformSettings): void {
  const args = existingNetworkPlainArgs(s);
  if (args) problems.check(["network", "existing"], () => validateExistingNetwork(args));
}
