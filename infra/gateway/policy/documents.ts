import { renderPolicyDocument, type PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";

/** Ordered fragments of the API-level policy of one MCP server (STUB: being implemented). */
export function mcpApiFragments(_s: McpPolicySettings): PolicyFragment[] {
  return [];
}

/** The API-level `<policies>` document for one MCP server (ApiPolicy, format "xml"). */
export function buildMcpApiPolicy(s: McpPolicySettings): string {
  return renderPolicyDocument(mcpApiFragments(s), { base: true });
}

/** Fragments of the unauthenticated PRM operation policy (STUB). */
export function prmFragments(_s: McpPolicySettings): PolicyFragment[] {
  return [];
}

/**
 * Policy for the GET operation that serves the RFC 9728 document without authentication. It has NO `<base/>`, so
 * attached at operation level of the MCP API the API-level token validation does not run for it; it is equally
 * valid on an operation of a dedicated `.well-known` API.
 */
export function buildPrmPolicy(s: McpPolicySettings): string {
  return renderPolicyDocument(prmFragments(s), { base: false });
}

/** Fragments of the service-level (global) policy (STUB). */
export function globalFragments(): PolicyFragment[] {
  return [];
}

/** Service-level `<policies>` document: security headers and banner removal for every API. */
export function buildGlobalPolicy(): string {
  return renderPolicyDocument(globalFragments(), { base: false });
}
