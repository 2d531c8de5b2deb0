import { ENTRA_CLAIM_VALUE, isGuid } from "../../baseline/identifiers";
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { deterministicGuid } from "../shared/guid";

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

/**
 * Shared hostnames no tenant can verify: an `https://` application ID URI on them is refused by
 * Entra, so the kit refuses it first with a clearer message.
 */
const UNVERIFIABLE_DOMAINS = [
  "azure-api.net",
  "azurewebsites.net",
  "azurecontainerapps.io",
  "cloudapp.azure.com",
  "cloudapp.net",
  "azurefd.net",
  "trafficmanager.net",
];


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

/** Throws unless `value` is a GUID; `setting` names the argument in the message. */
export function assertGuid(setting: string, value: string): void {
  if (!isGuid(value)) {
    throw new Error(`${setting} "${value}" is not a GUID. Use the id shown in Entra ID (for example 11111111-2222-3333-4444-555555555555).`);
  }
}

/** Throws unless `value` can be a scope or app role value. */
export function assertClaimValue(setting: string, value: string): void {
  if (!ENTRA_CLAIM_VALUE.test(value)) {
    throw new Error(
      `${setting} "${value}" is not a valid scope/role value. Use letters, digits, ".", "_", ":" or "-" (no spaces), not starting with "." ":" or "-", up to 120 characters.`,
    );
  }
}

export interface ApplicationIdUriContext {
  readonly tenantId: string;
  readonly clientId: string;
  /**
   * Optional. Domains verified in the tenant; when given, an `https://` URI must be on one of them (or a subdomain).
   * @default not checked (Entra itself refuses unverified domains at deployment)
   */
  readonly verifiedDomains?: readonly string[];
}

/**
 * Refuses application ID URIs Entra would reject or that break the MCP flow: a trailing slash (MCP
 * clients send the canonical form without it and Entra compares byte for byte), schemes other than
 * `api://` and `https://`, `https://` on a domain the tenant cannot verify, and `api://` URIs without the
 * tenant or client id (blocked by the tenant-wide identifier URI restrictions).
 */
export function validateApplicationIdUri(uri: string, ctx: ApplicationIdUriContext): void {
  const fix =
    'Use "api://<clientId>" or, with a custom domain verified in the tenant, the canonical MCP URL "https://<domain>/<server>/mcp".';
  if (uri.endsWith("/")) {
    throw new Error(`applicationIdUri "${uri}" ends with "/". MCP clients send the resource without a trailing slash and Entra compares exactly. Remove the slash.`);
  }
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    throw new Error(`applicationIdUri "${uri}" is not a URI. ${fix}`);
  }
  if (parsed.search || parsed.hash) {
    throw new Error(`applicationIdUri "${uri}" has a query or fragment, which Entra refuses. ${fix}`);
  }
  if (parsed.protocol === "api:") {
    const rest = uri.slice("api://".length).toLowerCase();
    const parts = rest.split("/");
    if (!parts.includes(ctx.tenantId.toLowerCase()) && !parts.includes(ctx.clientId.toLowerCase())) {
      throw new Error(
        `applicationIdUri "${uri}" contains neither the tenant id nor the client id; tenants that block identifier URIs without a unique tenant identifier refuse it. ${fix}`,
      );
    }
    return;
  }
  if (parsed.protocol !== "https:") {
    throw new Error(`applicationIdUri "${uri}" uses the scheme "${parsed.protocol}". ${fix}`);
  }
  const host = parsed.hostname.toLowerCase();
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  const shared = UNVERIFIABLE_DOMAINS.find(under);
  if (shared) {
    throw new Error(
      `applicationIdUri "${uri}" is on ${shared}, which no tenant can verify, so Entra refuses it. ` +
        'Publish the gateway on a custom domain verified in the tenant, or use "api://<clientId>" (see docs/gateway.md, "Custom domain vs no custom domain").',
    );
  }
  if (ctx.verifiedDomains && !ctx.verifiedDomains.some((d) => under(d.toLowerCase()))) {
    throw new Error(
      `applicationIdUri "${uri}" is not on a verified domain (${ctx.verifiedDomains.join(", ")}). Verify ${host} in Entra ID or use one of those domains.`,
    );
  }
}

/**
 * A kit-created application's explicit identifier URI must be the https canonical MCP URL on a
 * verifiable domain (the default `api://<clientId>` needs no argument).
 */
export function assertCanonicalIdentifierUri(uri: string): void {
  if (!uri.startsWith("https://")) {
    throw new Error(
      `entra.identifierUri "${uri}" is not an https URL. Set it to the canonical MCP URL on your verified custom domain, or omit it to get api://<clientId>.`,
    );
  }
  validateApplicationIdUri(uri, { tenantId: "", clientId: "" });
}

/** The full scope string clients request: `<applicationIdUri>/<scope>`. */
export function scopeUri(applicationIdUri: string, scope: string): string {
  return `${applicationIdUri}/${scope}`;
}

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
export function resolveMcpEntraApplicationDefaults(args: McpEntraApplicationArgs): ResolvedMcpEntraApplication {
  const scope = args.scope ?? DEFAULT_MCP_SCOPE;
  assertClaimValue("entra.scope", scope);
  const baseline: McpToolRole = {
    value: args.baselineRole ?? DEFAULT_BASELINE_ROLE,
    displayName: "MCP user",
    description: `Connect to the ${args.server} MCP server.`,
  };
  const all = [baseline, ...(args.toolRoles ?? [])];
  const seen = new Set<string>([scope.toLowerCase()]);
  const roles = all.map((r) => {
    assertClaimValue("entra.toolRoles[].value", r.value);
    if (seen.has(r.value.toLowerCase())) {
      throw new Error(`entra role "${r.value}" duplicates the scope or another role; Entra keeps scopes and roles in one namespace. Rename it.`);
    }
    seen.add(r.value.toLowerCase());
    return {
      value: r.value,
      id: deterministicGuid("mcp-app-role", args.server, r.value),
      displayName: r.displayName ?? r.value,
      description: r.description ?? `Call the ${r.value} tools of ${args.server}.`,
    };
  });
  const preAuthorized = [...new Set(args.preAuthorizedClientIds ?? [])];
  preAuthorized.forEach((id) => assertGuid("entra.preAuthorizedClientIds[]", id));
  const extra = args.additionalAllowedClientIds ?? [];
  extra.forEach((id) => assertGuid("entra.additionalAllowedClientIds[]", id));
  return {
    scope,
    scopeId: deterministicGuid("mcp-scope", args.server, scope),
    roles,
    preAuthorizedClientIds: preAuthorized,
    allowedClientAppIds: [...new Set([...preAuthorized, ...extra])],
    appRoleAssignmentRequired: args.allowUnassignedUsers !== true,
  };
}

/** Settings every kit application shares: single tenant, v2 tokens, no redirect/implicit flows, no group claims. */
function baseApplicationArgs(displayName: pulumi.Input<string>, owners: McpEntraApplicationArgs["owners"]): azuread.ApplicationArgs {
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
function defaultIdentifierUri(name: string, app: azuread.Application, parent: pulumi.Resource): pulumi.Output<string> {
  const uri = new azuread.ApplicationIdentifierUri(
    name,
    { applicationId: app.id, identifierUri: pulumi.interpolate`api://${app.clientId}` },
    { parent },
  );
  return uri.identifierUri;
}

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
    super("hardened-mcp:azure:McpEntraApplication", name, {}, opts);
    const s = resolveMcpEntraApplicationDefaults(args);
    if (typeof args.identifierUri === "string") assertCanonicalIdentifierUri(args.identifierUri);
    const explicitUri =
      args.identifierUri === undefined
        ? undefined
        : pulumi.output(args.identifierUri).apply((uri) => {
            assertCanonicalIdentifierUri(uri);
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
