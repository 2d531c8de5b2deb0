import { DEFAULT_MCP_SCOPE, type McpEntraAppInfo } from "./appInfo";
import { SettingError } from "../shared/settingError";
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

/**
 * Validates a bring-your-own application and returns what the gateway needs. Pure; throws a `SettingError` naming
 * the argument (`clientId`, `scopes[0]`).
 */
export function resolveExistingEntraApplication(args: ExistingEntraApplicationArgs): McpEntraAppInfo {
  assertGuid(["tenantId"], args.tenantId);
  assertGuid(["clientId"], args.clientId);
  validateApplicationIdUri(args.applicationIdUri, args);
  (args.allowedClientAppIds ?? []).forEach((id, i) => assertGuid(["allowedClientAppIds", i], id));
  const allowed = [...new Set(args.allowedClientAppIds ?? [])];
  const scopes = (args.scopes ?? [DEFAULT_MCP_SCOPE]).map((s, i) => {
    if (s.startsWith(`${args.applicationIdUri}/`)) return s;
    assertClaimValue(["scopes", i], s);
    return scopeUri(args.applicationIdUri, s);
  });
  if (scopes.length === 0) {
    throw new SettingError({ field: ["scopes"], problem: "is empty", fix: 'Name the delegated scope clients request (for example "mcp.invoke")' });
  }
  return {
    tenantId: args.tenantId,
    clientId: args.clientId,
    applicationIdUri: args.applicationIdUri,
    scopes,
    allowedClientAppIds: allowed,
  };
}
