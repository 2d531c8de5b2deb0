/**
 * Header and status hygiene around the backend: what a client may not steer on the way in, and what a backend may
 * not hand the client on the way out. Exact names only: `set-header` deletes a name case-insensitively, and a
 * header name cannot be an expression.
 */
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { expr } from "./expressions";
import { deleteHeader } from "./elements";
import { refuseWhen, RpcErrors } from "./respond";

/**
 * Request headers frameworks read to change the method (`X-HTTP-Method-Override` turns the authorized POST into a
 * DELETE or PUT at the backend), the path (`X-Original-URL`/`X-Rewrite-URL`: IIS/ASP.NET and Symfony route on them,
 * past the operation the gateway matched) or the public host/scheme (absolute URLs, redirects, OAuth metadata a
 * backend builds). The gateway already decided all of that, so none of them is forwarded. `X-Forwarded-For` stays:
 * API Management appends the client address to it on forwarding (Learn: "API Management FAQ"), and it only informs.
 */
export const OVERRIDE_AND_FORWARDING_HEADERS: readonly string[] = [
  "X-HTTP-Method-Override",
  "X-HTTP-Method",
  "X-Method-Override",
  "X-Original-URL",
  "X-Rewrite-URL",
  "X-Forwarded-Host",
  "X-Forwarded-Proto",
  "X-Forwarded-Prefix",
  "X-Forwarded-Port",
  "X-Original-Host",
  "Forwarded",
];

/**
 * Response headers a backend must not set on the gateway's origin: a cookie would be scoped to the gateway's host
 * (shared by every MCP server behind it), and CORS grants are the gateway's decision (`enableCors`), never a
 * backend's `Access-Control-Allow-Origin: *` with credentials.
 */
export const BACKEND_ONLY_RESPONSE_HEADERS: readonly string[] = [
  "Set-Cookie",
  "Set-Cookie2",
  "Access-Control-Allow-Origin",
  "Access-Control-Allow-Credentials",
  "Access-Control-Allow-Methods",
  "Access-Control-Allow-Headers",
  "Access-Control-Allow-Private-Network",
  "Access-Control-Expose-Headers",
  "Access-Control-Max-Age",
];

/** Control 6: method-override, URL-rewrite and forwarding headers never reach the backend. */
export function stripOverrideHeaders(): PolicyFragment {
  return { id: "stripOverrideHeaders", section: "inbound", controls: [6, 15], nodes: OVERRIDE_AND_FORWARDING_HEADERS.map(deleteHeader) };
}

/**
 * Control 6: a backend redirect is never relayed (forward-request does not follow it): `Location` could send the
 * client, with its bearer token, to any host, and MCP has no redirects. It becomes 502 with a JSON-RPC error; the
 * refusal builds a fresh response, so neither `Location` nor the backend body reaches the client.
 */
export function refuseBackendRedirects(s: McpPolicySettings): PolicyFragment {
  return {
    id: "refuseBackendRedirects",
    section: "outbound",
    controls: [6],
    nodes: [
      refuseWhen(s, expr(`context.Response.StatusCode >= 300 && context.Response.StatusCode < 400`), {
        status: 502,
        code: RpcErrors.internal,
        message: "Upstream MCP server answered with a redirect.",
        decision: "error:backend-redirect",
      }),
    ],
  };
}

/**
 * Control 12: cookies and CORS grants from the backend are removed. With `enableCors` only the cookies are: the
 * gateway's `cors` policy writes the Access-Control-* headers of allowlisted origins on the response, and where it
 * does so relative to the outbound section is not documented (nor emulated), so deleting them could break the
 * browser clients the option exists for.
 */
export function stripBackendResponseHeaders(s: McpPolicySettings): PolicyFragment {
  const names = s.enableCors ? BACKEND_ONLY_RESPONSE_HEADERS.filter((h) => !h.startsWith("Access-Control-")) : BACKEND_ONLY_RESPONSE_HEADERS;
  return { id: "stripBackendResponseHeaders", section: "outbound", controls: [12], nodes: names.map(deleteHeader) };
}
