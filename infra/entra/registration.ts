import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import type { McpEntraApplicationArgs } from "./applicationSettings";

/** Settings every kit application shares: single tenant, v2 tokens, no redirect/implicit flows, no group claims. */
export function baseApplicationArgs(displayName: pulumi.Input<string>, owners: McpEntraApplicationArgs["owners"]): azuread.ApplicationArgs {
  return {
    displayName,
    signInAudience: "AzureADMyOrg",
    owners,
    fallbackPublicClientEnabled: false,
    groupMembershipClaims: ["None"],
    web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
  };
}

/**
 * Gives an application the default `api://<clientId>` identifier URI. It needs the client id Entra
 * assigns, so it is a separate resource and the application ignores drift on `identifierUris`.
 */
export function defaultIdentifierUri(name: string, app: azuread.Application, parent: pulumi.Resource): pulumi.Output<string> {
  const uri = new azuread.ApplicationIdentifierUri(
    name,
    { applicationId: app.id, identifierUri: pulumi.interpolate`api://${app.clientId}` },
    { parent },
  );
  return uri.identifierUri;
}
