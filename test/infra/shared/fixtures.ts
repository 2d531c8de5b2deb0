import { MockRuntime } from "../../../testing/mock/mockRuntime";

/** ARM ids as the mock runtime makes them (its default subscription and resource group). */
export const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
export const RG = `${SUB}/resourceGroups/rg-mcp`;
export const WORKSPACE = `${RG}/providers/Microsoft.OperationalInsights/workspaces/law`;
export const ENDPOINTS_SUBNET = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints`;
export const zoneId = (zone: string): string => `${RG}/providers/Microsoft.Network/privateDnsZones/${zone}`;
export const roleDefinitionId = (guid: string): string => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/**
 * Asserts the recorded role assignment `logicalName` grants `roleGuid` to a service principal on
 * exactly `scope`, with a subscription-scoped role definition.
 */
export function expectSingleResourceGrant(
  runtime: MockRuntime,
  logicalName: string,
  expected: { scope: string; principalId: string; roleGuid: string },
): void {
  const grant = runtime.one("azure-native:authorization:RoleAssignment", logicalName);
  expect(grant.inputs).toMatchObject({
    scope: expected.scope,
    principalId: expected.principalId,
    principalType: "ServicePrincipal",
    roleDefinitionId: roleDefinitionId(expected.roleGuid),
  });
}
