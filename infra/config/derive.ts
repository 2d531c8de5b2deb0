import type { GatewayNetworkMode } from "../network/cidr";
import { GatewayTiers } from "../gateway/serviceSku";
import type { McpServerPolicyOptions } from "../gateway/mcpServerApi";
import type { McpServerPlainArgs } from "../containerapps/mcpServer";
import type { McpGatewayServiceArgs } from "../gateway/service";
import type { MonitoringArgs } from "../monitoring/monitoring";
import type { ExistingNetworkArgs } from "../network/existingNetwork";
import type { PrivateLinkServiceKind } from "../shared/privateEndpoint";
import type { PlacementArgs } from "../shared/types";
import { planRegistryEndpoints } from "../containerapps/registryEndpoint";
import { defaultVaultUri } from "../keyvault/existingVault";
import type { ContentSafetySettings, GatewaySku, PlatformSettings, ServerSettings } from "./settings";

/**
 * How API Management joins the VNet for each SKU: the v2 tiers integrate (outbound calls enter the
 * VNet, the gateway stays the one public entry point), the classic tiers are injected.
 */
export function gatewayNetworkModeFor(sku: GatewaySku): GatewayNetworkMode {
  const model = GatewayTiers[sku].network;
  return model === "v2-injection" ? "injectionV2" : model;
}

/** The monitoring settings as `Monitoring` arguments: the workspace is the kit's (named, with its retention) or the one brought. */
export function monitoringPlainArgs(
  s: Pick<PlatformSettings, "names" | "monitoring">,
): Pick<MonitoringArgs, "workspaceName" | "appInsightsName" | "retentionInDays" | "existingWorkspace"> {
  const existing = s.monitoring.existing;
  return existing
    ? { appInsightsName: s.names.appInsights, existingWorkspace: { id: existing.workspaceId } }
    : { workspaceName: s.names.logAnalytics, appInsightsName: s.names.appInsights, retentionInDays: s.monitoring.retentionInDays };
}

/** Where a `MonitoringArgs` field comes from under `monitoring` (the config layer maps a component's `SettingError` with it). */
export function monitoringSettingOf(field: readonly (string | number)[]): readonly (string | number)[] {
  return field[0] === "existingWorkspace" ? ["existing", "workspaceId"] : field;
}

/** The private-link services whose zones the platform's network holds: the vault's (unless brought without an endpoint), Content Safety's, the registries'. */
export function privateDnsZonesFor(s: Pick<PlatformSettings, "keyVault" | "contentSafety" | "servers">): PrivateLinkServiceKind[] {
  return [
    ...(s.keyVault.existing && !s.keyVault.existing.privateEndpoint ? [] : (["keyVault"] as const)),
    ...(s.contentSafety.enabled ? (["cognitiveServices"] as const) : []),
    ...(planRegistryEndpoints(s.servers).length > 0 ? (["containerRegistry"] as const) : []),
  ];
}

/** A brought network's settings as `ExistingNetwork` arguments (the platform adds placement); undefined when the kit creates the network. */
export function existingNetworkPlainArgs(
  s: Pick<PlatformSettings, "network" | "keyVault" | "contentSafety" | "servers" | "gatewayNetworkMode">,
): Omit<ExistingNetworkArgs, keyof PlacementArgs> | undefined {
  const e = s.network.existing;
  if (!e) return undefined;
  return {
    virtualNetworkId: e.virtualNetworkId,
    subnets: e.subnets,
    ...(e.privateDnsZoneIds ? { privateDnsZoneIds: e.privateDnsZoneIds } : {}),
    privateDnsZones: privateDnsZonesFor(s),
    gatewayMode: s.gatewayNetworkMode,
  };
}

/** The platform vault's URI: the brought vault's, or the public-cloud URI of the vault the kit names. Secret URLs are versionless (Container Apps picks up rotations). */
export function platformVaultUri(s: Pick<PlatformSettings, "names" | "keyVault">): string {
  return s.keyVault.existing?.vaultUri ?? defaultVaultUri(s.names.keyVault);
}

/** The server's settings as the gateway policy options of `McpServerApi`. */
export function serverPolicyOptions(
  server: Pick<
    ServerSettings,
    "tools" | "allowedOrigins" | "maxBodyBytes" | "rateLimit" | "toolRateLimit" | "clientAppQuota" | "sharedClientAppQuota" | "toolDrift" | "backendTimeoutSeconds"
  >,
  contentSafety: Pick<ContentSafetySettings, "enabled" | "failOpen">,
  gatewayTier: "v2" | "classic",
): McpServerPolicyOptions {
  return {
    gatewayTierFamily: gatewayTier,
    tools: server.tools.map((t) => ({ name: t.name, roles: [...t.roles], ...(t.definitionSha256 !== undefined ? { definitionSha256: t.definitionSha256 } : {}) })),
    contentSafety: { enabled: contentSafety.enabled, failOpen: contentSafety.failOpen },
    ...(server.allowedOrigins ? { allowedOrigins: server.allowedOrigins } : {}),
    ...(server.maxBodyBytes !== undefined ? { maxBodyBytes: server.maxBodyBytes } : {}),
    ...(server.rateLimit ? { perCallerRateLimit: server.rateLimit } : {}),
    ...(server.toolRateLimit ? { perCallerToolRateLimit: server.toolRateLimit } : {}),
    ...(server.clientAppQuota ? { clientAppQuota: server.clientAppQuota } : {}),
    ...(server.sharedClientAppQuota ? { sharedClientAppQuota: true } : {}),
    ...(server.toolDrift ? { toolDrift: server.toolDrift } : {}),
    ...(server.backendTimeoutSeconds !== undefined ? { backendTimeoutSeconds: server.backendTimeoutSeconds } : {}),
  };
}

/** The Entra app roles a server's tools need (the application declares them), in first-use order. */
export function toolRoleValues(server: Pick<ServerSettings, "tools">): string[] {
  return [...new Set(server.tools.flatMap((t) => t.roles))];
}



/** A server's settings as `McpServer` arguments (the platform adds placement, environment and auth). */
export function mcpServerPlainArgs(server: ServerSettings, s: Pick<PlatformSettings, "names" | "network" | "keyVault">): McpServerPlainArgs {
  return {
    serverName: server.name,
    appName: s.names.servers[server.name].containerApp,
    image: server.image,
    allowTagOnlyImages: server.allowTagOnlyImages,
    ...(server.registry ? { registry: server.registry } : {}),
    // Only the gateway's subnet may reach the app.
    gatewaySubnetCidrs: [s.network.subnets.gateway],
    port: server.port,
    healthPath: server.healthPath,
    cpu: server.cpu,
    memory: server.memory,
    minReplicas: server.minReplicas,
    maxReplicas: server.maxReplicas,
    env: server.env,
    allowPlainEnvNames: server.allowPlainEnvNames,
    secrets: Object.fromEntries(
      Object.entries(server.secrets).map(([envName, secretName]) => [envName, { keyVaultSecretUrl: `${platformVaultUri(s)}secrets/${secretName}` }]),
    ),
  };
}

/** What `McpGatewayServiceArgs` takes from the settings. */
export type GatewayServicePlainArgs = Pick<
  McpGatewayServiceArgs,
  "serviceName" | "publisherEmail" | "publisherName" | "sku" | "capacity" | "virtualNetworkMode"
> & { readonly customDomain?: { readonly hostName: string; readonly keyVaultSecretId: string } };

/**
 * Where each `McpGatewayServiceArgs` field the settings feed comes from under `gateway`, where the names differ
 * (the rest have the same name in both). The config layer maps a component's `SettingError` fields with it.
 */
export function gatewaySettingOf(field: readonly (string | number)[]): readonly (string | number)[] {
  if (field[0] === "customDomain" && field[1] === "keyVaultSecretId") return ["customDomain", "certificateSecretId", ...field.slice(2)];
  return field;
}

/** The gateway settings as `McpGatewayService` arguments (the platform adds identity, network and telemetry). */
export function gatewayServicePlainArgs(s: Pick<PlatformSettings, "names" | "gateway">): GatewayServicePlainArgs {
  const domain = s.gateway.customDomain;
  return {
    serviceName: s.names.apiManagement,
    publisherEmail: s.gateway.publisherEmail,
    publisherName: s.gateway.publisherName,
    sku: s.gateway.sku,
    capacity: s.gateway.capacity,
    virtualNetworkMode: s.gateway.virtualNetworkMode,
    // Bound only once the service's system identity has been granted the certificate (a previous deployment).
    ...(domain?.bind ? { customDomain: { hostName: domain.hostName, keyVaultSecretId: domain.certificateSecretId } } : {}),
  };
}
