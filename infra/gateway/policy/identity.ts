/** Identity towards the backend: no token passthrough, look-alike identity headers refused. */
import { el } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString, expr, strVar, Vars } from "./expressions";
import { deleteHeader, setHeader } from "./elements";
import { CLIENT_IDENTITY_HEADERS, refuseWhen, RpcErrors } from "./respond";
import { lookAlikeHeaderCode } from "./headers";

/**
 * C# returning true when a request header merely LOOKS like an identity header: `set-header` deletes exact names
 * only (case-insensitively), while WSGI/CGI, nginx and others map `-`, `_` (and sloppy whitespace) to one variable,
 * so `X_MCP_Caller_Oid` would reach such a backend as the caller's identity. Refused (a header name cannot be an
 * expression, so look-alikes cannot be deleted): a name in the gateway's own `X-MCP-` namespace, or in App
 * Service/Container Apps authentication's `X-MS-CLIENT-PRINCIPAL*`/`X-MS-TOKEN-*`, or equal to a deleted header once
 * `-`, `_` and whitespace are dropped, unless it is exactly a header the gateway deletes. Other `X-MS-*` headers
 * (Azure SDK request ids) pass.
 */
function lookAlikeIdentityHeaderCode(): string {
  return lookAlikeHeaderCode(
    ["Authorization", ...CLIENT_IDENTITY_HEADERS],
    `Regex.IsMatch(lower, @"^x[-_\\s]*mcp[-_\\s]") || flat.StartsWith("xmsclientprincipal") || flat.StartsWith("xmstoken")`,
  );
}

/**
 * Control 6: no token passthrough. The client's Authorization and any client-sent identity headers are deleted,
 * the caller identity is re-sent from the validated token, and the gateway authenticates to the backend with
 * its own managed identity for the backend's audience.
 */
export function forwardIdentity(s: McpPolicySettings): PolicyFragment {
  const claim = (name: string): string => expr(`context.Variables.GetValueOrDefault<Jwt>(${csString(Vars.token)}).Claims.GetValueOrDefault(${csString(name)}, "")`);
  return {
    id: "forwardIdentity",
    section: "inbound",
    controls: [6],
    nodes: [
      refuseWhen(s, block(lookAlikeIdentityHeaderCode()), {
        status: 400,
        code: RpcErrors.invalidRequest,
        message: "Request header not allowed.",
        decision: "deny:identity-header",
      }),
      deleteHeader("Authorization"),
      ...CLIENT_IDENTITY_HEADERS.map(deleteHeader),
      setHeader("X-MCP-Caller-Tenant", claim("tid")),
      setHeader("X-MCP-Caller-Oid", expr(`${strVar(Vars.caller)}.Substring(${strVar(Vars.caller)}.IndexOf(':') + 1)`)),
      setHeader("X-MCP-Caller-Roles", claim("roles")),
      setHeader("X-MCP-Caller-Scopes", claim("scp")),
      setHeader("X-MCP-Client-App", expr(strVar(Vars.clientApp))),
      el("authentication-managed-identity", { resource: s.backend.audience, "client-id": s.backend.gatewayIdentityClientId }),
      el("set-backend-service", { "backend-id": s.backend.backendId }),
    ],
  };
}
