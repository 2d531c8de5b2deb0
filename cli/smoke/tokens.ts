/** Where `smoke` gets its two tokens: one for the MCP server, one for another audience (to be refused). */
import { DefaultAzureCredential } from "@azure/identity";
import { CLOUDS } from "../azureClouds";
import type { SmokeTarget } from "./target";

export type TokenSource = (scope: string, target: SmokeTarget) => Promise<string>;

/** DefaultAzureCredential (az login, workload identity, managed identity) at the gateway's cloud. */
export const defaultCredentialTokens: TokenSource = async (scope, target) => {
  const credential = new DefaultAzureCredential({ authorityHost: process.env.AZURE_AUTHORITY_HOST ?? CLOUDS[target.cloud].authorityHost });
  return (await credential.getToken(scope)).token;
};

/**
 * The scope to request for the server when `--scope` is not given: the resource of the first scope the
 * metadata document advertises, with `/.default` (what a service principal or `az login` can request).
 */
export function defaultScope(scopesSupported: readonly string[]): string | undefined {
  const first = scopesSupported[0];
  const slash = first?.lastIndexOf("/") ?? -1;
  return first && slash > 0 ? `${first.slice(0, slash)}/.default` : undefined;
}
