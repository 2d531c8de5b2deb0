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
import { nameProblem, ServerNameRule } from "../../../baseline/naming";
import { encodeList, encodeToolPermissions, encodeToolPins, NAMED_VALUE_MAX_LENGTH } from "./namedValues";
import { DEFAULT_ALLOWED_METHODS, MCP_CLIENT_METHODS } from "./methods";
import type { McpPolicySettings, McpPolicySettingsInput } from "./settingsTypes";
import { API_PATH, BACKEND_ID, fail, FRAGMENT_ID, GUID, httpsUrl, limit, METHOD, METRIC_NAMESPACE, PERMISSION, positiveInt, PROTOCOL_VERSION, safeText, TOOL_NAME, uniqueList } from "./validation";

export type { CallLimit, McpPolicySettings, McpPolicySettingsInput, McpToolPermission } from "./settingsTypes";
export { McpPolicySettingsError } from "./validation";

/** Namespace of the audit metric unless a server's settings name another. */
export const DEFAULT_METRIC_NAMESPACE = "hardened-mcp";

/** Id of the service-level policy fragment every refusal includes unless the settings name another. */
export const REFUSAL_FRAGMENT_ID = "mcp-refusal";

/** Protocol versions whose Streamable HTTP rules the policies implement (MCP-Protocol-Version allowlist). */
export const KNOWN_MCP_PROTOCOL_VERSIONS = ["2025-06-18", "2025-11-25", "2026-07-28"] as const;


/** Prompt Shields input limits (Content Safety "Input requirements": 5 documents, 10K characters in total). */
export const PROMPT_SHIELDS_LIMITS = { maxDocuments: 5, maxTotalChars: 10_000 } as const;
/** The audit metric's namespace (default applied, validated); the refusal fragment and every server use it. */
export function resolveMetricNamespace(metricNamespace: string = DEFAULT_METRIC_NAMESPACE): string {
  if (!METRIC_NAMESPACE.test(metricNamespace)) fail("metricNamespace", `${JSON.stringify(metricNamespace)} is not a valid metric namespace`, "use letters, digits, '.', '_' or '-'");
  return metricNamespace;
}

/** Default PRM URL for a resource (RFC 9728 §3.1: well-known segment inserted between host and path). */
export function defaultPrmUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/**
 * The most body a gateway of each tier family buffers, which `parseJsonRpc` must do to read the message (Learn, "API
 * Management limits": v2 tiers buffer at most 2 MiB; the classic tiers more, capped here at 4 MiB, far above any
 * JSON-RPC message an MCP client sends). A larger `maxBodyBytes` would promise a cap the gateway cannot keep.
 */
export const MAX_BUFFERED_BODY_BYTES: Readonly<Record<McpPolicySettings["gatewayTierFamily"], number>> = { v2: 2 * 1024 * 1024, classic: 4 * 1024 * 1024 };

function bodyLimit(value: number, tier: McpPolicySettings["gatewayTierFamily"]): number {
  const max = MAX_BUFFERED_BODY_BYTES[tier];
  if (Number.isInteger(value) && value > max) {
    fail("maxBodyBytes", `${value} is over ${max}, the most a ${tier}-tier gateway buffers to read a request body`, `set at most ${max} (the default, 262144, fits every MCP message a client sends)`);
  }
  return positiveInt("maxBodyBytes", value, max);
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
    const definitionSha256 = t.definitionSha256 ?? "";
    if (definitionSha256 !== "" && !/^[0-9a-f]{64}$/.test(definitionSha256)) {
      fail(`tools[${i}].definitionSha256`, `${JSON.stringify(definitionSha256)} is not a SHA-256 in 64 lowercase hex digits`, "paste the pin 'hardened-mcp tools pin' prints for this tool");
    }
    return { name: t.name, scopes: toolScopes, roles, definitionSha256 };
  });

  const lists: [string, string][] = [
    ["tools", encodeToolPermissions(tools)],
    ["tools (definitionSha256 pins)", encodeToolPins(tools)],
    ["allowedOrigins", encodeList(allowedOrigins)],
    ["allowedMethods", encodeList(input.allowedMethods ?? [...DEFAULT_ALLOWED_METHODS])],
  ];
  for (const [setting, value] of lists) {
    if (value.length > NAMED_VALUE_MAX_LENGTH) {
      fail(setting, `encodes to ${value.length} characters, over the ${NAMED_VALUE_MAX_LENGTH} an APIM named value holds`, "shorten the list (fewer entries, shorter names) or split the server");
    }
  }

  const allowedMethods = uniqueList("allowedMethods", input.allowedMethods ?? [...DEFAULT_ALLOWED_METHODS], METHOD, "JSON-RPC method name");
  allowedMethods.forEach((m, i) => {
    const spec = MCP_CLIENT_METHODS[m];
    if (!spec) fail(`allowedMethods[${i}]`, `'${m}' is not a client-to-server method of MCP 2025-06-18, 2025-11-25 or 2026-07-28`, "use the method name exactly as the specification spells it");
    if (spec.kind === "per-item") {
      fail(`allowedMethods[${i}]`, `'${m}' names resources, prompts or completions, which the gateway cannot yet authorize item by item`, "serve them from a server the gateway does not front, or leave the method out");
    }
    if (spec.kind === "tasks") {
      fail(`allowedMethods[${i}]`, `'${m}' is a task method; a task's result fetched later by id would bypass per-tool authorization and result screening`, "leave tasks off (the gateway refuses task-augmented tools/call consistently)");
    }
  });
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

  const toolDrift = input.toolDrift ?? "remove";
  if (toolDrift !== "remove" && toolDrift !== "refuse") fail("toolDrift", `${JSON.stringify(toolDrift)} is not 'remove' or 'refuse'`, "use 'remove' (the default) or 'refuse'");
  const resultScreening = input.resultScreening ?? (csEnabled ? "block" : "off");
  if (!["block", "annotate", "off"].includes(resultScreening)) fail("resultScreening", `${JSON.stringify(resultScreening)} is not 'block', 'annotate' or 'off'`, "use 'block' (the default)");
  if (!csEnabled && resultScreening !== "off") {
    fail("resultScreening", `is '${resultScreening}' but Content Safety is disabled, so nothing could screen results`, "enable contentSafety or set resultScreening to 'off'");
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
    toolDrift,
    resultScreening,
    maxBodyBytes: bodyLimit(input.maxBodyBytes ?? 262_144, gatewayTierFamily),
    allowedMethods,
    allowClientResponses: input.allowClientResponses ?? true,
    perCallerRateLimit: limit("perCallerRateLimit", input.perCallerRateLimit ?? { calls: 120, renewalPeriodSeconds: 60 }, 300),
    perCallerToolRateLimit: limit("perCallerToolRateLimit", input.perCallerToolRateLimit ?? { calls: 30, renewalPeriodSeconds: 60 }, 300),
    clientAppQuota,
    sharedClientAppQuota: input.sharedClientAppQuota ?? false,
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
