/**
 * hardened-mcp-azure: hardened MCP servers on Azure behind an Entra-protected API Management gateway.
 *
 * Start with `HardenedMcpPlatform` (the whole platform from one typed input, defaults applied inside),
 * or compose the components yourself; either way the secure defaults apply and every weakening is a
 * named option. Named exports only: what is listed here is the public API. The offline plan and the
 * mock runtime are tools, not the library (package subpath "./testing").
 */

// The platform.
export { HardenedMcpPlatform, resolvePlatformArgs } from "./platform";
export type { HardenedMcpPlatformArgs, HardenedMcpPlatformOutputs, McpServerEndpoints, PlatformServer } from "./platform";

// Settings: the stack config's schema, its checks with named errors, and the resource names.
export { ConfigError } from "./config/errors";
export { parsePlatformConfig } from "./config/parse";
export type { PlatformContext } from "./config/parse";
export { DEFAULT_WORKLOAD, platformConfigSchema } from "./config/schema";
export type { PlatformConfigInput } from "./config/schema";
export type { PlatformSettings, ServerSettings } from "./config/settings";
export { loadPlatformSettings, rawPlatformConfig } from "./config/stackConfig";
export type { EngineConfig } from "./config/stackConfig";
export { resourceNames } from "./config/naming";
export type { ResourceNames } from "./config/naming";

// Components, one per Azure service.
export { McpNetwork } from "./network/network";
export type { McpNetworkArgs } from "./network/network";
export { ExistingNetwork } from "./network/existingNetwork";
export type { ExistingNetworkArgs, ExistingSubnetArgs } from "./network/existingNetwork";
export type { NetworkReference } from "./network/vnetComponent";
export { EgressNatGateway } from "./network/natGateway";
export type { EgressNatGatewayArgs } from "./network/natGateway";
export { Monitoring } from "./monitoring/monitoring";
export type { MonitoringArgs } from "./monitoring/monitoring";
export { McpAlerts, ALERT_RULES } from "./monitoring/alerts";
export type { McpAlertsArgs, AlertRuleDefinition } from "./monitoring/alerts";
export { McpWorkbook, workbookDocument } from "./monitoring/workbook";
export type { McpWorkbookArgs, WorkbookDocument } from "./monitoring/workbook";
export { OPERATOR_QUERIES } from "./monitoring/queries";
export { SecureVault } from "./keyvault/vault";
export type { SecureVaultArgs } from "./keyvault/vault";
export { ExistingVault } from "./keyvault/existingVault";
export type { ExistingVaultArgs } from "./keyvault/existingVault";
export type { VaultReference } from "./keyvault/vaultReference";
export { WorkloadIdentity } from "./identity/workloadIdentity";
export type { ExistingWorkloadIdentityArgs, WorkloadIdentityArgs, WorkloadIdentityReference } from "./identity/workloadIdentity";
export { ContentSafety } from "./contentsafety/contentSafety";
export type { ContentSafetyArgs } from "./contentsafety/contentSafety";
export { McpContainerAppsEnvironment } from "./containerapps/environment";
export type { McpContainerAppsEnvironmentArgs } from "./containerapps/environment";
export { McpServer } from "./containerapps/mcpServer";
export type { McpServerArgs, McpServerBackendAuthArgs, McpServerIdentityArgs, McpServerRegistryArgs, McpServerSecretArgs } from "./containerapps/mcpServer";
export { validateImageReference } from "./containerapps/validation";
export { planRegistryEndpoints, RegistryPrivateEndpoint } from "./containerapps/registryEndpoint";
export type { RegistryPrivateEndpointArgs, RegistryPrivateLink } from "./containerapps/registryEndpoint";

// The gateway: the service, one API per MCP server, the Entra applications, the policy documents.
export { McpGatewayService } from "./gateway/service";
export type { McpGatewayServiceArgs } from "./gateway/service";
export { McpServerApi, mcpServerUrls } from "./gateway/mcpServerApi";
export type { McpServerApiArgs, McpServerPolicyOptions } from "./gateway/mcpServerApi";
export { McpRefusalFragment } from "./gateway/refusalFragment";
export type { McpRefusalFragmentArgs } from "./gateway/refusalFragment";
export { createMcpBackendApplication, McpEntraApplication, resolveExistingEntraApplication, WellKnownMcpClients } from "./entra";
export type { ExistingEntraApplicationArgs, McpEntraAppInfo, McpEntraApplicationArgs } from "./entra";
export { buildGlobalPolicy, buildMcpApiPolicy, buildPrmPolicy } from "./gateway/policy/documents";
export { resolveMcpPolicySettings } from "./gateway/policy/settings";
export type { McpPolicySettings, McpPolicySettingsInput } from "./gateway/policy/settings";

// Cross-cutting helpers: the one way to grant a role, add diagnostics, or add a private endpoint.
export type { Grantee, PlacementArgs, PrincipalType, Tags } from "./shared/types";
export { BuiltInRoles, isPrivilegedRole, PrivilegedRoles } from "../baseline/roles";
export type { BuiltInRole, BuiltInRoleKey } from "../baseline/roles";
export { assignRole } from "./shared/roleAssignment";
export type { RoleAssignmentArgs } from "./shared/roleAssignment";
export { ScopedGrants } from "./identity/grants";
export { attachDiagnostics } from "./shared/diagnostics";
export type { DiagnosticsArgs } from "./shared/diagnostics";
export { createPrivateEndpoint } from "./shared/privateEndpoint";
export type { PrivateEndpointArgs, PrivateEndpointResult } from "./shared/privateEndpoint";
export { deterministicGuid } from "./shared/guid";
