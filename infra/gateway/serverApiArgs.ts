import type * as pulumi from "@pulumi/pulumi";
import type { McpEntraAppInfo } from "../entra";
import type { Grant } from "../shared/grantPropagation";
import type { McpPolicySettingsInput } from "./policy";
import type { McpRefusalFragment } from "./refusalFragment";

/** What McpServerApi takes: the server, the service it is published on, its Entra application and its policy options. */

/**
 * What an MCP server's policy needs besides what the component derives itself (identity of the
 * server, tenant, audiences, resource, scopes, backend): tools, origins, versions, limits, Prompt Shields.
 * Plain values; the Content Safety endpoint is passed separately because it is usually an Output.
 */
export type McpServerPolicyOptions = Omit<
  McpPolicySettingsInput,
  | "serverName"
  | "apiPath"
  | "tenantId"
  | "audiences"
  | "allowedClientAppIds"
  | "resource"
  | "prmUrl"
  | "scopes"
  | "backend"
  | "contentSafety"
  | "refusalFragmentId"
> & {
  /** Required. Prompt Shields options (the endpoint comes from `contentSafetyEndpoint`). */
  readonly contentSafety: Omit<McpPolicySettingsInput["contentSafety"], "endpoint">;
  /**
   * Optional. Seconds before the gateway gives up on the backend (long tool calls, SSE streams).
   * @default 120
   */
  readonly backendTimeoutSeconds?: number;
};

/** The backend circuit breaker: trips on a burst of 5xx/429 answers and honours the backend's Retry-After. */
export interface McpCircuitBreakerOptions {
  /**
   * Optional. Failures within `interval` that trip the breaker.
   * @default 10
   */
  readonly failureCount?: number;
  /**
   * Optional. Window the failures are counted in (ISO 8601 duration).
   * @default "PT1M"
   */
  readonly interval?: string;
  /**
   * Optional. How long the breaker stays open (ISO 8601 duration).
   * @default "PT1M"
   */
  readonly tripDuration?: string;
}

export interface McpServerApiArgs {
  /** Required. The server's short name: the API path (`/<server>/mcp`), and the prefix of its ids. */
  readonly server: string;
  /** Required. Resource group of the API Management service. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Required. Name of the API Management service the API is attached to. */
  readonly serviceName: pulumi.Input<string>;
  /**
   * Required. Public host name clients use: the custom domain (`mcp.contoso.com`) or the service's
   * default `<name>.azure-api.net`. No scheme, no path.
   */
  readonly gatewayHost: pulumi.Input<string>;
  /** Required. Client id of the gateway's user-assigned identity (backend and Content Safety tokens). */
  readonly gatewayIdentityClientId: pulumi.Input<string>;
  /** Required. The server's internal address, `https://<container app fqdn>`. */
  readonly backendUrl: pulumi.Input<string>;
  /** Required. Audience of the gateway's token to the backend: the backend application's ID URI or client id. */
  readonly backendAudience: pulumi.Input<string>;
  /** Required. The server's Entra application (`McpEntraApplication` or `resolveExistingEntraApplication`). */
  readonly entra: McpEntraAppInfo;
  /**
   * Optional. Azure AI Content Safety endpoint for Prompt Shields; required when
   * `policy.contentSafety.enabled` is true (the default), ignored otherwise.
   * @default none
   */
  readonly contentSafetyEndpoint?: pulumi.Input<string>;
  /** Required. Tools, origins, limits and the rest of the policy options. */
  readonly policy: McpServerPolicyOptions;
  /**
   * Optional. Role assignments the policy's calls use (the gateway identity's Cognitive Services User for Prompt
   * Shields): the API policy is published only once they have taken effect (`afterGrants`), never into minutes of 503s.
   * @default none
   */
  readonly policyGrants?: readonly Grant[];
  /** Required. ARM id of the service's Application Insights logger. */
  readonly loggerId: pulumi.Input<string>;
  /**
   * Required. The service's refusal fragment (one `McpRefusalFragment` per API Management service): every refusal
   * in this API's policy includes it, so the policy is saved after it. Its metric namespace must be this
   * server's `policy.metricNamespace`.
   */
  readonly refusalFragment: McpRefusalFragment;
  /**
   * Optional. Also serve the metadata at the host-root `/.well-known/oauth-protected-resource`. Only
   * valid when this is the only MCP server on the host (the platform decides); two servers cannot
   * both own the root document.
   * @default false
   */
  readonly publishRootMetadata?: boolean;
  /**
   * Optional. Serve RFC 8414 authorization server metadata for this server at
   * `/.well-known/oauth-authorization-server/<server>/mcp` (Entra's endpoints, PKCE S256 declared) and name
   * the gateway as the authorization server in the PRM, for clients that stop at Entra's metadata (it omits
   * `code_challenge_methods_supported`). Nothing is proxied; trade-offs in docs/clients.md.
   * @default false
   */
  readonly serveAuthServerMetadata?: boolean;
  /**
   * Optional. Percentage of requests Application Insights samples. Below 100 the audit trail has gaps.
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * Optional. Record the caller's IP address in Application Insights.
   * @default true
   */
  readonly logClientIp?: boolean;
  /**
   * Optional. Circuit breaker settings.
   * @default { failureCount: 10, interval: "PT1M", tripDuration: "PT1M" }
   */
  readonly circuitBreaker?: McpCircuitBreakerOptions;
}
