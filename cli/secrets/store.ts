/**
 * The one seam between the `secrets` verbs and Key Vault: a `SecretClient`, connected for real to the
 * vault named on the command line, or (in tests) to a local fake vault with a fake credential.
 */
import { DefaultAzureCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import type { VaultTarget } from "./vaultUrl";

export type SecretStore = Pick<SecretClient, "setSecret" | "listPropertiesOfSecrets">;

export type ConnectVault = (vault: VaultTarget) => SecretStore;

/**
 * DefaultAzureCredential (az login, workload identity, managed identity, ...) signed in at the vault's
 * cloud, unless AZURE_AUTHORITY_HOST says otherwise.
 */
export const connectWithDefaultCredential: ConnectVault = (vault) => {
  const credential = new DefaultAzureCredential({ authorityHost: process.env.AZURE_AUTHORITY_HOST ?? vault.authorityHost });
  return new SecretClient(vault.url, credential);
};
