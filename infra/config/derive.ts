import type { GatewayNetworkMode } from "../network/cidr";
import { GatewayTiers } from "../gateway/serviceSku";
import type { McpServerPolicyOptions } from "../gateway/mcpServerApi";
import type { ContentSafetySettings, GatewaySku, ServerSettings } from "./settings";

/**
 * How API Management joins the VNet for each SKU: the v2 tiers integrate (outbound calls enter the
 * VNet, the gateway stays the one public entry point), the classic tiers are injected.
 */
export function gatewayNetworkModeFor(sku: GatewaySku): GatewayNetworkMode {
  const model = GatewayTiers[sku].network;
  return model === "v2-injection" ? "injectionV2" : model;
}

/** The server's settings as the gateway policy options of `McpServerApi`. */
export function serverPolicyOptions(
  server: Pick<
    ServerSettings,
    "tools" | "allowedOrigins" | "maxBodyBytes" | "rateLimit" | "toolRateLimit" | "clientAppQuota" | "backendTimeoutSeconds"
  >,
  contentSafety: Pick<ContentSafetySettings, "enabled" | "failOpen">,
): McpServerPolicyOptions {
  return {
    tools: server.tools.map((t) => ({ name: t.name, roles: [...t.roles] })),
    contentSafety: { enabled: contentSafety.enabled, failOpen: contentSafety.failOpen },
    ...(server.allowedOrigins ? { allowedOrigins: server.allowedOrigins } : {}),
    ...(server.maxBodyBytes !== undefined ? { maxBodyBytes: server.maxBodyBytes } : {}),
    ...(server.rateLimit ? { perCallerRateLimit: server.rateLimit } : {}),
    ...(server.toolRateLimit ? { perCallerToolRateLimit: server.toolRateLimit } : {}),
    ...(server.clientAppQuota ? { clientAppQuota: server.clientAppQuota } : {}),
    ...(server.backendTimeoutSeconds !== undefined ? { backendTimeoutSeconds: server.backendTimeoutSeconds } : {}),
  };
}

/** The Entra app roles a server's tools need (the application declares them), in first-use order. */
export function toolRoleValues(server: Pick<ServerSettings, "tools">): string[] {
  return [...new Set(server.tools.flatMap((t) => t.roles))];
}

/** `https://<vault>.vault.azure.net/secrets/<name>`: versionless, so Container Apps picks up rotations. */
export function keyVaultSecretUrl(vaultName: string, secretName: string): string {
  return `https://${vaultName}.vault.azure.net/secrets/${secretName}`;
}
