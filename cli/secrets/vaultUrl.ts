/**
 * The vault a `secrets` verb talks to, recognised by its real data-plane DNS suffix. The suffix names
 * the cloud, and the cloud names the Entra authority the credential must sign in at.
 * Suffixes from Learn, "About keys, secrets and certificates" (object identifiers) for each cloud:
 * https://learn.microsoft.com/azure/key-vault/about-keys-secrets-and-certificates (public),
 * https://docs.azure.cn/key-vault/about-keys-secrets-and-certificates (China),
 * https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure (US Government).
 * Azure Germany (vault.microsoftazure.de) was retired in 2021 and is not accepted.
 */
import { nameProblem, NameRules } from "../../baseline/naming";
import { AzureCloud, CLOUD_NAMES, CLOUDS } from "../azureClouds";

export interface VaultTarget {
  /** `https://<name>.<suffix>` without a trailing slash. */
  readonly url: string;
  readonly name: string;
  readonly cloud: AzureCloud;
  readonly authorityHost: string;
}

/** Suffixes people type that look right but are not Key Vault's, with the one they meant. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  "vault.azure.us": "vault.usgovcloudapi.net (Azure US Government)",
  "vault.azure.com": "vault.azure.net",
  "vault.chinacloudapi.cn": "vault.azure.cn (Azure China)",
  "vaultcore.azure.net": "vault.azure.net (privatelink.vaultcore.azure.net is the private DNS zone, not the URL to call)",
  "privatelink.vaultcore.azure.net": "vault.azure.net (the private endpoint answers the public name from inside the VNet)",
};

const example = "https://kv-mcp-dev-abc123.vault.azure.net";

/** Parses `--vault-url`; returns the target or a message naming the problem and the fix. */
export function parseVaultUrl(raw: string | undefined): VaultTarget | string {
  if (!raw) return `--vault-url is required: the vault URI (stack output or \`az keyvault show --query properties.vaultUri\`), e.g. ${example}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `--vault-url "${raw}" is not a URL; use the vault URI, e.g. ${example}`;
  }
  if (url.protocol !== "https:") return `--vault-url "${raw}" must use https; Key Vault has no plain-HTTP endpoint.`;
  if (url.port !== "" || url.username !== "" || url.search !== "" || url.hash !== "" || (url.pathname !== "/" && url.pathname !== "")) {
    return `--vault-url "${raw}" must be only the vault URI (no port, path or query), e.g. ${example}`;
  }
  const host = url.hostname.toLowerCase();
  const dot = host.indexOf(".");
  const name = dot > 0 ? host.slice(0, dot) : host;
  const suffix = dot > 0 ? host.slice(dot + 1) : "";
  const cloud = CLOUD_NAMES.find((c) => CLOUDS[c].vaultSuffix === suffix);
  if (!cloud) {
    const meant = LOOKALIKES[suffix];
    const known = Object.values(CLOUDS).map((c) => c.vaultSuffix).join(", ");
    return meant
      ? `--vault-url "${raw}": "${suffix}" is not a Key Vault DNS suffix; did you mean ${meant}?`
      : `--vault-url "${raw}": "${suffix || host}" is not a Key Vault DNS suffix; use one of ${known}.`;
  }
  const problem = nameProblem(name, NameRules.keyVault);
  if (problem) return `--vault-url "${raw}": ${problem}.`;
  return { url: `https://${host}`, name, cloud, authorityHost: CLOUDS[cloud].authorityHost };
}
