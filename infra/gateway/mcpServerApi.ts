import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import {
  buildMcpApiPolicy,
  buildPrmPolicy,
  CREDENTIAL_QUERY_PARAMS,
  mcpNamedValues,
  resolveMcpPolicySettings,
  type McpPolicySettings,
} from "./policy";
import { buildAuthServerMetadataPolicy, buildPrmPolicyWithGatewayAuthServer } from "./policy/authServerMetadata";
import { afterGrants } from "../shared/grantPropagation";
import type { McpServerApiArgs } from "./serverApiArgs";
import {
  assertBackendUrl,
  assertGatewayHost,
  assertRefusalFragmentMatches,
  knownScopeNames,
  mcpEntityId,
  mcpPolicySettingsInput,
  mcpServerUrls,
  namedValueProperties,
  resolveMcpServerApiDefaults,
  validateMcpServerPolicyOptions,
} from "./serverApiSettings";
import { assertSameDocument, deploymentNamedValues, deploymentValueName, type DeploymentValueKey, referenceDeploymentValues, withPlaceholders } from "./policyReferences";

/** A server's policy documents: the API's, the protected resource metadata's, and the authorization server metadata's when served. */
interface McpPolicyDocuments {
  readonly api: string;
  readonly prm: string;
  readonly asm?: string;
}

const DEPLOYMENT_VALUE_KEYS: readonly DeploymentValueKey[] = ["clientId", "applicationIdUri", "backendAudience", "gatewayIdentityClientId"];


export * from "./serverApiArgs";
export * from "./serverApiSettings";

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
    // set of named values derived) now, on the options alone; the rest when the deployment values resolve.
    const options = validateMcpServerPolicyOptions(server, args.policy);
    assertRefusalFragmentMatches(options, args.refusalFragment);
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
    // The option named values (tools, limits, ...) depend on the plain options only, so they are known during
    // preview; the deployed settings must agree (checked when they resolve).
    const optionValues = mcpNamedValues(options);
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
