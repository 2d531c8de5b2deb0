/**
 * The private DNS zone each private-link sub-resource (group id) resolves through in Azure's public cloud, from
 * Learn's "Azure Private Endpoint private DNS zone values" table. A service's public name is a CNAME into its
 * `privatelink.*` zone; only an endpoint whose DNS zone group writes into that zone makes the name resolve to the
 * endpoint inside the VNet. The components create the first zone of each list; the pack accepts any of them (and
 * a sub-zone, e.g. a registry's `<region>.data.privatelink.azurecr.io`).
 */
export const PrivateLinkZones: Readonly<Record<string, readonly string[]>> = {
  /** Key Vault (Microsoft.KeyVault/vaults). */
  vault: ["privatelink.vaultcore.azure.net"],
  /** Container Registry (Microsoft.ContainerRegistry/registries): the registry and its regional data endpoints. */
  registry: ["privatelink.azurecr.io"],
  /** Azure AI services / Cognitive Services accounts, Azure OpenAI included (Microsoft.CognitiveServices/accounts). */
  account: ["privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com", "privatelink.services.ai.azure.com"],
  /** API Management inbound (Microsoft.ApiManagement/service). */
  gateway: ["privatelink.azure-api.net"],
  /** Storage (Microsoft.Storage/storageAccounts), one zone per sub-resource. */
  blob: ["privatelink.blob.core.windows.net"],
  file: ["privatelink.file.core.windows.net"],
  queue: ["privatelink.queue.core.windows.net"],
  table: ["privatelink.table.core.windows.net"],
  dfs: ["privatelink.dfs.core.windows.net"],
  web: ["privatelink.web.core.windows.net"],
  /** App Service (Microsoft.Web/sites). */
  sites: ["privatelink.azurewebsites.net"],
};

/** The zones a group id resolves through (group ids compare without case; Azure writes "Gateway"); [] when not listed. */
export function privateLinkZonesFor(groupId: string): readonly string[] {
  return PrivateLinkZones[groupId.toLowerCase()] ?? [];
}
