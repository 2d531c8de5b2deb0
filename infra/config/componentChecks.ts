import { resolveMcpServerDefaults } from "../containerapps/mcpServer";
import { validateCustomSubDomainName, validatePromptShieldsRegion } from "../contentsafety/contentSafety";
import { resolveExistingEntraApplication, resolveMcpEntraApplicationDefaults } from "../gateway/entra";
import { validateMcpServerPolicyOptions } from "../gateway/mcpServerApi";
import { resolveGatewayServiceDefaults } from "../gateway/service";
import { gatewayTierFamily } from "../gateway/serviceSku";
import { resolveVaultDefaults } from "../keyvault/vault";
import { resolveMonitoringDefaults } from "../monitoring/monitoring";
import { validateActionGroupId } from "../monitoring/alerts";
import { gatewayServicePlainArgs, mcpServerPlainArgs, serverPolicyOptions, toolRoleValues } from "./derive";
import { ProblemList } from "./errors";
import { PlatformSettings } from "./settings";

/** Stand-ins for values that exist only once deployed (ids, principals), shaped as the components expect. */
const DEPLOY_TIME = {
  guid: "00000000-0000-0000-0000-000000000001",
  resourceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Example/things/x",
} as const;

/**
 * Runs every component's own defaults-and-validation function on the arguments the platform will
 * pass it, with stand-ins for deploy-time values. The per-setting checks catch most mistakes with a
 * precise path; this pass guarantees the rest (any rule a component adds later included) also fails
 * here, before `HardenedMcpPlatform` registers its first resource.
 */
export function componentChecks(problems: ProblemList, s: PlatformSettings): void {
  problems.check(["monitoring"], () => resolveMonitoringDefaults({ retentionInDays: s.monitoring.retentionInDays }));
  const actionGroupId = s.monitoring.actionGroupId;
  if (actionGroupId !== undefined) problems.check(["monitoring", "actionGroupId"], () => validateActionGroupId(actionGroupId));
  problems.check(["workload"], () => resolveVaultDefaults({ vaultName: s.names.keyVault }));
  const gateway = gatewayServicePlainArgs(s);
  problems.check(["gateway"], () =>
    resolveGatewayServiceDefaults({
      ...gateway,
      resourceGroupName: s.resourceGroup.name,
      subnetId: DEPLOY_TIME.resourceId,
      gatewayIdentity: { id: DEPLOY_TIME.resourceId, clientId: DEPLOY_TIME.guid, principalId: DEPLOY_TIME.guid },
      applicationInsights: { id: DEPLOY_TIME.resourceId, connectionString: "InstrumentationKey=x" },
      workspaceId: DEPLOY_TIME.resourceId,
    }),
  );
  if (s.contentSafety.enabled) {
    problems.check(["contentSafety"], () => {
      validateCustomSubDomainName(s.names.contentSafety);
      validatePromptShieldsRegion(s.contentSafety.location);
    });
  }
  s.servers.forEach((server, i) => {
    problems.check(["servers", i], () =>
      resolveMcpServerDefaults({
        ...mcpServerPlainArgs(server, s),
        resourceGroupName: s.resourceGroup.name,
        environmentId: DEPLOY_TIME.resourceId,
        environmentDefaultDomain: "env.region.azurecontainerapps.io",
        backendAuth: {
          tenantId: s.tenantId,
          clientId: DEPLOY_TIME.guid,
          audience: DEPLOY_TIME.guid,
          allowedCallerClientIds: [DEPLOY_TIME.guid],
          allowedCallerPrincipalIds: [DEPLOY_TIME.guid],
        },
      }),
    );
    problems.check(["servers", i], () => validateMcpServerPolicyOptions(server.name, serverPolicyOptions(server, s.contentSafety, gatewayTierFamily(s.gateway.sku))));
    problems.check(["servers", i, "entraApp"], () => {
      if (s.entra.mode === "create") {
        resolveMcpEntraApplicationDefaults({
          server: server.name,
          tenantId: s.tenantId,
          toolRoles: toolRoleValues(server).map((value) => ({ value })),
          preAuthorizedClientIds: s.entra.preAuthorizedClientIds,
          additionalAllowedClientIds: s.entra.allowedClientAppIds,
          gatewayIdentity: { principalId: DEPLOY_TIME.guid },
        });
      } else {
        resolveExistingEntraApplication({ tenantId: s.tenantId, clientId: server.entraApp!.clientId, applicationIdUri: server.entraApp!.applicationIdUri });
      }
    });
  });
}
