/**
 * The one seam between the `secrets` verbs and Key Vault: a `SecretClient`, connected for real to the
 * vault named on the command line, or (in tests) to a local fake vault with a fake credential.
 */
import type { SecretClient } from "@azure/keyvault-secrets";
import type { VaultTarget } from "./vaultUrl";

export type SecretStore = Pick<SecretClient, "setSecret" | "listPropertiesOfSecrets">;

export type ConnectVault = (vault: VaultTarget) => SecretStore;

/**
 * DefaultAzureCredential (az login, workload identity, managed identity, ...) signed in at the vault's
 * cloud, unless AZURE_AUTHORITY_HOST says otherwise. Loaded on demand: the SDKs are large.
 */
export const connectWithDefaultCredential: ConnectVault = (vault) => {
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  const { SecretClient: Client } = require("@azure/keyvault-secrets") as typeof import("@azure/keyvault-secrets");
  const credential = new DefaultAzureCredential({ authorityHost: process.env.AZURE_AUTHORITY_HOST ?? vault.authorityHost });
  return new Client(vault.url, credential);
};
