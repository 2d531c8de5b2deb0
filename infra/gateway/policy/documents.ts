import { el, renderPolicyXml } from "./xml";
import { renderPolicyDocument, type PolicyFragment, type RenderOptions } from "./fragment";
import { resolveMetricNamespace, type McpPolicySettings } from "./settings";
import {
  auditOutbound,
  authorizeTool,
  bindSession,
  checkMcpHeaders,
  checkRequestHeaders,
  corsPreflight,
  declareServer,
  refuseQueryString,
  enforceHttpMethod,
  enforceJsonRpc,
  enforceOrigin,
  enforceProtocolVersion,
  forwardIdentity,
  forwardRequest,
  refuseBackendRedirects,
  stripBackendResponseHeaders,
  stripOverrideHeaders,
  limitCallerAndClientApp,
  limitCallerTool,
  maskBackendAuthErrors,
  maskBackendServerErrors,
  onErrorResponses,
  parseJsonRpc,
  promptShields,
  responseHeaders,
  securityHeaderNodes,
  SECURITY_HEADERS,
  storeSessionBinding,
  validateToken,
  fullScopes,
  refusalFragmentNodes,
  screenResults,
  screenToolList,
} from "./fragments";

const optional = (f: PolicyFragment | undefined): PolicyFragment[] => (f ? [f] : []);

/**
 * How the MCP API document inherits: inbound/outbound/on-error extend the global policy; backend does NOT, because
 * the API's own `forward-request` (unbuffered, for SSE) must replace the global one, not run after it.
 */
export const MCP_API_RENDER: RenderOptions = { base: { inbound: true, backend: false, outbound: true, "on-error": true } };

/**
 * Ordered fragments of the API-level policy of one MCP server. Order matters and is the security design:
 * cheap, unauthenticated refusals first; identity before anything that spends money or reads the body; the
 * per-caller limit before the body is parsed; authorization before session lookup, per-tool limit and Prompt
 * Shields; identity rewriting last.
 */
export function mcpApiFragments(s: McpPolicySettings): PolicyFragment[] {
  return [
    declareServer(s),
    ...(s.enableCors ? [corsPreflight(s)] : []),
    refuseQueryString(s),
    enforceOrigin(s),
    enforceHttpMethod(s),
    checkRequestHeaders(s),
    enforceProtocolVersion(s),
    validateToken(s),
    limitCallerAndClientApp(s),
    parseJsonRpc(s),
    enforceJsonRpc(s),
    checkMcpHeaders(s),
    authorizeTool(s),
    bindSession(s),
    limitCallerTool(s),
    ...(s.contentSafety.enabled ? [promptShields(s)] : []),
    stripOverrideHeaders(),
    forwardIdentity(s),
    forwardRequest(s),
    maskBackendAuthErrors(s),
    refuseBackendRedirects(s),
    stripBackendResponseHeaders(s),
    maskBackendServerErrors(),
    screenToolList(s),
    ...optional(screenResults(s)),
    storeSessionBinding(s),
    responseHeaders(),
    auditOutbound(s),
    onErrorResponses(s),
  ];
}

/** The API-level `<policies>` document for one MCP server (ApiPolicy, format "xml"; depends on mcpNamedValues). */
export function buildMcpApiPolicy(s: McpPolicySettings): string {
  return renderPolicyDocument(mcpApiFragments(s), MCP_API_RENDER);
}

/**
 * The `<fragment>` every refusal of every MCP API includes (settings `refusalFragmentId`, default
 * `REFUSAL_FRAGMENT_ID`; PolicyFragment format "xml"): one per API Management service, saved before any API
 * policy that includes it. `metricNamespace` must
 * be the servers' `metricNamespace` (emit-metric allows no expression there).
 */
export function buildRefusalFragment(metricNamespace?: string): string {
  return renderPolicyXml(el("fragment", {}, ...refusalFragmentNodes(resolveMetricNamespace(metricNamespace))));
}

/** The RFC 9728 Protected Resource Metadata document (JSON text). Only the baseline scopes are advertised. */
export function protectedResourceMetadata(s: McpPolicySettings): string {
  return JSON.stringify({
    resource: s.resource,
    authorization_servers: [`https://login.microsoftonline.com/${s.tenantId}/v2.0`],
    scopes_supported: fullScopes(s, s.scopes),
    bearer_methods_supported: ["header"],
  });
}

/** Fragments of the unauthenticated PRM operation policy. */
export function prmFragments(s: McpPolicySettings): PolicyFragment[] {
  const body = protectedResourceMetadata(s);
  if (body.includes("{{") || body.includes("}}")) throw new Error("PRM document would be misread by APIM as a named-value reference");
  return [
    {
      id: "serveProtectedResourceMetadata",
      section: "inbound",
      controls: [2, 33],
      nodes: [
        el(
          "return-response",
          {},
          el("set-status", { code: 200, reason: "OK" }),
          el("set-header", { name: "Content-Type", "exists-action": "override" }, el("value", {}, "application/json")),
          ...SECURITY_HEADERS.map((h) => el("set-header", { name: h.name, "exists-action": "override" }, el("value", {}, h.value))),
          el("set-body", {}, body),
        ),
      ],
    },
  ];
}

/**
 * Policy for the GET operation that serves the RFC 9728 document without authentication. It has NO `<base/>`, so
 * attached at operation level of the MCP API the API-level token validation does not run for it; it is equally
 * valid on an operation of a dedicated `.well-known` API.
 */
export function buildPrmPolicy(s: McpPolicySettings): string {
  return renderPolicyDocument(prmFragments(s), { base: false });
}

/** Fragments of the service-level (global) policy: forwarding, banner removal and security headers for every API. */
export function globalFragments(): PolicyFragment[] {
  return [
    { id: "globalForwardRequest", section: "backend", controls: [], nodes: [el("forward-request", { "follow-redirects": false })] },
    { id: "globalResponseHeaders", section: "outbound", controls: [], nodes: securityHeaderNodes() },
    { id: "globalErrorHeaders", section: "on-error", controls: [], nodes: securityHeaderNodes() },
  ];
}

/** Service-level `<policies>` document (the global scope has no `<base/>`). */
export function buildGlobalPolicy(): string {
  return renderPolicyDocument(globalFragments(), { base: false });
}
