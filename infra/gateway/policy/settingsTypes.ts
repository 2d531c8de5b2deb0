/** The settings' shapes: what a caller writes (`McpPolicySettingsInput`) and what builders read (`McpPolicySettings`). */
/** A fixed-window / sliding-window call limit. */
export interface CallLimit {
  /** Calls allowed per window. */
  readonly calls: number;
  /** Window length in seconds. */
  readonly renewalPeriodSeconds: number;
}

/** One approved tool and what a caller must hold to call it. */
export interface McpToolPermission {
  /** Tool name exactly as the server advertises it (`^[A-Za-z0-9_.-]{1,128}$`, MCP tool-name rule). */
  readonly name: string;
  /**
   * Delegated scopes (short names as they appear in the `scp` claim, e.g. `tools.read`); holding ANY one is enough.
   * @default []
   */
  readonly scopes?: readonly string[];
  /**
   * App roles (values as they appear in the `roles` claim, e.g. `Tools.Admin`); holding ANY one is enough.
   * @default []
   */
  readonly roles?: readonly string[];
  /**
   * Optional. SHA-256 (64 lowercase hex digits) of the tool's full definition as the server lists it in `tools/list`
   * (canonical JSON: keys sorted by UTF-16 code unit, no whitespace; `hardened-mcp tools pin` prints it). A listed
   * definition that differs is drift (`toolDrift`). Without a pin the definition is only screened.
   * @default "" (not pinned)
   */
  readonly definitionSha256?: string;
}

/** What the caller of `resolveMcpPolicySettings` provides. Plain values only. */
export interface McpPolicySettingsInput {
  /** Required. Short server name, `^[a-z][a-z0-9-]{1,38}[a-z0-9]$`; used in cache keys, counter keys and named-value ids. */
  readonly serverName: string;
  /** Required. API path suffix under the gateway host, e.g. `weather` (no leading/trailing slash). */
  readonly apiPath: string;
  /** Required. Entra tenant ID (GUID). Never `common`/`organizations`/`consumers`. */
  readonly tenantId: string;
  /**
   * Required. Accepted `aud` values. Entra v2 access tokens always carry the application (client) ID GUID, v1
   * tokens the Application ID URI the client asked for. With v2 only (the default) list only the client ID; with
   * v1 accepted, add `applicationIdUri`. The PRM `resource` need not be an audience (Entra never issues it when
   * it differs from the Application ID URI).
   */
  readonly audiences: readonly string[];
  /**
   * Optional. Client application IDs (`azp`/`appid`) allowed to call the server.
   * @default [] (any client app the tenant lets obtain a token for the server)
   */
  readonly allowedClientAppIds?: readonly string[];
  /** Required. Canonical server URL, e.g. `https://mcp.contoso.com/weather` (no trailing slash); the PRM `resource`. */
  readonly resource: string;
  /**
   * Optional. Application ID URI of the server's app registration: the prefix of the full scope strings clients
   * request (`<applicationIdUri>/<scope>`), as published in `scopes_supported` and in challenges. Must be one of
   * `audiences` when v1 tokens are accepted. Entra only accepts a `resource` parameter equal to it (AADSTS9010010), so with a verified custom
   * domain it should equal `resource`.
   * @default resource
   */
  readonly applicationIdUri?: string;
  /**
   * Optional. Public URL of the Protected Resource Metadata document.
   * @default `https://<resource host>/.well-known/oauth-protected-resource/<resource path>` (RFC 9728 §3.1)
   */
  readonly prmUrl?: string;
  /**
   * Optional. Minimal (baseline) delegated scopes, short names; advertised in `scopes_supported` and in 401 challenges
   * as `<applicationIdUri>/<scope>`.
   * @default ["tools.read"]
   */
  readonly scopes?: readonly string[];
  /**
   * Optional. Browser origins allowed to call the server (`scheme://host[:port]`). Requests WITHOUT an Origin header
   * (non-browser clients) are not affected.
   * @default [] (any request carrying an Origin header is refused with 403)
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Optional. Answer CORS preflights for `allowedOrigins` (browser-based MCP clients need them: every MCP request
   * carries Authorization). Credentials mode stays off: tokens travel in the header, never in cookies.
   * @default false
   */
  readonly enableCors?: boolean;
  /**
   * Optional. Accepted `MCP-Protocol-Version` values.
   * @default KNOWN_MCP_PROTOCOL_VERSIONS
   */
  readonly allowedProtocolVersions?: readonly string[];
  /**
   * Optional. Weakening: accept requests without `MCP-Protocol-Version` other than `initialize`. The spec says such
   * a request means 2025-03-26, which APIM's MCP support (2025-06-18 and later) does not speak.
   * @default false
   */
  readonly allowMissingProtocolVersion?: boolean;
  /**
   * Required. Approved tools and the permission each needs: anything else is refused on `tools/call` and removed
   * from `tools/list` answers.
   */
  readonly tools: readonly McpToolPermission[];
  /**
   * Optional. What a `tools/list` answer gets when an approved tool's definition differs from its pin
   * (`definitionSha256`): `remove` drops that tool from the list; `refuse` answers the whole list with 502. Either
   * way an audit record (`filtered:tool-drift` / `deny:tool-drift`) and the `mcp-tool-drift` metric are written.
   * @default "remove"
   */
  readonly toolDrift?: "remove" | "refuse";
  /**
   * Optional. Prompt Shields on what the server answers (`tools/call` results): `block` replaces a flagged result
   * with a JSON-RPC error; `annotate` (weakening) forwards it with a warning; `off` (weakening) forwards it unscreened.
   * Screening buffers that one response (a tool that streams progress delivers it with the result).
   * @default "block" when Content Safety is enabled, else "off"
   */
  readonly resultScreening?: "block" | "annotate" | "off";
  /**
   * Optional. Maximum request body size in bytes (413 above it); at most what the tier buffers
   * (`MAX_BUFFERED_BODY_BYTES`: 2 MiB on v2 tiers, 4 MiB on classic ones). A POST must declare its length
   * (`Content-Length`, no `Transfer-Encoding`), so the cap holds before the body is read.
   * @default 262144 (256 KiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Optional. JSON-RPC methods allowed through (exact names).
   * @default DEFAULT_ALLOWED_METHODS
   */
  readonly allowedMethods?: readonly string[];
  /**
   * Optional. Let JSON-RPC responses from the client through (answers to server-initiated requests such as
   * `roots/list`, `sampling/createMessage`, `elicitation/create` in the 2025 revisions).
   * @default true
   */
  readonly allowClientResponses?: boolean;
  /**
   * Optional. Calls per caller (tid+oid) per window; renewal period at most 300 s (rate-limit-by-key limit).
   * @default { calls: 120, renewalPeriodSeconds: 60 }
   */
  readonly perCallerRateLimit?: CallLimit;
  /**
   * Optional. `tools/call` calls per caller per tool per window; renewal period at most 300 s.
   * @default { calls: 30, renewalPeriodSeconds: 60 }
   */
  readonly perCallerToolRateLimit?: CallLimit;
  /**
   * Optional. Calls per caller (tid+oid) within one client application (`azp`/`appid`) per renewal period: each user
   * of a client has a bucket of their own, so a few callers cannot exhaust the client for everyone. Enforced with
   * quota-by-key on classic tiers (renewal period at least 300 s) and with rate-limit-by-key on v2 tiers, which have
   * no quota-by-key (renewal period at most 300 s).
   * @default { calls: 3000, renewalPeriodSeconds: 300 }
   */
  readonly clientAppQuota?: CallLimit;
  /**
   * Optional. Weakening: one `clientAppQuota` bucket shared by every caller of a client application (a cost ceiling
   * per client), which a handful of callers can exhaust for the whole organisation.
   * @default false (a bucket per caller within the client application)
   */
  readonly sharedClientAppQuota?: boolean;
  /**
   * Optional. Tier family of the API Management service the policy runs on; decides which policies are available
   * (quota-by-key exists only on classic tiers: Developer, Basic, Standard, Premium).
   * @default "v2"
   */
  readonly gatewayTierFamily?: "v2" | "classic";
  /**
   * Optional. Lifetime of the Mcp-Session-Id -> caller binding in the gateway cache, sliding on each use.
   * @default 3600
   */
  readonly sessionTtlSeconds?: number;
  /**
   * Optional. Cache the session bindings use (`cache-*-value caching-type`). `prefer-external` uses an external
   * Redis when the service has one (shared across regions/units) and the built-in cache otherwise.
   * @default "prefer-external"
   */
  readonly sessionCachingType?: "internal" | "external" | "prefer-external";
  /** Required. Azure AI Content Safety Prompt Shields on `tools/call` arguments. */
  readonly contentSafety: {
    /** Required when enabled. Custom-subdomain endpoint, e.g. `https://cs-mcp.cognitiveservices.azure.com`. */
    readonly endpoint?: string;
    /**
     * Optional. Weakening when false: tool arguments are not screened.
     * @default true
     */
    readonly enabled?: boolean;
    /**
     * Optional. Weakening: let calls through when Content Safety is unreachable or answers non-2xx.
     * @default false (fail closed with 503)
     */
    readonly failOpen?: boolean;
    /**
     * Optional. Seconds to wait for each Prompt Shields call.
     * @default 5
     */
    readonly timeoutSeconds?: number;
    /**
     * Optional. Maximum shieldPrompt calls per tool call (sent in parallel); each screens 10,000 characters of
     * the arguments' `key: value` text. Longer arguments are refused with 413.
     * @default 4
     */
    readonly maxRequests?: number;
  };
  /** Required. The backend the API forwards to and how the gateway authenticates to it. */
  readonly backend: {
    /** Required. Id of the APIM `backend` entity (`set-backend-service backend-id`). */
    readonly backendId: string;
    /** Required. `authentication-managed-identity resource`: the backend's Entra app ID URI or client ID. */
    readonly audience: string;
    /** Required. Client ID of the gateway's user-assigned identity (used for the backend and Content Safety). */
    readonly gatewayIdentityClientId: string;
    /**
     * Optional. Seconds before the gateway gives up on the backend (long tool calls, SSE streams).
     * @default 120
     */
    readonly timeoutSeconds?: number;
  };
  /**
   * Optional. Allowed clock skew for `exp`/`nbf`, in seconds (at most 300).
   * @default 60
   */
  readonly clockSkewSeconds?: number;
  /**
   * Optional. Access-token versions accepted (pins the issuer): 2 = `https://login.microsoftonline.com/<tid>/v2.0`,
   * 1 = `https://sts.windows.net/<tid>/`. Set the app registration's `requestedAccessTokenVersion` to match.
   * @default [2]
   */
  readonly acceptedTokenVersions?: readonly (1 | 2)[];
  /**
   * Optional. Azure Monitor custom-metric namespace for `emit-metric`.
   * @default "hardened-mcp"
   */
  readonly metricNamespace?: string;
  /**
   * Optional. Id of the service-level policy fragment every refusal includes (`buildRefusalFragment`). Set it
   * to the fragment's actual name in the service (`McpRefusalFragment.fragmentId`).
   * @default "mcp-refusal"
   */
  readonly refusalFragmentId?: string;
}

/** Resolved, validated settings: every field present. */
export interface McpPolicySettings {
  readonly serverName: string;
  readonly apiPath: string;
  readonly tenantId: string;
  readonly audiences: readonly string[];
  readonly allowedClientAppIds: readonly string[];
  readonly resource: string;
  readonly applicationIdUri: string;
  readonly prmUrl: string;
  readonly scopes: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly enableCors: boolean;
  readonly allowedProtocolVersions: readonly string[];
  readonly allowMissingProtocolVersion: boolean;
  readonly tools: readonly Required<McpToolPermission>[];
  readonly toolDrift: "remove" | "refuse";
  readonly resultScreening: "block" | "annotate" | "off";
  readonly maxBodyBytes: number;
  readonly allowedMethods: readonly string[];
  readonly allowClientResponses: boolean;
  readonly perCallerRateLimit: CallLimit;
  readonly perCallerToolRateLimit: CallLimit;
  readonly clientAppQuota: CallLimit;
  readonly sharedClientAppQuota: boolean;
  readonly gatewayTierFamily: "v2" | "classic";
  readonly sessionTtlSeconds: number;
  readonly sessionCachingType: "internal" | "external" | "prefer-external";
  readonly contentSafety: {
    readonly endpoint: string;
    readonly enabled: boolean;
    readonly failOpen: boolean;
    readonly timeoutSeconds: number;
    readonly maxRequests: number;
  };
  readonly backend: {
    readonly backendId: string;
    readonly audience: string;
    readonly gatewayIdentityClientId: string;
    readonly timeoutSeconds: number;
  };
  readonly clockSkewSeconds: number;
  readonly acceptedTokenVersions: readonly (1 | 2)[];
  readonly metricNamespace: string;
  readonly refusalFragmentId: string;
}


/** The input fields known only once the server's Entra application, the gateway and the backend exist. */
export type McpPolicyDeploymentKey = "apiPath" | "tenantId" | "audiences" | "allowedClientAppIds" | "resource" | "applicationIdUri" | "prmUrl" | "scopes";

/** What `resolveMcpPolicyOptions` takes: the settings input without its deployment values (plain options only). */
export type McpPolicyOptionsInput = Omit<McpPolicySettingsInput, McpPolicyDeploymentKey | "contentSafety" | "backend"> & {
  readonly contentSafety: Omit<McpPolicySettingsInput["contentSafety"], "endpoint">;
  readonly backend?: Pick<McpPolicySettingsInput["backend"], "timeoutSeconds">;
};

/** The options resolved: every default applied and every check that needs no deployment value passed. */
export type McpPolicyOptionSettings = Omit<McpPolicySettings, McpPolicyDeploymentKey | "contentSafety" | "backend"> & {
  readonly contentSafety: Omit<McpPolicySettings["contentSafety"], "endpoint">;
  readonly backend: Pick<McpPolicySettings["backend"], "timeoutSeconds">;
};
