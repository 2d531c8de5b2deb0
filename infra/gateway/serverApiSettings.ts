import { DNS_HOST_NAME } from "../../baseline/identifiers";
import type * as apimanagement from "@pulumi/azure-native/apimanagement";
import type * as pulumi from "@pulumi/pulumi";
import type { McpEntraAppInfo } from "../entra";
import { resolveMcpPolicyOptions, type McpPolicyOptionSettings, type McpPolicyOptionsInput, type McpPolicySettingsInput } from "./policy";
import type { McpRefusalFragment } from "./refusalFragment";
import type { McpCircuitBreakerOptions, McpServerApiArgs, McpServerPolicyOptions } from "./serverApiArgs";

/** McpServerApi's pure part: checks, defaults, URLs and the policy settings input, all before anything is registered. */

/** The short scope names of an Entra application, when known before deployment (`scopeNames`, or plain scopes under a plain ID URI). */
export function knownScopeNames(entra: McpEntraAppInfo): readonly string[] | undefined {
  if (entra.scopeNames !== undefined) return entra.scopeNames;
  const { scopes, applicationIdUri } = entra;
  if (typeof applicationIdUri !== "string" || !Array.isArray(scopes) || !scopes.every((s): s is string => typeof s === "string"))
    return undefined;
  return scopeNames(applicationIdUri, scopes);
}

/** A named value as the kit declares it: inline and plain, or secret and held in Key Vault. */
export interface NamedValueSpec {
  readonly id: string;
  readonly displayName: string;
  readonly secret: boolean;
  /** Inline value; refused for secrets. */
  readonly value?: pulumi.Input<string>;
  /** Key Vault reference; required for secrets (the gateway reads it with its identity). */
  readonly keyVault?: { readonly secretIdentifier: pulumi.Input<string>; readonly identityClientId: pulumi.Input<string> };
}

/**
 * The `NamedValue` inputs of a spec. A secret must be a Key Vault reference: an inline secret would
 * sit in the Pulumi state and the APIM configuration, outside Key Vault's access control and audit.
 */
export function namedValueProperties(
  spec: NamedValueSpec,
): Pick<apimanagement.NamedValueArgs, "displayName" | "secret" | "value" | "keyVault"> {
  if (spec.secret) {
    if (spec.value !== undefined) {
      throw new Error(
        `Named value "${spec.id}" is secret but has an inline value. Store it in Key Vault and pass keyVault { secretIdentifier, identityClientId } instead.`,
      );
    }
    if (!spec.keyVault) {
      throw new Error(
        `Named value "${spec.id}" is secret but has no keyVault reference. Pass keyVault { secretIdentifier, identityClientId }.`,
      );
    }
    return { displayName: spec.displayName, secret: true, keyVault: spec.keyVault };
  }
  if (spec.value === undefined) throw new Error(`Named value "${spec.id}" has no value. Set value (or make it a Key Vault secret).`);
  if (spec.keyVault) throw new Error(`Named value "${spec.id}" has a keyVault reference but is not marked secret. Set secret: true.`);
  return { displayName: spec.displayName, secret: false, value: spec.value };
}

/** Throws unless `host` is a bare DNS name (no scheme, port or path). */
export function assertGatewayHost(host: string): void {
  if (!DNS_HOST_NAME.test(host)) {
    throw new Error(
      `gatewayHost "${host}" is not a host name. Pass the bare name clients use, e.g. "mcp.contoso.com" or "<service>.azure-api.net".`,
    );
  }
}

/** Throws unless `url` is an https origin without path, query or credentials. */
export function assertBackendUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    parsed.protocol !== "https:" ||
    parsed.username ||
    parsed.search ||
    parsed.hash ||
    (parsed.pathname !== "/" && parsed.pathname !== "")
  ) {
    throw new Error(
      `backendUrl "${url}" must be an https origin such as "https://<app>.<env>.azurecontainerapps.io": TLS to the backend is validated and plain http is refused.`,
    );
  }
}

/** Id of a server's API and of its backend entity inside the service (`mcp-<server>`). */
export function mcpEntityId(server: string): string {
  return `mcp-${server}`;
}

/** The public URLs of one server. `resource` is the canonical server URL: the MCP endpoint, no trailing slash. */
export function mcpServerUrls(host: string, server: string): { mcpUrl: string; resource: string; prmUrl: string; rootPrmUrl: string } {
  const mcpUrl = `https://${host}/${server}/mcp`;
  return {
    mcpUrl,
    resource: mcpUrl,
    prmUrl: `https://${host}/.well-known/oauth-protected-resource/${server}/mcp`,
    rootPrmUrl: `https://${host}/.well-known/oauth-protected-resource`,
  };
}

/** The short scope names (`mcp.invoke`) of full scope strings under an application ID URI. */
export function scopeNames(applicationIdUri: string, scopes: readonly string[]): string[] {
  return scopes.map((scope) => {
    const prefix = `${applicationIdUri}/`;
    if (!scope.startsWith(prefix)) {
      throw new Error(
        `entra.scopes entry "${scope}" is not under the application ID URI "${applicationIdUri}". Scopes must be "<applicationIdUri>/<name>".`,
      );
    }
    return scope.slice(prefix.length);
  });
}

/** Everything the settings need, resolved to plain values. */
export interface McpServerSettingsValues {
  readonly tenantId: string;
  readonly clientId: string;
  readonly applicationIdUri: string;
  readonly scopes: readonly string[];
  readonly allowedClientAppIds: readonly string[];
  readonly gatewayHost: string;
  readonly gatewayIdentityClientId: string;
  readonly backendAudience: string;
  readonly contentSafetyEndpoint?: string;
  /** The refusal fragment's name in the service. @default "mcp-refusal" */
  readonly refusalFragmentId?: string;
}

/**
 * The policy settings input for one server (pure). The PRM `resource` is the canonical URL; the
 * accepted audience is the client id (Entra v2 access tokens always carry it), plus the application ID
 * URI only when v1 tokens are accepted (v1 tokens carry what the client requested); scopes are
 * advertised under the application ID URI. With a custom domain the application ID URI IS the
 * canonical URL; without one it is `api://<clientId>`.
 */
export function mcpPolicySettingsInput(
  server: string,
  policy: McpServerPolicyOptions,
  v: McpServerSettingsValues,
  backendId: string,
): McpPolicySettingsInput {
  assertGatewayHost(v.gatewayHost);
  const urls = mcpServerUrls(v.gatewayHost, server);
  if (v.applicationIdUri.startsWith("https://") && v.applicationIdUri !== urls.resource) {
    throw new Error(
      `entra.applicationIdUri "${v.applicationIdUri}" differs from the canonical server URL "${urls.resource}". Entra refuses a resource parameter that differs from the application ID URI (AADSTS9010010): set the ID URI to the canonical URL.`,
    );
  }
  const { backendTimeoutSeconds, contentSafety, ...rest } = policy;
  return {
    ...rest,
    serverName: server,
    apiPath: `${server}/mcp`,
    tenantId: v.tenantId,
    // v2 access tokens always carry the client id as aud; the identifier URI only in v1 tokens.
    audiences: (policy.acceptedTokenVersions ?? [2]).includes(1) ? [v.applicationIdUri, v.clientId] : [v.clientId],
    allowedClientAppIds: v.allowedClientAppIds,
    resource: urls.resource,
    applicationIdUri: v.applicationIdUri,
    prmUrl: urls.prmUrl,
    scopes: scopeNames(v.applicationIdUri, v.scopes),
    contentSafety: { ...contentSafety, endpoint: v.contentSafetyEndpoint },
    ...(v.refusalFragmentId !== undefined ? { refusalFragmentId: v.refusalFragmentId } : {}),
    backend: {
      backendId,
      audience: v.backendAudience,
      gatewayIdentityClientId: v.gatewayIdentityClientId,
      timeoutSeconds: backendTimeoutSeconds,
    },
  };
}

/** A server's policy options as the options part of the settings input (no deployment value in it). */
export function mcpPolicyOptionsInput(server: string, policy: McpServerPolicyOptions): McpPolicyOptionsInput {
  const { backendTimeoutSeconds, ...rest } = policy;
  return { ...rest, serverName: server, ...(backendTimeoutSeconds !== undefined ? { backend: { timeoutSeconds: backendTimeoutSeconds } } : {}) };
}

/**
 * Validates a server's plain policy options now and returns what they resolve to; the values known only once the
 * applications, the gateway and the backend exist are checked when they resolve. Throws `McpPolicySettingsError`.
 * Config validation calls this too, so a bad option is reported before any resource is declared.
 */
export function validateMcpServerPolicyOptions(server: string, policy: McpServerPolicyOptions): McpPolicyOptionSettings {
  return resolveMcpPolicyOptions(mcpPolicyOptionsInput(server, policy));
}

/** Throws unless the refusal fragment counts refusals in this server's metric namespace. */
export function assertRefusalFragmentMatches(
  settings: Pick<McpPolicyOptionSettings, "serverName" | "metricNamespace">,
  fragment: Pick<McpRefusalFragment, "metricNamespace">,
): void {
  if (settings.metricNamespace !== fragment.metricNamespace) {
    throw new Error(
      `McpServerApi "${settings.serverName}": policy.metricNamespace "${settings.metricNamespace}" differs from the refusal fragment's "${fragment.metricNamespace}", so its refusals would be counted in another namespace. Use the same metricNamespace for the McpRefusalFragment and every server on the service.`,
    );
  }
}

/** Secure defaults of the component's own (non-policy) options, in one place. */
export function resolveMcpServerApiDefaults(args: McpServerApiArgs): {
  publishRootMetadata: boolean;
  samplingPercentage: number;
  logClientIp: boolean;
  circuitBreaker: Required<McpCircuitBreakerOptions>;
} {
  const samplingPercentage = args.samplingPercentage ?? 100;
  if (!(samplingPercentage > 0 && samplingPercentage <= 100)) {
    throw new Error(`samplingPercentage ${samplingPercentage} must be in (0, 100]. Use 100 for a complete audit trail.`);
  }
  const circuitBreaker = { failureCount: 10, interval: "PT1M", tripDuration: "PT1M", ...args.circuitBreaker };
  if (!Number.isInteger(circuitBreaker.failureCount) || circuitBreaker.failureCount < 1) {
    throw new Error(`circuitBreaker.failureCount ${circuitBreaker.failureCount} must be a positive integer.`);
  }
  for (const key of ["interval", "tripDuration"] as const) {
    if (!/^P(T(\d+H)?(\d+M)?(\d+S)?)$/.test(circuitBreaker[key]) || circuitBreaker[key] === "PT") {
      throw new Error(`circuitBreaker.${key} "${circuitBreaker[key]}" is not an ISO 8601 duration such as "PT1M".`);
    }
  }
  return {
    publishRootMetadata: args.publishRootMetadata ?? false,
    samplingPercentage,
    logClientIp: args.logClientIp ?? true,
    circuitBreaker,
  };
}
