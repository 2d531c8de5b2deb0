import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { deterministicGuid } from "../shared/guid";
import { GATEWAY_CALLER_ROLE } from "./appInfo";
import { baseApplicationArgs, defaultIdentifierUri } from "./registration";

export interface McpBackendApplicationArgs {
  /** Required. The MCP server's name. */
  readonly server: string;
  /** Required. The gateway's managed identity (`principalId` = its service principal's object id). */
  readonly gatewayIdentity: { readonly principalId: pulumi.Input<string> };
  /**
   * Optional. Owners' object ids.
   * @default []
   */
  readonly owners?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The backend application's outputs: what the Container App's authentication and the gateway policy use. */
export interface McpBackendApplication {
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;
  readonly gatewayAssignment: azuread.AppRoleAssignment;
  /** Audience of the gateway's token (v2: the client id). Container Apps `allowedAudiences`. */
  readonly clientId: pulumi.Output<string>;
  /** `api://<clientId>`: the `resource` of the gateway's `authentication-managed-identity`. */
  readonly applicationIdUri: pulumi.Output<string>;
  readonly gatewayRoleId: string;
}

/**
 * The backend application of one MCP server: the audience of the token the gateway's managed identity
 * presents to the Container App. Application-only (no scopes), one app role, role assignment required,
 * and that role assigned to the gateway identity alone, so Entra issues an accepted token to nobody else.
 * Used by `McpEntraApplication`, and on its own when the MCP application is brought by the user.
 */
export function createMcpBackendApplication(
  name: string,
  args: McpBackendApplicationArgs,
  opts: { parent: pulumi.Resource },
): McpBackendApplication {
  const gatewayRoleId = deterministicGuid("mcp-backend-role", args.server, GATEWAY_CALLER_ROLE);
  const application = new azuread.Application(
    name,
    {
      ...baseApplicationArgs(`mcp-${args.server}-backend`, args.owners),
      description: `Backend audience of the ${args.server} MCP server; only the API Management gateway may call it.`,
      api: { requestedAccessTokenVersion: 2 },
      appRoles: [
        {
          id: gatewayRoleId,
          value: GATEWAY_CALLER_ROLE,
          displayName: "MCP gateway",
          description: `Forward authorized MCP requests to ${args.server}.`,
          allowedMemberTypes: ["Application"],
          enabled: true,
        },
      ],
    },
    { parent: opts.parent, ignoreChanges: ["identifierUris"] },
  );
  const applicationIdUri = defaultIdentifierUri(`${name}-uri`, application, opts.parent);
  const servicePrincipal = new azuread.ServicePrincipal(
    `${name}-sp`,
    { clientId: application.clientId, appRoleAssignmentRequired: true },
    { parent: opts.parent },
  );
  const gatewayAssignment = new azuread.AppRoleAssignment(
    `${name}-gateway`,
    { appRoleId: gatewayRoleId, principalObjectId: args.gatewayIdentity.principalId, resourceObjectId: servicePrincipal.objectId },
    { parent: opts.parent },
  );
  return {
    application,
    servicePrincipal,
    gatewayAssignment,
    clientId: application.clientId,
    applicationIdUri,
    gatewayRoleId,
  };
}
