/**
 * The contract between the per-server MCP API component and the policy builders.
 *
 * `McpPolicySettingsInput` is what a caller writes (plain values: resolve Pulumi Outputs with `pulumi.all` first);
 * `resolveMcpPolicySettings` applies every secure default in ONE place and validates, throwing errors that name
 * the setting, the problem and the fix. Builders only ever see the resolved `McpPolicySettings`.
 *
 * Every value that ends up in a policy document is validated against a narrow character set, because three
 * interpreters read the generated text after the XML parser:
 *   - APIM substitutes `{{name}}` named-value references anywhere in the document (a configured `{{x}}` would
 *     pull another named value, possibly a secret, into a response);
 *   - an attribute or element value that starts with `@` is a C# policy expression;
 *   - values spliced into expressions sit inside C# string literals.
 * XML escaping itself is xmlbuilder2's job; the validators make the other three impossible to exploit.
 */
import { ENTRA_CLAIM_VALUE, GUID, MCP_TOOL_NAME } from "../../../baseline/identifiers";
import { nameProblem, ServerNameRule } from "../../../baseline/naming";
import { encodeList, encodeToolPermissions, NAMED_VALUE_MAX_LENGTH } from "./namedValues";

/** Namespace of the audit metric unless a server's settings name another. */
export const DEFAULT_METRIC_NAMESPACE = "hardened-mcp";

/** Id of the service-level policy fragment every refusal includes unless the settings name another. */
export const REFUSAL_FRAGMENT_ID = "mcp-refusal";

/** Protocol versions whose Streamable HTTP rules the policies implement (MCP-Protocol-Version allowlist). */
export const KNOWN_MCP_PROTOCOL_VERSIONS = ["2025-06-18", "2025-11-25", "2026-07-28"] as const;

/**
 * JSON-RPC methods a tools-only MCP server needs, across the 2025-06-18, 2025-11-25 and 2026-07-28 revisions.
 * Resources and prompts are opt-in through `allowedMethods`.
 */
export const DEFAULT_ALLOWED_METHODS = [
  "initialize",
  "notifications/initialized",
  "notifications/cancelled",
  "ping",
  "server/discover",
  "tools/list",
  "tools/call",
] as const;

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
  /** Required. Approved tools (anything else is refused on `tools/call`) and the permission each needs. */
  readonly tools: readonly McpToolPermission[];
  /**
   * Optional. Maximum request body size in bytes (413 above it).
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
   * Optional. Calls per client application (`azp`/`appid`) per renewal period. Enforced with quota-by-key on
   * classic tiers (renewal period at least 300 s) and with rate-limit-by-key on v2 tiers, which have no
   * quota-by-key (renewal period at most 300 s).
   * @default { calls: 3000, renewalPeriodSeconds: 300 }
   */
  readonly clientAppQuota?: CallLimit;
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
  readonly maxBodyBytes: number;
  readonly allowedMethods: readonly string[];
  readonly allowClientResponses: boolean;
  readonly perCallerRateLimit: CallLimit;
  readonly perCallerToolRateLimit: CallLimit;
  readonly clientAppQuota: CallLimit;
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

/** Prompt Shields input limits (Content Safety "Input requirements": 5 documents, 10K characters in total). */
export const PROMPT_SHIELDS_LIMITS = { maxDocuments: 5, maxTotalChars: 10_000 } as const;

const API_PATH = /^[a-z0-9][a-z0-9._~-]*(\/[a-z0-9][a-z0-9._~-]*)*$/i;
const TOOL_NAME = MCP_TOOL_NAME;
/** Entra scope and app-role values (no spaces, none of the separators our named values use: `;|,=`). */
const PERMISSION = ENTRA_CLAIM_VALUE;
const METHOD = /^[A-Za-z0-9_/.-]{1,100}$/;
const PROTOCOL_VERSION = /^\d{4}-\d{2}-\d{2}$/;
const BACKEND_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
const METRIC_NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,255}$/;
/** Policy fragment ids as API Management accepts them (word characters and dashes, 80 at most). */
const FRAGMENT_ID = /^(?:\w|\w[\w-]{0,78}\w)$/;
/** Characters that must never appear in a value spliced into a policy (see the module comment). */
const UNSAFE = /["\\`\u0000-\u001f\u007f]|\{\{|\}\}/;

/** Thrown for an invalid setting; `setting` names it so callers can map it back to stack config. */
export class McpPolicySettingsError extends Error {
  constructor(
    readonly setting: string,
    problem: string,
    fix: string,
  ) {
    super(`MCP gateway policy setting '${setting}': ${problem}. Fix: ${fix}.`);
    this.name = "McpPolicySettingsError";
  }
}

/** The audit metric's namespace (default applied, validated); the refusal fragment and every server use it. */
export function resolveMetricNamespace(metricNamespace: string = DEFAULT_METRIC_NAMESPACE): string {
  if (!METRIC_NAMESPACE.test(metricNamespace)) fail("metricNamespace", `${JSON.stringify(metricNamespace)} is not a valid metric namespace`, "use letters, digits, '.', '_' or '-'");
  return metricNamespace;
}

function fail(setting: string, problem: string, fix: string): never {
  throw new McpPolicySettingsError(setting, problem, fix);
}

function safeText(setting: string, value: string): string {
  if (typeof value !== "string" || value.length === 0) fail(setting, "is empty", "set a non-empty value");
  if (UNSAFE.test(value)) {
    fail(
      setting,
      `contains a character sequence that is unsafe inside an APIM policy (quote, backslash, backtick, control character, '{{' or '}}'): ${JSON.stringify(value)}`,
      "remove it; APIM would treat '{{...}}' as a named-value reference and the others break policy expressions",
    );
  }
  if (value.startsWith("@")) fail(setting, `starts with '@', which APIM reads as a policy expression`, "remove the leading '@'");
  return value;
}

function httpsUrl(setting: string, value: string, opts: { pathAllowed: boolean }): URL {
  safeText(setting, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(setting, `is not an absolute URL: ${JSON.stringify(value)}`, "use an https:// URL");
  }
  if (url.protocol !== "https:") fail(setting, `must use https, got ${JSON.stringify(value)}`, "use an https:// URL");
  if (url.username || url.password) fail(setting, "contains credentials", "remove the user-info part");
  if (url.search || url.hash) fail(setting, "contains a query or fragment", "remove the '?...' / '#...' part");
  if (!opts.pathAllowed && url.pathname !== "/") fail(setting, "must not contain a path", "use scheme://host[:port] only");
  if (value.endsWith("/")) fail(setting, "ends with '/'", "use the canonical form without a trailing slash");
  return url;
}

function positiveInt(setting: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    fail(setting, `must be an integer between 1 and ${max}, got ${String(value)}`, `choose a value in 1..${max}`);
  }
  return value;
}

function limit(setting: string, value: CallLimit, maxPeriod: number): CallLimit {
  return {
    calls: positiveInt(`${setting}.calls`, value.calls, 1_000_000_000),
    renewalPeriodSeconds: positiveInt(`${setting}.renewalPeriodSeconds`, value.renewalPeriodSeconds, maxPeriod),
  };
}

function uniqueList(setting: string, values: readonly string[], pattern: RegExp, what: string): string[] {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    safeText(`${setting}[${i}]`, v);
    if (!pattern.test(v)) fail(`${setting}[${i}]`, `${JSON.stringify(v)} is not a valid ${what} (${pattern.source})`, `use a valid ${what}`);
    if (seen.has(v)) fail(`${setting}[${i}]`, `duplicate value ${JSON.stringify(v)}`, "list each value once");
    seen.add(v);
  });
  return [...values];
}

/** Default PRM URL for a resource (RFC 9728 §3.1: well-known segment inserted between host and path). */
export function defaultPrmUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/** Apply defaults (the ONLY place they live) and validate. */
export function resolveMcpPolicySettings(input: McpPolicySettingsInput): McpPolicySettings {
  const serverNameProblem = nameProblem(input.serverName ?? "", ServerNameRule);
  if (serverNameProblem !== undefined) {
    fail("serverName", serverNameProblem, "rename the server, e.g. 'weather'");
  }
  if (!API_PATH.test(input.apiPath ?? "")) {
    fail("apiPath", `${JSON.stringify(input.apiPath)} is not a relative path without leading/trailing slash`, "use e.g. 'weather' or 'mcp/weather'");
  }
  const tenantId = (input.tenantId ?? "").toLowerCase();
  if (!GUID.test(tenantId)) {
    fail("tenantId", `${JSON.stringify(input.tenantId)} is not a tenant GUID (common/organizations/consumers accept tokens from any tenant)`, "set the directory (tenant) ID GUID");
  }

  const resourceUrl = httpsUrl("resource", input.resource, { pathAllowed: true });
  const resource = input.resource;
  if (resourceUrl.pathname.replace(/^\//, "") !== input.apiPath) {
    fail("resource", `path '${resourceUrl.pathname}' does not end the canonical URL with apiPath '${input.apiPath}'`, `use https://<gateway host>/${input.apiPath}`);
  }

  if (!input.audiences || input.audiences.length === 0) {
    fail("audiences", "is empty", "list the Application ID URI and the application (client) ID of the server's app registration");
  }
  const audiences = input.audiences.map((a, i) => {
    safeText(`audiences[${i}]`, a);
    if (!GUID.test(a) && !/^(api|https):\/\/[^\s]+$/.test(a)) {
      fail(`audiences[${i}]`, `${JSON.stringify(a)} is neither a client ID GUID nor an api:// or https:// Application ID URI`, "use the app registration's identifier URI or client ID");
    }
    return GUID.test(a) ? a.toLowerCase() : a;
  });
  if (new Set(audiences).size !== audiences.length) fail("audiences", "contains duplicates", "list each audience once");
  const acceptedTokenVersions = [...new Set(input.acceptedTokenVersions ?? [2])].sort() as (1 | 2)[];
  if (acceptedTokenVersions.length === 0 || acceptedTokenVersions.some((v) => v !== 1 && v !== 2)) {
    fail("acceptedTokenVersions", "must be a non-empty list of 1 and/or 2", "use [2] and set requestedAccessTokenVersion=2 on the app registration");
  }
  const acceptsV1 = acceptedTokenVersions.includes(1);
  // Entra v2 access tokens always carry the client ID as aud, whatever the client asked for; only v1 tokens carry
  // the identifier URI. An audience no accepted token version can carry only widens what validate-jwt accepts.
  if (acceptedTokenVersions.includes(2) && !audiences.some((a) => GUID.test(a))) {
    fail("audiences", "has no client ID GUID (v2 access tokens carry the client ID as aud)", "add the app registration's application (client) ID");
  }
  if (!acceptsV1) {
    audiences.forEach((a, i) => {
      if (!GUID.test(a)) fail(`audiences[${i}]`, `${JSON.stringify(a)} is an identifier URI, which only v1 access tokens carry as aud, but only v2 tokens are accepted`, "list only the application (client) ID, or accept v1 tokens (acceptedTokenVersions)");
    });
  }

  const applicationIdUri = input.applicationIdUri ?? resource;
  if (acceptsV1 && !audiences.includes(applicationIdUri)) {
    fail("applicationIdUri", `${JSON.stringify(applicationIdUri)} is not one of the audiences although v1 tokens are accepted`, "list the Application ID URI in audiences (v1 tokens carry it as aud)");
  }
  if (GUID.test(applicationIdUri)) fail("applicationIdUri", "is a GUID, not an identifier URI", "use the app registration's identifier URI (api://... or https://...)");
  safeText("applicationIdUri", applicationIdUri);
  if (!/^(api|https):\/\/[^\s]+$/.test(applicationIdUri)) {
    fail("applicationIdUri", `${JSON.stringify(applicationIdUri)} is not an api:// or https:// identifier URI`, "use the app registration's identifier URI");
  }

  const gatewayTierFamily = input.gatewayTierFamily ?? "v2";
  if (gatewayTierFamily !== "v2" && gatewayTierFamily !== "classic") fail("gatewayTierFamily", `${JSON.stringify(gatewayTierFamily)} is not 'v2' or 'classic'`, "use 'v2' (BasicV2/StandardV2/PremiumV2) or 'classic'");
  const clientAppQuota = limit(
    "clientAppQuota",
    input.clientAppQuota ?? { calls: 3000, renewalPeriodSeconds: 300 },
    gatewayTierFamily === "v2" ? 300 : 31_536_000,
  );
  if (gatewayTierFamily === "classic" && clientAppQuota.renewalPeriodSeconds < 300) {
    fail("clientAppQuota.renewalPeriodSeconds", "is under 300 s, the quota-by-key minimum", "use 300 or more");
  }
  const sessionCachingType = input.sessionCachingType ?? "prefer-external";
  if (!["internal", "external", "prefer-external"].includes(sessionCachingType)) {
    fail("sessionCachingType", `${JSON.stringify(sessionCachingType)} is not a caching type`, "use 'internal', 'external' or 'prefer-external'");
  }

  const allowedClientAppIds = (input.allowedClientAppIds ?? []).map((id, i) => {
    if (!GUID.test(id)) fail(`allowedClientAppIds[${i}]`, `${JSON.stringify(id)} is not a GUID`, "use client application (client) IDs");
    return id.toLowerCase();
  });

  const prmUrl = input.prmUrl ?? defaultPrmUrl(resource);
  const prm = httpsUrl("prmUrl", prmUrl, { pathAllowed: true });
  if (!prm.pathname.startsWith("/.well-known/oauth-protected-resource")) {
    fail("prmUrl", `${JSON.stringify(prmUrl)} is not a /.well-known/oauth-protected-resource URL`, "use the RFC 9728 well-known location (or leave it unset)");
  }

  const scopes = uniqueList("scopes", input.scopes ?? ["tools.read"], PERMISSION, "scope name");
  if (scopes.length === 0) fail("scopes", "is empty", "list the baseline scope(s) a client needs to connect, e.g. 'tools.read'");
  scopes.forEach((sc, i) => {
    if (sc === "*" || /^(all|.*admin.*|user_impersonation|\.default)$/i.test(sc)) {
      fail(`scopes[${i}]`, `'${sc}' is a broad or administrative scope and must not be advertised as the baseline`, "advertise least-privilege scopes only; request elevated ones by step-up");
    }
  });

  const allowedOrigins = (input.allowedOrigins ?? []).map((o, i) => {
    const u = httpsUrl(`allowedOrigins[${i}]`, o, { pathAllowed: false });
    if (u.origin !== o) fail(`allowedOrigins[${i}]`, `${JSON.stringify(o)} is not in serialized origin form (lowercase scheme://host[:port])`, `use ${JSON.stringify(u.origin)}`);
    return o;
  });
  if (new Set(allowedOrigins).size !== allowedOrigins.length) fail("allowedOrigins", "contains duplicates", "list each origin once");
  const enableCors = input.enableCors ?? false;
  if (enableCors && allowedOrigins.length === 0) {
    fail("enableCors", "is true but allowedOrigins is empty, so no browser origin could use it", "list the browser origins in allowedOrigins or leave enableCors unset");
  }

  const allowedProtocolVersions = uniqueList("allowedProtocolVersions", input.allowedProtocolVersions ?? [...KNOWN_MCP_PROTOCOL_VERSIONS], PROTOCOL_VERSION, "protocol version (YYYY-MM-DD)");
  if (allowedProtocolVersions.length === 0) fail("allowedProtocolVersions", "is empty", "allow at least 2025-06-18 (the oldest APIM supports)");
  allowedProtocolVersions.forEach((v, i) => {
    if (v < "2025-06-18") fail(`allowedProtocolVersions[${i}]`, `${v} predates 2025-06-18, which APIM MCP APIs and the authorization rules require`, "remove it");
  });

  if (!input.tools || input.tools.length === 0) {
    fail("tools", "is empty: no tool could ever be called", "list the approved tools with the scopes/roles each needs");
  }
  const toolNames = new Set<string>();
  const tools = input.tools.map((t, i) => {
    if (!TOOL_NAME.test(t.name ?? "")) fail(`tools[${i}].name`, `${JSON.stringify(t.name)} is not a valid MCP tool name (^[A-Za-z0-9_.-]{1,128}$)`, "use the exact name the server advertises");
    if (toolNames.has(t.name)) fail(`tools[${i}].name`, `duplicate tool '${t.name}'`, "list each tool once");
    toolNames.add(t.name);
    const toolScopes = uniqueList(`tools[${i}].scopes`, t.scopes ?? [], PERMISSION, "scope name");
    const roles = uniqueList(`tools[${i}].roles`, t.roles ?? [], PERMISSION, "app role value");
    if (toolScopes.length + roles.length === 0) {
      fail(`tools[${i}]`, `tool '${t.name}' requires neither a scope nor a role, so any token for the server could call it`, "give it at least one scope or app role");
    }
    return { name: t.name, scopes: toolScopes, roles };
  });

  const lists: [string, string][] = [
    ["tools", encodeToolPermissions(tools)],
    ["allowedOrigins", encodeList(allowedOrigins)],
    ["allowedMethods", encodeList(input.allowedMethods ?? [...DEFAULT_ALLOWED_METHODS])],
  ];
  for (const [setting, value] of lists) {
    if (value.length > NAMED_VALUE_MAX_LENGTH) {
      fail(setting, `encodes to ${value.length} characters, over the ${NAMED_VALUE_MAX_LENGTH} an APIM named value holds`, "shorten the list (fewer entries, shorter names) or split the server");
    }
  }

  const allowedMethods = uniqueList("allowedMethods", input.allowedMethods ?? [...DEFAULT_ALLOWED_METHODS], METHOD, "JSON-RPC method name");
  if (!allowedMethods.includes("tools/call") && tools.length > 0) {
    fail("allowedMethods", "does not include 'tools/call' although tools are approved", "add 'tools/call' or remove the tools");
  }

  const cs = input.contentSafety ?? fail("contentSafety", "is missing", "pass { endpoint } (or { enabled: false } to opt out explicitly)");
  const csEnabled = cs.enabled ?? true;
  let csEndpoint = "";
  if (csEnabled) {
    if (!cs.endpoint) fail("contentSafety.endpoint", "is missing while Prompt Shields is enabled", "pass the Content Safety custom-subdomain endpoint, or set contentSafety.enabled=false explicitly");
    const u = httpsUrl("contentSafety.endpoint", cs.endpoint.replace(/\/$/, ""), { pathAllowed: false });
    csEndpoint = u.origin;
  }

  const backend = input.backend ?? fail("backend", "is missing", "pass { backendId, audience, gatewayIdentityClientId }");
  if (!BACKEND_ID.test(backend.backendId ?? "")) fail("backend.backendId", `${JSON.stringify(backend.backendId)} is not an APIM backend id`, "pass the name of the APIM backend entity");
  safeText("backend.audience", backend.audience);
  if (!GUID.test(backend.audience) && !/^(api|https):\/\/\S+$/.test(backend.audience)) {
    fail("backend.audience", `${JSON.stringify(backend.audience)} is neither a GUID nor an api:// or https:// URI`, "use the backend app registration's Application ID URI or client ID");
  }
  if (audiences.includes(backend.audience)) {
    fail("backend.audience", "equals one of the gateway audiences, so a client token would also be valid at the backend", "give the backend its own app registration");
  }
  if (!GUID.test(backend.gatewayIdentityClientId ?? "")) {
    fail("backend.gatewayIdentityClientId", `${JSON.stringify(backend.gatewayIdentityClientId)} is not a GUID`, "pass the clientId of the gateway's user-assigned identity");
  }

  const metricNamespace = resolveMetricNamespace(input.metricNamespace);
  const refusalFragmentId = input.refusalFragmentId ?? REFUSAL_FRAGMENT_ID;
  if (!FRAGMENT_ID.test(refusalFragmentId)) {
    fail("refusalFragmentId", `${JSON.stringify(refusalFragmentId)} is not a policy fragment id`, "use the fragment's name in the service (letters, digits, '_' and inner '-', at most 80)");
  }

  return {
    serverName: input.serverName,
    apiPath: input.apiPath,
    tenantId,
    audiences,
    allowedClientAppIds,
    resource,
    applicationIdUri,
    prmUrl,
    scopes,
    allowedOrigins,
    enableCors,
    allowedProtocolVersions,
    allowMissingProtocolVersion: input.allowMissingProtocolVersion ?? false,
    tools,
    maxBodyBytes: positiveInt("maxBodyBytes", input.maxBodyBytes ?? 262_144, 4 * 1024 * 1024),
    allowedMethods,
    allowClientResponses: input.allowClientResponses ?? true,
    perCallerRateLimit: limit("perCallerRateLimit", input.perCallerRateLimit ?? { calls: 120, renewalPeriodSeconds: 60 }, 300),
    perCallerToolRateLimit: limit("perCallerToolRateLimit", input.perCallerToolRateLimit ?? { calls: 30, renewalPeriodSeconds: 60 }, 300),
    clientAppQuota,
    gatewayTierFamily,
    sessionTtlSeconds: positiveInt("sessionTtlSeconds", input.sessionTtlSeconds ?? 3600, 86_400),
    sessionCachingType,
    contentSafety: {
      endpoint: csEndpoint,
      enabled: csEnabled,
      failOpen: cs.failOpen ?? false,
      timeoutSeconds: positiveInt("contentSafety.timeoutSeconds", cs.timeoutSeconds ?? 5, 60),
      maxRequests: positiveInt("contentSafety.maxRequests", cs.maxRequests ?? 4, 10),
    },
    backend: {
      backendId: backend.backendId,
      audience: backend.audience,
      gatewayIdentityClientId: backend.gatewayIdentityClientId.toLowerCase(),
      timeoutSeconds: positiveInt("backend.timeoutSeconds", backend.timeoutSeconds ?? 120, 240),
    },
    clockSkewSeconds: positiveInt("clockSkewSeconds", input.clockSkewSeconds ?? 60, 300),
    acceptedTokenVersions,
    metricNamespace,
    refusalFragmentId,
  };
}
