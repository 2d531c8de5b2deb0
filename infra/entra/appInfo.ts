import type * as pulumi from "@pulumi/pulumi";

/** What the gateway needs from a server's Entra application, and the values the kit registers by default. */

/** The one delegated scope the kit exposes by default: enough to call the MCP endpoint, nothing more. */
export const DEFAULT_MCP_SCOPE = "mcp.invoke";

/** The app role every caller needs when role assignment is required (tool roles come on top). */
export const DEFAULT_BASELINE_ROLE = "mcp.user";

/** The role the gateway's identity holds on a server's backend application. */
export const GATEWAY_CALLER_ROLE = "mcp.gateway";

/**
 * Client ids of well-known public MCP clients, for `preAuthorizedClientIds`. Pre-authorizing a
 * client skips the consent prompt for the scope; it does not bypass role assignment.
 */
export const WellKnownMcpClients = {
  /** Visual Studio Code (first-party Microsoft public client). */
  visualStudioCode: "aebc6443-996d-45c2-90f0-388ff96faa56",
} as const;

/** What the gateway needs to know about a server's Entra application, however it was made. */
export interface McpEntraAppInfo {
  /** Tenant that issues the tokens (pinned issuer: `https://login.microsoftonline.com/<tenant>/v2.0`). */
  readonly tenantId: pulumi.Input<string>;
  /** Application (client) id: the `aud` of v2 access tokens. */
  readonly clientId: pulumi.Input<string>;
  /** Application ID URI: the `aud` of v1 tokens and the RFC 8707 `resource` clients must send. */
  readonly applicationIdUri: pulumi.Input<string>;
  /** Full scope strings (`<applicationIdUri>/<scope>`) for `scopes_supported` and 401 challenges. */
  readonly scopes: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Optional. The same scopes' short names (`mcp.invoke`), when they are known before deployment: with them the
   * gateway policy is known during preview (the ids Entra assigns go into named values), so the pack can read it.
   * @default derived from `scopes` when those are plain strings
   */
  readonly scopeNames?: readonly string[];
  /** Client applications whose tokens the gateway accepts (`azp`/`appid`); empty = any client of the tenant. */
  readonly allowedClientAppIds: pulumi.Input<pulumi.Input<string>[]>;
}
