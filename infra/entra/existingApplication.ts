import { DEFAULT_MCP_SCOPE, type McpEntraAppInfo } from "./appInfo";
import { assertClaimValue, assertGuid, scopeUri, validateApplicationIdUri } from "./identifiers";

/** An application someone else manages (bring your own). */
export interface ExistingEntraApplicationArgs {
  /** Required. Tenant id (GUID). */
  readonly tenantId: string;
  /** Required. Application (client) id (GUID). */
  readonly clientId: string;
  /** Required. Application ID URI: `api://...` with the tenant or client id, or `https://<verified domain>/...`. */
  readonly applicationIdUri: string;
  /**
   * Optional. Client applications whose tokens the gateway accepts.
   * @default [] (any client application of the tenant that obtained a token for this API)
   */
  readonly allowedClientAppIds?: readonly string[];
  /**
   * Optional. The delegated scope(s) clients request, as values (`mcp.invoke`) or full URIs.
   * @default ["mcp.invoke"]
   */
  readonly scopes?: readonly string[];
  /**
   * Optional. Domains verified in the tenant, to check an `https://` application ID URI offline.
   * @default not checked
   */
  readonly verifiedDomains?: readonly string[];
}

/** Validates a bring-your-own application and returns what the gateway needs. Pure; throws on bad input. */
export function resolveExistingEntraApplication(args: ExistingEntraApplicationArgs): McpEntraAppInfo {
  assertGuid("entra.tenantId", args.tenantId);
  assertGuid("entra.clientId", args.clientId);
  validateApplicationIdUri(args.applicationIdUri, args);
  const allowed = [...new Set(args.allowedClientAppIds ?? [])];
  allowed.forEach((id) => assertGuid("entra.allowedClientAppIds[]", id));
  const scopes = (args.scopes ?? [DEFAULT_MCP_SCOPE]).map((s) => {
    if (s.startsWith(`${args.applicationIdUri}/`)) return s;
    assertClaimValue("entra.scopes[]", s);
    return scopeUri(args.applicationIdUri, s);
  });
  if (scopes.length === 0) throw new Error('entra.scopes is empty. Name the delegated scope clients request (for example "mcp.invoke").');
  return {
    tenantId: args.tenantId,
    clientId: args.clientId,
    applicationIdUri: args.applicationIdUri,
    scopes,
    allowedClientAppIds: allowed,
  };
}
