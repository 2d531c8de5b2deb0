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
import { PlatformSettings } from "./settings";

/**
 * The Entra component's defaults function still takes its whole arguments, of which it reads no gateway
 * principal (only the component does): this id only fills the type, it is never checked or used.
 * TODO(issue 9): drop it once resolveMcpEntraApplicationDefaults takes its plain arguments (entra.ts is moving).
 */
const UNREAD_PRINCIPAL_ID = "00000000-0000-0000-0000-000000000001";

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
  problems.check(["workload"], () => resolveVaultDefaults({ vaultName: s.names.keyVault }));
  problems.check(["gateway"], () => resolveGatewayServiceDefaults(gatewayServicePlainArgs(s)), "", gatewaySettingOf);
  if (s.contentSafety.enabled) {
    problems.check(["contentSafety"], () => {
      validateCustomSubDomainName(s.names.contentSafety);
      validatePromptShieldsRegion(s.contentSafety.location);
    });
  }
  problems.check(["servers"], () => planRegistryEndpoints(s.servers));
  s.servers.forEach((server, i) => {
    problems.check(["servers", i], () => resolveMcpServerDefaults(mcpServerPlainArgs(server, s)));
    problems.check(["servers", i], () => validateMcpServerPolicyOptions(server.name, serverPolicyOptions(server, s.contentSafety, gatewayTierFamily(s.gateway.sku))));
    problems.check(["servers", i, "entraApp"], () => {
      if (s.entra.mode === "create") {
        resolveMcpEntraApplicationDefaults({
          server: server.name,
          tenantId: s.tenantId,
          toolRoles: toolRoleValues(server).map((value) => ({ value })),
          preAuthorizedClientIds: s.entra.preAuthorizedClientIds,
          additionalAllowedClientIds: s.entra.allowedClientAppIds,
          gatewayIdentity: { principalId: UNREAD_PRINCIPAL_ID },
        });
      } else {
        resolveExistingEntraApplication({ tenantId: s.tenantId, clientId: server.entraApp!.clientId, applicationIdUri: server.entraApp!.applicationIdUri });
      }
    });
  });
}
