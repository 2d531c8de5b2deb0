import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { type McpEntraAppInfo } from "./appInfo";
import { resolveMcpEntraApplicationDefaults, type McpEntraApplicationArgs } from "./applicationSettings";
import { createMcpBackendApplication, type McpBackendApplication } from "./backendApplication";
import { inComponent } from "../shared/settingError";
import { assertCanonicalIdentifierUri, scopeUri } from "./identifiers";
import { baseApplicationArgs, defaultIdentifierUri } from "./registration";

/**
 * The Entra side of one MCP server, created by the kit: the MCP application clients get tokens for
 * (single tenant, v2 tokens, one admin-consented delegated scope, app roles for tool groups,
 * pre-authorized MCP clients, role assignment required) and the backend application only the gateway
 * can get tokens for.
 */
export class McpEntraApplication extends pulumi.ComponentResource implements McpEntraAppInfo {
  public readonly tenantId: pulumi.Output<string>;
  public readonly clientId: pulumi.Output<string>;
  public readonly objectId: pulumi.Output<string>;
  public readonly applicationIdUri: pulumi.Output<string>;
  public readonly scopes: pulumi.Output<string[]>;
  public readonly scopeNames: readonly string[];
  public readonly allowedClientAppIds: pulumi.Output<string[]>;
  /** Role values (`roles` claim) by name, for the tool-to-role map. */
  public readonly roleValues: string[];
  public readonly servicePrincipalObjectId: pulumi.Output<string>;
  public readonly backend: McpBackendApplication;
  public readonly backendClientId: pulumi.Output<string>;
  public readonly backendApplicationIdUri: pulumi.Output<string>;

  constructor(name: string, args: McpEntraApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before the component registers; errors name the component and the argument.
    const what = `McpEntraApplication "${name}"`;
    const s = inComponent(what, () => {
      if (typeof args.identifierUri === "string") assertCanonicalIdentifierUri(args.identifierUri);
      return resolveMcpEntraApplicationDefaults(args);
    });
    super("hardened-mcp:azure:McpEntraApplication", name, {}, opts);
    const explicitUri =
      args.identifierUri === undefined
        ? undefined
        : pulumi.output(args.identifierUri).apply((uri) => {
            inComponent(what, () => assertCanonicalIdentifierUri(uri));
            return uri;
          });

    const application = new azuread.Application(
      `${name}-app`,
      {
        ...baseApplicationArgs(`mcp-${args.server}`, args.owners),
        description: `MCP server ${args.server}, published through API Management.`,
        identifierUris: explicitUri ? [explicitUri] : undefined,
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            {
              id: s.scopeId,
              value: s.scope,
              type: "Admin",
              enabled: true,
              adminConsentDisplayName: `Use the ${args.server} MCP server`,
              adminConsentDescription: `Call the ${args.server} MCP server through the gateway on behalf of the signed-in user.`,
            },
          ],
        },
        appRoles: s.roles.map((r) => ({
          id: r.id,
          value: r.value,
          displayName: r.displayName,
          description: r.description,
          allowedMemberTypes: ["User", "Application"],
          enabled: true,
        })),
      },
      { parent: this, ignoreChanges: explicitUri ? [] : ["identifierUris"] },
    );
    const applicationIdUri = explicitUri ?? defaultIdentifierUri(`${name}-app-uri`, application, this);

    const servicePrincipal = new azuread.ServicePrincipal(
      `${name}-app-sp`,
      { clientId: application.clientId, appRoleAssignmentRequired: s.appRoleAssignmentRequired },
      { parent: this },
    );
    for (const clientId of s.preAuthorizedClientIds) {
      new azuread.ApplicationPreAuthorized(
        `${name}-preauth-${clientId}`,
        { applicationId: application.id, authorizedClientId: clientId, permissionIds: [s.scopeId] },
        { parent: this },
      );
    }
    this.backend = createMcpBackendApplication(
      `${name}-backend`,
      { server: args.server, gatewayIdentity: args.gatewayIdentity, owners: args.owners },
      { parent: this },
    );

    this.tenantId = pulumi.output(args.tenantId);
    this.clientId = application.clientId;
    this.objectId = application.objectId;
    this.applicationIdUri = applicationIdUri;
    this.scopes = applicationIdUri.apply((uri) => [scopeUri(uri, s.scope)]);
    this.scopeNames = [s.scope];
    this.allowedClientAppIds = pulumi.output(s.allowedClientAppIds);
    this.roleValues = s.roles.map((r) => r.value);
    this.servicePrincipalObjectId = servicePrincipal.objectId;
    this.backendClientId = this.backend.clientId;
    this.backendApplicationIdUri = this.backend.applicationIdUri;
    this.registerOutputs({
      tenantId: this.tenantId,
      clientId: this.clientId,
      applicationIdUri: this.applicationIdUri,
      scopes: this.scopes,
      allowedClientAppIds: this.allowedClientAppIds,
      backendClientId: this.backendClientId,
      backendApplicationIdUri: this.backendApplicationIdUri,
    });
  }
}
