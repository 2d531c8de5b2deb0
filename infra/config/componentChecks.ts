import { resolveMcpServerDefaults } from "../containerapps/mcpServer";
import { planRegistryEndpoints } from "../containerapps/registryEndpoint";
import { validateCustomSubDomainName, validatePromptShieldsRegion } from "../contentsafety/contentSafety";
import { resolveExistingEntraApplication, resolveMcpEntraApplicationDefaults } from "../entra";
import { validateMcpServerPolicyOptions } from "../gateway/mcpServerApi";
import { resolveGatewayServiceDefaults } from "../gateway/service";
import { gatewayTierFamily } from "../gateway/serviceSku";
import { resolveVaultDefaults } from "../keyvault/vault";
import { resolveMonitoringDefaults } from "../monitoring/monitoring";
import { validateActionGroupId } from "../monitoring/alerts";
import { gatewayServicePlainArgs, gatewaySettingOf, mcpServerPlainArgs, monitoringPlainArgs, monitoringSettingOf, serverPolicyOptions, toolRoleValues } from "./derive";
import { ProblemList } from "./errors";
import type { SettingField } from "../shared/settingError";
import { PlatformSettings } from "./settings";

/**
 * Where an `McpServer` argument the compose module derives comes from in the stack config, for a field the server
 * component reports under `servers[i]`: the fields with the same name are the server's own settings.
 */
export function serverSettingOf(field: SettingField): readonly PropertyKey[] {
  const [root, i, arg, ...rest] = field;
  if (root !== "servers" || typeof i !== "number") return field;
  // Only the gateway subnet may reach the app (derive.ts): its prefix is the network's.
  if (arg === "gatewaySubnetCidrs") return ["network", "subnets", "gateway"];
  // The app is named after the server (naming.ts).
  if (arg === "appName") return ["servers", i, "name"];
  // The URL is built from the platform's vault and the secret's name, which is what the setting holds.
  if (arg === "secrets" && rest[1] === "keyVaultSecretUrl") return ["servers", i, "secrets", rest[0]];
  return field;
}

/** Where a `ContentSafety` argument comes from: its name is composed from the workload (naming.ts), its region is contentSafety.location's. */
function contentSafetySettingOf(field: SettingField): readonly PropertyKey[] {
  return field[0] === "customSubDomainName" ? ["workload"] : ["contentSafety", ...field];
}

/**
 * Where the Entra application arguments of server `i` come from: its tool roles from its tools, the client lists
 * from `entra`, a brought application's ids from its `entraApp`.
 */
function entraSettingOf(i: number): (field: SettingField) => readonly PropertyKey[] {
  return ([arg, ...rest]) => {
    if (arg === "toolRoles") return ["servers", i, "tools"];
    if (arg === "preAuthorizedClientIds") return ["entra", "preAuthorizedClientIds", ...rest];
    if (arg === "additionalAllowedClientIds") return ["entra", "allowedClientAppIds", ...rest];
    if (arg === "tenantId") return ["tenantId"];
    return ["servers", i, "entraApp", ...(arg === undefined ? [] : [arg]), ...rest];
  };
}

/**
 * Runs every component's own defaults-and-validation function on the plain arguments the compose module
 * (derive.ts) builds for the platform, so what is checked here is what the platform passes. The per-setting checks
 * catch most mistakes with a precise path; this pass guarantees the rest (any rule a component adds later
 * included) also fails here, before `HardenedMcpPlatform` registers its first resource. A component's
 * `SettingError` names its own argument; `ProblemList.check` puts it under the setting it came from.
 */
export function componentChecks(problems: ProblemList, s: PlatformSettings): void {
  problems.check(["monitoring"], () => resolveMonitoringDefaults(monitoringPlainArgs(s)), "", monitoringSettingOf);
  const actionGroupId = s.monitoring.actionGroupId;
  if (actionGroupId !== undefined) problems.check(["monitoring"], () => validateActionGroupId(actionGroupId));
  // The vault's name is composed from the workload (naming.ts).
  problems.check([], () => resolveVaultDefaults({ vaultName: s.names.keyVault }), "", () => ["workload"]);
  problems.check(["gateway"], () => resolveGatewayServiceDefaults(gatewayServicePlainArgs(s)), "", gatewaySettingOf);
  if (s.contentSafety.enabled) {
    problems.check(
      [],
      () => {
        validateCustomSubDomainName(s.names.contentSafety);
        validatePromptShieldsRegion(s.contentSafety.location);
      },
      "",
      contentSafetySettingOf,
    );
  }
  problems.check(["servers"], () => planRegistryEndpoints(s.servers));
  s.servers.forEach((server, i) => {
    problems.check([], () => resolveMcpServerDefaults(mcpServerPlainArgs(server, s), ["servers", i]), "", serverSettingOf);
    problems.check(["servers", i], () => validateMcpServerPolicyOptions(server.name, serverPolicyOptions(server, s.contentSafety, gatewayTierFamily(s.gateway.sku))));
    problems.check([], () => {
      if (s.entra.mode === "create") {
        resolveMcpEntraApplicationDefaults({
          server: server.name,
          toolRoles: toolRoleValues(server).map((value) => ({ value })),
          preAuthorizedClientIds: s.entra.preAuthorizedClientIds,
          additionalAllowedClientIds: s.entra.allowedClientAppIds,
        });
      } else {
        resolveExistingEntraApplication({ tenantId: s.tenantId, clientId: server.entraApp!.clientId, applicationIdUri: server.entraApp!.applicationIdUri });
      }
    }, "", entraSettingOf(i));
  });
}
