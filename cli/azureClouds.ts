/**
 * The Azure clouds the verbs talk to, by the DNS suffixes their endpoints really use (Learn: "Azure
 * Government compared to global Azure" https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure,
 * "Azure China developer guide" https://learn.microsoft.com/azure/china/resources-developer-guide).
 * The cloud decides the Entra authority a credential signs in at. Azure Germany was retired in 2021.
 */
export type AzureCloud = "public" | "china" | "usgovernment";

export interface CloudEndpoints {
  /** Key Vault data plane: `<vault>.<suffix>`. */
  readonly vaultSuffix: string;
  /** API Management's default gateway host: `<service>.<suffix>`. */
  readonly apimGatewaySuffix: string;
  /** Entra authority for tokens (what @azure/identity calls the authority host). */
  readonly authorityHost: string;
  /** Azure Resource Manager: a token any signed-in identity can get, for an audience that is not the MCP server's. */
  readonly armScope: string;
}

export const CLOUDS: Readonly<Record<AzureCloud, CloudEndpoints>> = {
  public: {
    vaultSuffix: "vault.azure.net",
    apimGatewaySuffix: "azure-api.net",
    authorityHost: "https://login.microsoftonline.com",
    armScope: "https://management.azure.com/.default",
  },
  china: {
    vaultSuffix: "vault.azure.cn",
    apimGatewaySuffix: "azure-api.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    armScope: "https://management.chinacloudapi.cn/.default",
  },
  usgovernment: {
    vaultSuffix: "vault.usgovcloudapi.net",
    apimGatewaySuffix: "azure-api.us",
    authorityHost: "https://login.microsoftonline.us",
    armScope: "https://management.usgovcloudapi.net/.default",
  },
};

export const CLOUD_NAMES = Object.keys(CLOUDS) as AzureCloud[];

export function isCloud(name: string): name is AzureCloud {
  return (CLOUD_NAMES as string[]).includes(name);
}
