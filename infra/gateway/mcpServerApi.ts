import { DNS_HOST_NAME } from "../../baseline/identifiers";
import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import {
  buildMcpApiPolicy,
  buildPrmPolicy,
  CREDENTIAL_QUERY_PARAMS,
  mcpNamedValues,
  resolveMcpPolicySettings,
  type McpPolicySettings,
  type McpPolicySettingsInput,
} from "./policy";
import { buildAuthServerMetadataPolicy, buildPrmPolicyWithGatewayAuthServer } from "./policy/authServerMetadata";
import type { McpEntraAppInfo } from "../entra";
import type { McpRefusalFragment } from "./refusalFragment";
import { afterGrants, type Grant } from "../shared/grantPropagation";
import { assertSameDocument, deploymentNamedValues, deploymentValueName, type DeploymentValueKey, referenceDeploymentValues, withPlaceholders } from "./policyReferences";

/** A server's policy documents: the API's, the protected resource metadata's, and the authorization server metadata's when served. */
interface McpPolicyDocuments {
  readonly api: string;
  readonly prm: string;
  readonly asm?: string;
}

const DEPLOYMENT_VALUE_KEYS: readonly DeploymentValueKey[] = ["clientId", "applicationIdUri", "backendAudience", "gatewayIdentityClientId"];

/** The short scope names of an Entra application, when known before deployment (`scopeNames`, or plain scopes under a plain ID URI). */
export function knownScopeNames(entra: McpEntraAppInfo): readonly string[] | undefined {
  if (entra.scopeNames !== undefined) return entra.scopeNames;
  const { scopes, applicationIdUri } = entra;
  if (typeof applicationIdUri !== "string" || !Array.isArray(scopes) || !scopes.every((s): s is string => typeof s === "string")) return undefined;
  return scopeNames(applicationIdUri, scopes);
}

/**
 * What an MCP server's policy needs besides what the component derives itself (identity of the
 * server, tenant, audiences, resource, scopes, backend): tools, origins, versions, limits, Prompt Shields.
 * Plain values; the Content Safety endpoint is passed separately because it is usually an Output.
 */
export type McpServerPolicyOptions = Omit<
  McpPolicySettingsInput,
  "serverName" | "apiPath" | "tenantId" | "audiences" | "allowedClientAppIds" | "resource" | "prmUrl" | "scopes" | "backend" | "contentSafety" | "refusalFragmentId"
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
export function namedValueProperties(spec: NamedValueSpec): Pick<apimanagement.NamedValueArgs, "displayName" | "secret" | "value" | "keyVault"> {
  if (spec.secret) {
    if (spec.value !== undefined) {
      throw new Error(`Named value "${spec.id}" is secret but has an inline value. Store it in Key Vault and pass keyVault { secretIdentifier, identityClientId } instead.`);
    }
    if (!spec.keyVault) {
      throw new Error(`Named value "${spec.id}" is secret but has no keyVault reference. Pass keyVault { secretIdentifier, identityClientId }.`);
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
    throw new Error(`gatewayHost "${host}" is not a host name. Pass the bare name clients use, e.g. "mcp.contoso.com" or "<service>.azure-api.net".`);
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
  if (!parsed || parsed.protocol !== "https:" || parsed.username || parsed.search || parsed.hash || (parsed.pathname !== "/" && parsed.pathname !== "")) {
    throw new Error(`backendUrl "${url}" must be an https origin such as "https://<app>.<env>.azurecontainerapps.io": TLS to the backend is validated and plain http is refused.`);
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
      throw new Error(`entra.scopes entry "${scope}" is not under the application ID URI "${applicationIdUri}". Scopes must be "<applicationIdUri>/<name>".`);
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
export function mcpPolicySettingsInput(server: string, policy: McpServerPolicyOptions, v: McpServerSettingsValues, backendId: string): McpPolicySettingsInput {
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

/** Stand-ins for values only known after deployment, used to validate the plain options up front. */
const PROBE: McpServerSettingsValues = {
  tenantId: "00000000-0000-0000-0000-000000000001",
  clientId: "00000000-0000-0000-0000-000000000002",
  applicationIdUri: "api://00000000-0000-0000-0000-000000000002",
  scopes: ["api://00000000-0000-0000-0000-000000000002/mcp.invoke"],
  allowedClientAppIds: [],
  gatewayHost: "gateway.example.net",
  gatewayIdentityClientId: "00000000-0000-0000-0000-000000000003",
  backendAudience: "api://00000000-0000-0000-0000-000000000004",
  contentSafetyEndpoint: "https://contentsafety.example.net",
};

/**
 * Validates a server's plain policy options now, with stand-ins for the deployment-time values (ids,
 * host, endpoints), and returns the settings they resolve to. Throws `McpPolicySettingsError`. Config
 * validation calls this too, so a bad option is reported before any resource is declared.
 */
export function validateMcpServerPolicyOptions(server: string, policy: McpServerPolicyOptions): McpPolicySettings {
  return resolveMcpPolicySettings(mcpPolicySettingsInput(server, policy, PROBE, mcpEntityId(server)));
}

/** Throws unless the refusal fragment counts refusals in this server's metric namespace. */
export function assertRefusalFragmentMatches(settings: Pick<McpPolicySettings, "serverName" | "metricNamespace">, fragment: Pick<McpRefusalFragment, "metricNamespace">): void {
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
  return { publishRootMetadata: args.publishRootMetadata ?? false, samplingPercentage, logClientIp: args.logClientIp ?? true, circuitBreaker };
}

const NO_PAYLOAD: apimanagement.ApiDiagnosticArgs["frontend"] = {
  request: {
    headers: [],
    body: { bytes: 0 },
    // Tokens never belong in a URL (the policy refuses them), but a refused request is still logged.
    dataMasking: { queryParams: CREDENTIAL_QUERY_PARAMS.map((value) => ({ value, mode: "Hide" })) },
  },
  response: { headers: [], body: { bytes: 0 } },
};

/**
 * One MCP server published on an existing API Management service: the Streamable HTTP API at
 * `/<server>/mcp` (POST, GET, DELETE only; https only; Entra instead of subscription keys), its
 * Protected Resource Metadata (RFC 9728) served without authentication, the named values and the
 * policy built from validated settings, a TLS-validating backend with a circuit breaker, and
 * Application Insights diagnostics that never log bodies or headers.
 */
export class McpServerApi extends pulumi.ComponentResource {
  /** The API's id inside the service (`mcp-<server>`). */
  public readonly apiId: pulumi.Output<string>;
  /** ARM id of the API. */
  public readonly apiResourceId: pulumi.Output<string>;
  /** `https://<host>/<server>/mcp`: what MCP clients are configured with. */
  public readonly mcpUrl: pulumi.Output<string>;
  /** `https://<host>/.well-known/oauth-protected-resource/<server>/mcp`. */
  public readonly prmUrl: pulumi.Output<string>;
  /** The PRM `resource`: the canonical server URL. */
  public readonly resource: pulumi.Output<string>;
  /** The resolved policy settings. */
  public readonly settings: pulumi.Output<McpPolicySettings>;
  /** The API-level policy document. */
  public readonly policyXml: pulumi.Output<string>;

  constructor(name: string, args: McpServerApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:McpServerApi", name, {}, opts);
    const d = resolveMcpServerApiDefaults(args);
    const server = args.server;
    const backendId = mcpEntityId(server);
    if (typeof args.gatewayHost === "string") assertGatewayHost(args.gatewayHost);
    if (typeof args.backendUrl === "string") assertBackendUrl(args.backendUrl);
    // Resources must be declared before Outputs resolve, so the plain options are validated (and the
    // set of named values derived) now.
    const probe = validateMcpServerPolicyOptions(server, args.policy);
    assertRefusalFragmentMatches(probe, args.refusalFragment);
    const service = { resourceGroupName: args.resourceGroupName, serviceName: args.serviceName };
    const child = { parent: this };

    const known = {
      tenantId: args.entra.tenantId,
      allowedClientAppIds: args.entra.allowedClientAppIds,
      gatewayHost: args.gatewayHost,
      contentSafetyEndpoint: args.contentSafetyEndpoint,
      refusalFragmentId: args.refusalFragment.fragmentId,
    };
    const values = pulumi.output({
      ...known,
      clientId: args.entra.clientId,
      applicationIdUri: args.entra.applicationIdUri,
      scopes: args.entra.scopes,
      gatewayIdentityClientId: args.gatewayIdentityClientId,
      backendAudience: args.backendAudience,
    });
    const settings = values.apply((v) => resolveMcpPolicySettings(mcpPolicySettingsInput(server, args.policy, v, backendId)));
    // The option named values (tools, limits, ...) depend on the plain options only, so their values are the
    // probe's, known during preview; the deployed settings must agree (checked when they resolve).
    const optionValues = mcpNamedValues(probe);
    const checkedSettings = settings.apply((s) => {
      const deployed = mcpNamedValues(s);
      for (const nv of optionValues) {
        if (deployed.find((d) => d.id === nv.id)?.value !== nv.value) throw new Error(`Named value "${nv.id}" differs between the options and the deployed settings.`);
      }
      return s;
    });
    const gatewayAs = args.serveAuthServerMetadata ?? false;
    const build = (s: McpPolicySettings): McpPolicyDocuments => ({
      api: buildMcpApiPolicy(s),
      prm: (gatewayAs ? buildPrmPolicyWithGatewayAuthServer : buildPrmPolicy)(s),
      ...(gatewayAs ? { asm: buildAuthServerMetadataPolicy(s) } : {}),
    });
    // The documents as published: known during preview when the scope names are (see policyReferences.ts), the
    // ids Entra and Azure assign then live in named values; otherwise built from the deployed values.
    const names = knownScopeNames(args.entra);
    const published: pulumi.Output<McpPolicyDocuments> = names
      ? pulumi.output(known).apply((k) => {
          const s = resolveMcpPolicySettings(mcpPolicySettingsInput(server, args.policy, withPlaceholders(k, names), backendId));
          const docs = build(s);
          const ref = (xml: string) => referenceDeploymentValues(server, xml);
          return { api: ref(docs.api), prm: ref(docs.prm), ...(docs.asm !== undefined ? { asm: ref(docs.asm) } : {}) };
        })
      : checkedSettings.apply(build);

    const backend = new apimanagement.Backend(
      `${name}-backend`,
      {
        ...service,
        backendId,
        title: `MCP server ${server}`,
        description: `Internal Container Apps address of ${server}; the gateway authenticates with its managed identity.`,
        url: pulumi.output(args.backendUrl).apply((url) => {
          assertBackendUrl(url);
          return url;
        }),
        protocol: "http",
        type: "Single",
        tls: { validateCertificateChain: true, validateCertificateName: true },
        circuitBreaker: {
          rules: [
            {
              name: "backend-failures",
              failureCondition: {
                count: d.circuitBreaker.failureCount,
                interval: d.circuitBreaker.interval,
                statusCodeRanges: [
                  { min: 429, max: 429 },
                  { min: 500, max: 599 },
                ],
              },
              tripDuration: d.circuitBreaker.tripDuration,
              acceptRetryAfter: true,
            },
          ],
        },
      },
      child,
    );

    // The deployment values the published documents reference, each checked against the documents built from
    // the deployed values before it is written.
    const deploymentValues = names
      ? pulumi.all([values, checkedSettings, published]).apply(([v, s, docs]) => {
          const nvs = deploymentNamedValues(server, v);
          const built = build(s);
          for (const [kind, xml] of Object.entries(docs)) assertSameDocument(`McpServerApi "${server}" ${kind} policy`, xml, nvs, built[kind as keyof McpPolicyDocuments]!);
          return nvs;
        })
      : undefined;
    const namedValueSpecs = [
      ...optionValues.map((nv) => ({ id: nv.id, displayName: nv.displayName, value: nv.value as pulumi.Input<string> })),
      ...(deploymentValues
        ? DEPLOYMENT_VALUE_KEYS.map((key) => {
            const id = deploymentValueName(server, key);
            return { id, displayName: id, value: deploymentValues.apply((nvs) => nvs.find((nv) => nv.id === id)!.value) };
          })
        : []),
    ];
    const namedValues = namedValueSpecs.map(
      (nv) =>
        new apimanagement.NamedValue(
          `${name}-nv-${nv.id}`,
          { ...service, namedValueId: nv.id, ...namedValueProperties({ id: nv.id, displayName: nv.displayName, secret: false, value: nv.value }) },
          child,
        ),
    );

    const api = new apimanagement.Api(
      `${name}-api`,
      {
        ...service,
        apiId: mcpEntityId(server),
        path: server,
        displayName: `MCP ${server}`,
        description: `Streamable HTTP endpoint of the ${server} MCP server (Entra ID tokens; no subscription keys).`,
        apiType: "http",
        protocols: ["https"],
        subscriptionRequired: false,
        isCurrent: true,
      },
      child,
    );
    const apiName = api.name;

    const operations = (
      [
        ["post", "POST", "Send a JSON-RPC message"],
        ["get", "GET", "Open the server-to-client SSE stream"],
        ["delete", "DELETE", "End the session"],
      ] as const
    ).map(
      ([id, method, displayName]) =>
        new apimanagement.ApiOperation(
          `${name}-op-${id}`,
          { ...service, apiId: apiName, operationId: `mcp-${id}`, method, urlTemplate: "/mcp", displayName },
          child,
        ),
    );

    const policyXml = published.api;
    // rawxml is for hand-written policies with unescaped expressions; xmlbuilder2 emits well-formed XML
    // with expressions entity-encoded, which is exactly what the "xml" content format parses.
    new apimanagement.ApiPolicy(
      `${name}-policy`,
      {
        ...service,
        // The wait for the grants rides on the API id (linked by dependency either way), so the document stays known.
        apiId: afterGrants(`the ${server} API policy`, args.policyGrants ?? [], apiName),
        policyId: "policy",
        format: "xml",
        value: policyXml,
      },
      { parent: this, dependsOn: [...namedValues, backend, ...operations, args.refusalFragment] },
    );

    new apimanagement.ApiDiagnostic(
      `${name}-diagnostic`,
      {
        ...service,
        apiId: apiName,
        diagnosticId: "applicationinsights",
        loggerId: args.loggerId,
        alwaysLog: "allErrors",
        sampling: { samplingType: "fixed", percentage: d.samplingPercentage },
        logClientIp: d.logClientIp,
        httpCorrelationProtocol: "W3C",
        verbosity: "information",
        operationNameFormat: "Name",
        metrics: true,
        frontend: NO_PAYLOAD,
        backend: NO_PAYLOAD,
      },
      child,
    );

    // The path-suffixed PRM URI sits at the host root, outside `/<server>`, so it is its own API. One
    // API per server keeps servers independent: adding or removing one never edits a shared resource.
    const prmPolicy = published.prm;
    this.metadataApi(`${name}-prm`, `${mcpEntityId(server)}-prm`, `.well-known/oauth-protected-resource/${server}`, "/mcp", server, prmPolicy, service, namedValues);
    if (gatewayAs) {
      const asm = published.apply((docs) => docs.asm!);
      this.metadataApi(`${name}-asm`, `${mcpEntityId(server)}-asm`, `.well-known/oauth-authorization-server/${server}`, "/mcp", server, asm, service, namedValues, "authorization server metadata");
    }
    if (d.publishRootMetadata) {
      this.metadataApi(`${name}-prm-root`, "mcp-prm-root", ".well-known/oauth-protected-resource", "/", server, prmPolicy, service, namedValues);
    }

    const urls = pulumi.output(args.gatewayHost).apply((host) => mcpServerUrls(host, server));
    this.apiId = apiName;
    this.apiResourceId = api.id;
    this.mcpUrl = urls.mcpUrl;
    this.prmUrl = urls.prmUrl;
    this.resource = urls.resource;
    this.settings = settings;
    this.policyXml = policyXml;
    this.registerOutputs({ apiId: this.apiId, mcpUrl: this.mcpUrl, prmUrl: this.prmUrl, resource: this.resource });
  }

  /** An anonymous, https-only API with one GET operation whose policy answers with the PRM document. */
  private metadataApi(
    name: string,
    apiId: string,
    path: string,
    urlTemplate: string,
    server: string,
    policy: pulumi.Output<string>,
    service: { resourceGroupName: pulumi.Input<string>; serviceName: pulumi.Input<string> },
    namedValues: readonly apimanagement.NamedValue[],
    label = "protected resource metadata",
  ): void {
    const api = new apimanagement.Api(
      name,
      {
        ...service,
        apiId,
        path,
        displayName: `MCP ${server} ${label}`,
        description: `${label === "protected resource metadata" ? "RFC 9728 Protected Resource Metadata" : "RFC 8414 authorization server metadata naming Entra's endpoints"}, served without authentication so clients can discover the authorization server.`,
        apiType: "http",
        protocols: ["https"],
        subscriptionRequired: false,
        isCurrent: true,
      },
      { parent: this },
    );
    const operation = new apimanagement.ApiOperation(
      `${name}-get`,
      { ...service, apiId: api.name, operationId: "get-metadata", method: "GET", urlTemplate, displayName: "Protected resource metadata" },
      { parent: this },
    );
    new apimanagement.ApiOperationPolicy(
      `${name}-policy`,
      { ...service, apiId: api.name, operationId: operation.name, policyId: "policy", format: "xml", value: policy },
      // API Management refuses a document that references a named value it does not have yet.
      { parent: this, dependsOn: [...namedValues] },
    );
  }
}
