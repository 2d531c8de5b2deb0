import type * as pulumi from "@pulumi/pulumi";
import { deterministicGuid } from "../shared/guid";
import { DEFAULT_BASELINE_ROLE, DEFAULT_MCP_SCOPE } from "./appInfo";
import { SettingError } from "../shared/settingError";
import { assertClaimValue, assertGuid } from "./identifiers";

/** The arguments of a kit-created MCP application and the secure defaults they resolve to. */

/** An app role for a group of tools, assignable to users, groups and applications. */
export interface McpToolRole {
  /** Required. The value in the token's `roles` claim, e.g. `tools.admin`. */
  readonly value: string;
  /**
   * Optional. Shown in the portal.
   * @default the value
   */
  readonly displayName?: string;
  /**
   * Optional. Shown when assigning the role.
   * @default "Call the <value> tools of <server>."
   */
  readonly description?: string;
}

export interface McpEntraApplicationArgs {
  /** Required. The MCP server's name (used in display names and deterministic ids). */
  readonly server: string;
  /** Required. Tenant the applications live in. */
  readonly tenantId: pulumi.Input<string>;
  /**
   * Optional. The application ID URI. Set it to the canonical MCP URL (`https://<custom domain>/<server>/mcp`)
   * when the gateway is on a custom domain verified in the tenant: then the PRM `resource`, the RFC 8707
   * `resource` parameter and the App ID URI are one value, as the MCP spec and Entra both require.
   * @default `api://<clientId>` (no custom domain: see docs/gateway.md, "Custom domain vs no custom domain")
   */
  readonly identifierUri?: pulumi.Input<string>;
  /**
   * Optional. The one delegated scope clients request. Admin consent is required for it.
   * @default "mcp.invoke"
   */
  readonly scope?: string;
  /**
   * Optional. App roles for tool groups (assign them to users, groups or client applications).
   * @default [] (only the baseline role)
   */
  readonly toolRoles?: readonly McpToolRole[];
  /**
   * Optional. The role every caller must hold (role assignment is required on the service principal).
   * @default "mcp.user"
   */
  readonly baselineRole?: string;
  /**
   * Optional. Public MCP clients pre-authorized for the scope (no consent prompt), e.g.
   * `WellKnownMcpClients.visualStudioCode`. They are also the gateway's client allowlist.
   * @default []
   */
  readonly preAuthorizedClientIds?: readonly string[];
  /**
   * Optional. Further client applications the gateway accepts (not pre-authorized: they need consent).
   * @default []
   */
  readonly additionalAllowedClientIds?: readonly string[];
  /**
   * Optional. Lets any user of the tenant get a token without an app role assignment. A weakening:
   * per-tool roles still apply, but every user can reach the server.
   * @default false
   */
  readonly allowUnassignedUsers?: boolean;
  /**
   * Optional. Object ids of the applications' owners (users or service principals).
   * @default [] (the deploying principal alone manages them)
   */
  readonly owners?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Required. The gateway's managed identity: the only caller the backend application accepts.
   * `principalId` is the object id of its service principal.
   */
  readonly gatewayIdentity: { readonly principalId: pulumi.Input<string> };
}

/**
 * The arguments that are plain values before anything is deployed (no tenant, identifier URI, owners or gateway
 * identity): all `resolveMcpEntraApplicationDefaults` reads, so the config layer runs it on the settings alone.
 */
export type McpEntraApplicationPlainArgs = Omit<McpEntraApplicationArgs, "tenantId" | "identifierUri" | "owners" | "gatewayIdentity">;

/** Settings derived from the args with every secure default applied. Pure. */
export interface ResolvedMcpEntraApplication {
  readonly scope: string;
  readonly scopeId: string;
  readonly roles: { value: string; id: string; displayName: string; description: string }[];
  readonly preAuthorizedClientIds: string[];
  readonly allowedClientAppIds: string[];
  readonly appRoleAssignmentRequired: boolean;
}

/** Applies the secure defaults and validates names and ids. Role and scope ids are deterministic. */
export function resolveMcpEntraApplicationDefaults(args: McpEntraApplicationPlainArgs): ResolvedMcpEntraApplication {
  const scope = args.scope ?? DEFAULT_MCP_SCOPE;
  assertClaimValue(["scope"], scope);
  const baseline: McpToolRole = {
    value: args.baselineRole ?? DEFAULT_BASELINE_ROLE,
    displayName: "MCP user",
    description: `Connect to the ${args.server} MCP server.`,
  };
  const all = [baseline, ...(args.toolRoles ?? [])];
  const seen = new Set<string>([scope.toLowerCase()]);
  const roles = all.map((r, i) => {
    // The baseline role is its own argument; the tool roles follow it.
    const field = i === 0 ? ["baselineRole"] : ["toolRoles", i - 1, "value"];
    assertClaimValue(field, r.value);
    if (seen.has(r.value.toLowerCase())) {
      throw new SettingError({
        field,
        problem: `"${r.value}" duplicates the scope or another role; Entra keeps scopes and roles in one namespace`,
        fix: "Rename it",
      });
    }
    seen.add(r.value.toLowerCase());
    return {
      value: r.value,
      id: deterministicGuid("mcp-app-role", args.server, r.value),
      displayName: r.displayName ?? r.value,
      description: r.description ?? `Call the ${r.value} tools of ${args.server}.`,
    };
  });
  (args.preAuthorizedClientIds ?? []).forEach((id, i) => assertGuid(["preAuthorizedClientIds", i], id));
  const preAuthorized = [...new Set(args.preAuthorizedClientIds ?? [])];
  const extra = args.additionalAllowedClientIds ?? [];
  extra.forEach((id, i) => assertGuid(["additionalAllowedClientIds", i], id));
  return {
    scope,
    scopeId: deterministicGuid("mcp-scope", args.server, scope),
    roles,
    preAuthorizedClientIds: preAuthorized,
    allowedClientAppIds: [...new Set([...preAuthorized, ...extra])],
    appRoleAssignmentRequired: args.allowUnassignedUsers !== true,
  };
}
