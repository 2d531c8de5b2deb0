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
import { resolveMcpPolicyOptions } from "./options";
import type { McpPolicySettings, McpPolicySettingsInput } from "./settingsTypes";
import { API_PATH, BACKEND_ID, fail, GUID, httpsUrl, PERMISSION, safeText, uniqueList } from "./validation";

export type {
  CallLimit,
  McpPolicyOptionSettings,
  McpPolicyOptionsInput,
  McpPolicySettings,
  McpPolicySettingsInput,
  McpToolPermission,
} from "./settingsTypes";
export { McpPolicySettingsError } from "./validation";
export {
  DEFAULT_METRIC_NAMESPACE,
  KNOWN_MCP_PROTOCOL_VERSIONS,
  MAX_BUFFERED_BODY_BYTES,
  REFUSAL_FRAGMENT_ID,
  resolveMcpPolicyOptions,
  resolveMetricNamespace,
} from "./options";

/** Prompt Shields input limits (Content Safety "Input requirements": 5 documents, 10K characters in total). */
export const PROMPT_SHIELDS_LIMITS = { maxDocuments: 5, maxTotalChars: 10_000 } as const;

/** Default PRM URL for a resource (RFC 9728 §3.1: well-known segment inserted between host and path). */
export function defaultPrmUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/**
 * Apply defaults (the ONLY place they live) and validate: the options first (`resolveMcpPolicyOptions`, which needs
 * no deployment value), then the values the deployment supplies (tenant, application, URLs, backend).
 */
export function resolveMcpPolicySettings(input: McpPolicySettingsInput): McpPolicySettings {
  const o = resolveMcpPolicyOptions(input);
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
  const acceptsV1 = o.acceptedTokenVersions.includes(1);
  // Entra v2 access tokens always carry the client ID as aud, whatever the client asked for; only v1 tokens carry
  // the identifier URI. An audience no accepted token version can carry only widens what validate-jwt accepts.
  if (o.acceptedTokenVersions.includes(2) && !audiences.some((a) => GUID.test(a))) {
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

  let csEndpoint = "";
  if (o.contentSafety.enabled) {
    const endpoint = input.contentSafety.endpoint;
    if (!endpoint) fail("contentSafety.endpoint", "is missing while Prompt Shields is enabled", "pass the Content Safety custom-subdomain endpoint, or set contentSafety.enabled=false explicitly");
    csEndpoint = httpsUrl("contentSafety.endpoint", endpoint.replace(/\/$/, ""), { pathAllowed: false }).origin;
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

  return {
    serverName: o.serverName,
    apiPath: input.apiPath,
    tenantId,
    audiences,
    allowedClientAppIds,
    resource,
    applicationIdUri,
    prmUrl,
    scopes,
    allowedOrigins: o.allowedOrigins,
    enableCors: o.enableCors,
    allowedProtocolVersions: o.allowedProtocolVersions,
    allowMissingProtocolVersion: o.allowMissingProtocolVersion,
    tools: o.tools,
    toolDrift: o.toolDrift,
    resultScreening: o.resultScreening,
    maxBodyBytes: o.maxBodyBytes,
    allowedMethods: o.allowedMethods,
    allowClientResponses: o.allowClientResponses,
    perCallerRateLimit: o.perCallerRateLimit,
    perCallerToolRateLimit: o.perCallerToolRateLimit,
    clientAppQuota: o.clientAppQuota,
    sharedClientAppQuota: o.sharedClientAppQuota,
    gatewayTierFamily: o.gatewayTierFamily,
    sessionTtlSeconds: o.sessionTtlSeconds,
    sessionCachingType: o.sessionCachingType,
    contentSafety: { endpoint: csEndpoint, ...o.contentSafety },
    backend: {
      backendId: backend.backendId,
      audience: backend.audience,
      gatewayIdentityClientId: backend.gatewayIdentityClientId.toLowerCase(),
      timeoutSeconds: o.backend.timeoutSeconds,
    },
    clockSkewSeconds: o.clockSkewSeconds,
    acceptedTokenVersions: o.acceptedTokenVersions,
    metricNamespace: o.metricNamespace,
    refusalFragmentId: o.refusalFragmentId,
  };
}
