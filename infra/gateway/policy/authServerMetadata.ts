/**
 * Optional: the gateway serves RFC 8414 authorization server metadata for a server, pointing at Entra's own
 * endpoints and declaring PKCE S256, and the server's Protected Resource Metadata names the gateway as its
 * authorization server.
 *
 * Why: the MCP authorization spec (2025-11-25, "Authorization Server Metadata Discovery") says a client MUST
 * refuse to proceed when the metadata lacks `code_challenge_methods_supported`. Entra supports S256 (Microsoft
 * identity platform, "OAuth 2.0 authorization code flow": `code_challenge_method` S256 is recommended) but its
 * OpenID configuration does not declare it, so clients that follow the spec to the letter stop before sign-in.
 *
 * What it is not: a proxy. The document only describes Entra: authorization, token and key requests go
 * straight to login.microsoftonline.com, tokens never pass through the gateway's metadata operation, and the
 * tokens keep Entra's issuer (which is what the gateway validates). No registration endpoint is declared:
 * Entra has no dynamic client registration.
 *
 * Trade-off (docs/clients.md): the metadata's `issuer` is the gateway's URL, not Entra's. Clients treat it
 * as the authorization server's identifier (RFC 8414 §3.3 requires it to equal the URL the PRM named, which
 * it does); a client that also validates OpenID ID tokens against it would see Entra's issuer instead. MCP
 * access needs no ID token. The document must change if Entra's endpoints ever do (they are per tenant and
 * stable).
 */
import { fullScopes } from "./respond";
import { prmFragments, protectedResourceMetadata } from "./documents";
import { renderPolicyDocument, type PolicyFragment } from "./fragment";
import { el, isElement, type PolicyElement, type PolicyNode } from "./xml";
import type { McpPolicySettings } from "./settings";

/** The issuer the gateway asserts for a server (its canonical URL) and where the metadata is served (RFC 8414 §3.1). */
export function gatewayAuthServer(resource: string): { issuer: string; metadataUrl: string } {
  const u = new URL(resource);
  return { issuer: resource, metadataUrl: `${u.origin}/.well-known/oauth-authorization-server${u.pathname}` };
}

/** The RFC 8414 document: Entra's tenant endpoints, S256 declared, nothing Entra does not do. */
export function authorizationServerMetadata(s: McpPolicySettings): string {
  const entra = `https://login.microsoftonline.com/${s.tenantId}`;
  return JSON.stringify({
    issuer: gatewayAuthServer(s.resource).issuer,
    authorization_endpoint: `${entra}/oauth2/v2.0/authorize`,
    token_endpoint: `${entra}/oauth2/v2.0/token`,
    jwks_uri: `${entra}/discovery/v2.0/keys`,
    response_types_supported: ["code"],
    response_modes_supported: ["query", "fragment", "form_post"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic", "private_key_jwt"],
    scopes_supported: [...fullScopes(s, s.scopes), "openid", "profile", "offline_access"],
  });
}

/** Replaces the body of the PRM operation's return-response, keeping its status and headers as they are. */
function withBody(node: PolicyNode, body: string): PolicyNode {
  if (!isElement(node)) return node;
  if (node.name === "set-body") return el("set-body", node.attrs, body);
  return { ...node, children: node.children.map((c) => withBody(c, body)) } as PolicyElement;
}

function metadataFragments(s: McpPolicySettings, id: string, body: string): PolicyFragment[] {
  if (body.includes("{{") || body.includes("}}")) throw new Error("metadata document would be misread by APIM as a named-value reference");
  return prmFragments(s).map((f) => ({ ...f, id, nodes: f.nodes.map((n) => withBody(n, body) as PolicyElement) }));
}

/** Operation policy (no `<base/>`) answering the authorization server metadata without authentication. */
export function buildAuthServerMetadataPolicy(s: McpPolicySettings): string {
  return renderPolicyDocument(metadataFragments(s, "serveAuthorizationServerMetadata", authorizationServerMetadata(s)), { base: false });
}

/** The PRM operation policy with the gateway as the authorization server (instead of the Entra tenant). */
export function buildPrmPolicyWithGatewayAuthServer(s: McpPolicySettings): string {
  const prm = JSON.parse(protectedResourceMetadata(s)) as Record<string, unknown>;
  const body = JSON.stringify({ ...prm, authorization_servers: [gatewayAuthServer(s.resource).issuer] });
  return renderPolicyDocument(metadataFragments(s, "serveProtectedResourceMetadata", body), { base: false });
}
