import type { Element } from "@xmldom/xmldom";
import { finding } from "../types";
import { eqi, ofTypes, stackRule, str } from "../util";
import { credentialedBackendIds } from "./backends";
import { ALL_POLICY_TYPES, API, attr, childElements, descendants, OPERATION, parsePolicy, text } from "./document";
import { forEachMcpApi, fragments, includedFragments, McpConfig, MCP_CONFIG_SCHEMA, mcpApis, variablesRead } from "./effective";

/** Rules on what every MCP API's policy must do: validate tokens, strip them, rate limit, advertise metadata. */

// ---- Token validation --------------------------------------------------------------------------------------

const MULTI_TENANT = ["common", "organizations", "consumers"];

function audiences(e: Element): string[] {
  return descendants(e)
    .filter((c) => c.tagName === "audience")
    .map((c) => text(c).trim())
    .filter((a) => a !== "");
}

/** Why a validate-azure-ad-token / validate-jwt element does not bind tokens to one tenant and audience. */
export function tokenValidationProblem(e: Element): string | undefined {
  if (e.tagName === "validate-azure-ad-token") {
    const tenant = attr(e, "tenant-id").trim();
    if (tenant === "") return "validate-azure-ad-token has no tenant-id.";
    if (MULTI_TENANT.includes(tenant.toLowerCase())) return `validate-azure-ad-token accepts any tenant (tenant-id="${tenant}").`;
    if (audiences(e).length === 0) return "validate-azure-ad-token does not restrict <audiences> to this MCP server.";
    return undefined;
  }
  for (const flag of ["require-expiration-time", "require-signed-tokens"]) {
    if (eqi(attr(e, flag), "false")) return `validate-jwt sets ${flag}="false".`;
  }
  const configs = descendants(e).filter((c) => c.tagName === "openid-config");
  const urls = configs.map((c) => attr(c, "url"));
  if (urls.length === 0) return "validate-jwt has no <openid-config> of the tenant's issuer.";
  const multi = urls.find((u) => MULTI_TENANT.some((t) => new RegExp(`/${t}/`, "i").test(u)));
  if (multi !== undefined) return `validate-jwt trusts a multi-tenant issuer (${multi}).`;
  if (audiences(e).length === 0) return "validate-jwt does not restrict <audiences> to this MCP server.";
  return undefined;
}

export const apimMcpTokenValidation = stackRule({
  name: "azure-apim-mcp-token-validation",
  description:
    "Every MCP API must validate Entra ID tokens in its inbound policy: validate-azure-ad-token with a specific tenant-id, or validate-jwt with a tenant-specific openid-config, and in both cases an audience.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["token-passthrough", "confused-deputy", "session-hijacking"],
  remediation:
    'Add <validate-azure-ad-token tenant-id="<tenant guid>"><audiences><audience>api://<server app></audience></audiences></validate-azure-ad-token> to the API policy\'s inbound section.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) =>
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (inbound) => {
      const validators = inbound.filter((e) => e.tagName === "validate-azure-ad-token" || e.tagName === "validate-jwt");
      if (validators.length === 0) return "The inbound policy validates no token (validate-azure-ad-token or validate-jwt).";
      const problems = validators.map(tokenValidationProblem);
      return problems.some((p) => p === undefined) ? undefined : problems.join(" ");
    }),
});

export const apimMcpStripAuthorization = stackRule({
  name: "azure-apim-mcp-strip-authorization",
  description:
    "Every MCP API must delete the client's Authorization header before forwarding, so the caller's token never reaches the MCP server (no token passthrough).",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["token-passthrough", "confused-deputy"],
  remediation: 'Add <set-header name="Authorization" exists-action="delete" /> to the inbound section after token validation.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) =>
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (inbound) => {
      const strips = inbound.some(
        (e) => e.tagName === "set-header" && eqi(attr(e, "name"), "Authorization") && eqi(attr(e, "exists-action"), "delete"),
      );
      return strips ? undefined : 'The inbound policy does not delete the Authorization header (set-header exists-action="delete").';
    }),
});

export const apimMcpRateLimit = stackRule({
  name: "azure-apim-mcp-rate-limit",
  description: "Every MCP API must be rate limited in its inbound policy (rate-limit-by-key, ideally per caller, or rate-limit).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["prompt-injection", "excessive-permissions"],
  remediation:
    'Add <rate-limit-by-key calls="..." renewal-period="60" counter-key="@(context.Request.Headers.GetValueOrDefault(&quot;Authorization&quot;,&quot;&quot;).AsJwt()?.Subject)" /> to the inbound section.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) =>
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (inbound) =>
      inbound.some((e) => e.tagName === "rate-limit-by-key" || e.tagName === "rate-limit")
        ? undefined
        : "The inbound policy has no rate limit (rate-limit-by-key or rate-limit).",
    ),
});

// ---- Protected resource metadata ---------------------------------------------------------------------------

export const apimMcpWwwAuthenticate = stackRule({
  name: "azure-apim-mcp-www-authenticate",
  description:
    "Every MCP API must answer 401 with a WWW-Authenticate header naming its protected resource metadata (resource_metadata=...), as the MCP authorization spec requires for discovery.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["confused-deputy", "token-passthrough"],
  remediation:
    'On token failures (e.g. on-error when context.LastError.Source is "validate-jwt"), return 401 with <set-header name="WWW-Authenticate"><value>Bearer resource_metadata="https://<gateway>/.well-known/oauth-protected-resource/<server>"</value></set-header>.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) => {
    const byId = fragments(args.resources);
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (_inbound, root) => {
      // The challenge may be set by a fragment the policy includes (anywhere, e.g. a shared refusal), from a
      // context variable the policy sets.
      const scope = [root, ...includedFragments(root, byId)].flatMap(descendants);
      const setsChallenge = (variable: string) =>
        scope.some((e) => e.tagName === "set-variable" && attr(e, "name") === variable && attr(e, "value").includes("resource_metadata="));
      return scope.some(
        (e) =>
          e.tagName === "set-header" &&
          eqi(attr(e, "name"), "WWW-Authenticate") &&
          childElements(e).some((v) => v.tagName === "value" && (text(v).includes("resource_metadata=") || variablesRead(text(v)).some(setsChallenge))),
      )
        ? undefined
        : "No response carries WWW-Authenticate with resource_metadata; clients cannot discover how to authenticate.";
    });
  },
});

export const PRM_PATH = "/.well-known/oauth-protected-resource";

/** A policy that answers with a protected resource metadata document (RFC 9728) itself. */
function servesPrmDocument(root: Element): boolean {
  return descendants(root).some(
    (e) => e.tagName === "return-response" && descendants(e).some((b) => b.tagName === "set-body" && text(b).includes("authorization_servers")),
  );
}

export const apimMcpProtectedResourceMetadata = stackRule({
  name: "azure-apim-mcp-protected-resource-metadata",
  description:
    "A stack with MCP APIs must serve the OAuth protected resource metadata document (/.well-known/oauth-protected-resource), which MCP clients use to discover the authorization server.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["token-passthrough", "confused-deputy"],
  remediation: `Add an API or operation at ${PRM_PATH} whose policy returns the metadata JSON (resource, authorization_servers, scopes_supported).`,
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) => {
    const config = args.getConfig<McpConfig>();
    const mcp = mcpApis(args.resources, config);
    if (mcp.length === 0) return;
    const routes = [
      ...ofTypes(args.resources, [API]).map((a) => `/${str(a.props["path"]) ?? ""}`),
      ...ofTypes(args.resources, [OPERATION]).map((o) => str(o.props["urlTemplate"]) ?? ""),
    ];
    const routed = routes.some((r) => r.toLowerCase().includes(PRM_PATH.slice(1)));
    const served = ofTypes(args.resources, ALL_POLICY_TYPES).some((p) => {
      const parsed = parsePolicy(p.props);
      return parsed.kind === "xml" && servesPrmDocument(parsed.root);
    });
    if (routed || served) return;
    for (const api of mcp) {
      report(finding(api.name, `Nothing serves ${PRM_PATH} for this MCP API; clients cannot discover its authorization server.`), api.urn);
    }
  },
});

export const apimMcpBackendIdentity = stackRule({
  name: "azure-apim-mcp-backend-managed-identity",
  description:
    "Every MCP API must call its MCP server with the gateway's own credentials: an authentication-managed-identity token for the server's audience, or a routed Backend that carries credentials; never with the caller's token.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "confused-deputy"],
  remediation: 'Add <authentication-managed-identity resource="api://<server app>" /> to the API policy\'s inbound section (after deleting the caller\'s Authorization header).',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) => {
    const credentialed = credentialedBackendIds(args.resources);
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (_inbound, root) => {
      const elements = descendants(root);
      const identity = elements.some((e) => e.tagName === "authentication-managed-identity" && attr(e, "resource").trim() !== "");
      const routed = elements.some((e) => e.tagName === "set-backend-service" && credentialed.includes(attr(e, "backend-id").toLowerCase()));
      return identity || routed ? undefined : "The policy neither acquires a managed-identity token for the MCP server nor routes to a credentialed backend.";
    });
  },
});

