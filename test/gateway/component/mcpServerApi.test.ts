import type * as pulumi from "@pulumi/pulumi";
import { MockRuntime, type RecordedResource } from "../../../testing/mock/mockRuntime";
import { parsePolicyXml, namedValueReferences, childElements, textOf, substituteNamedValues } from "../../support/apim/xml";
import type { Element } from "@xmldom/xmldom";

type Gateway = typeof import("../../../infra/gateway");

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "0b1f3d7e-2c4a-4e8f-9a6b-5d7c8e9f0a1b";
const GATEWAY_CLIENT = "9d3c1f6e-7b2a-4c5d-8e9f-0a1b2c3d4e5f";
const VSCODE = "aebc6443-996d-45c2-90f0-388ff96faa56";
const LOGGER = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcp/providers/Microsoft.ApiManagement/service/apim-mcp/loggers/appinsights";

let runtime: MockRuntime;
let gw: Gateway;
let refusal: InstanceType<Gateway["McpRefusalFragment"]>;

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

function server(name: string, host: string, applicationIdUri: string, publishRootMetadata: boolean) {
  return new gw.McpServerApi(name, {
    server: name,
    resourceGroupName: "rg-mcp",
    serviceName: "apim-mcp",
    gatewayHost: host,
    gatewayIdentityClientId: GATEWAY_CLIENT,
    backendUrl: `https://${name}.internal.kindfield-1234.westeurope.azurecontainerapps.io`,
    backendAudience: "api://5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
    entra: gw.resolveExistingEntraApplication({ tenantId: TENANT, clientId: CLIENT, applicationIdUri, allowedClientAppIds: [VSCODE] }),
    contentSafetyEndpoint: "https://cs-mcp.cognitiveservices.azure.com",
    policy: {
      tools: [
        { name: "get_forecast", scopes: ["mcp.invoke"] },
        { name: "set_alert", roles: ["tools.admin"] },
      ],
      allowedOrigins: ["https://app.contoso.com"],
      contentSafety: {},
    },
    loggerId: LOGGER,
    refusalFragment: refusal,
    publishRootMetadata,
  });
}

const CANONICAL = "https://mcp.contoso.com/weather/mcp";
let weather: InstanceType<Gateway["McpServerApi"]>;

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "gateway-component" });
  gw = await import("../../../infra/gateway");
  refusal = new gw.McpRefusalFragment("apim-mcp-refusal", { resourceGroupName: "rg-mcp", serviceName: "apim-mcp" });
  // A custom domain: the App ID URI is the canonical URL. Published alone at the host root too.
  weather = server("weather", "mcp.contoso.com", CANONICAL, true);
  // No custom domain: api://<clientId>; a second server never owns the root document.
  server("tickets", "apim-mcp.azure-api.net", `api://${CLIENT}`, false);
  await runtime.settle();
});

const childrenOf = (component: string, type: string): RecordedResource[] =>
  runtime.ofType(type).filter((r) => r.parent !== null && r.parent.endsWith(`McpServerApi::${component}`));
const apiNamed = (apiId: string) => runtime.ofType("azure-native:apimanagement:Api").find((r) => r.inputs.apiId === apiId)!;

describe("McpServerApi: the MCP API", () => {
  it("is https only, needs no subscription key and forwards through the policy's backend", () => {
    const api = apiNamed("mcp-weather");
    expect(api.inputs).toMatchObject({ path: "weather", protocols: ["https"], subscriptionRequired: false, apiType: "http", isCurrent: true });
    expect(api.inputs.serviceUrl).toBeUndefined();
  });

  it("has exactly POST, GET and DELETE on /mcp and no catch-all", () => {
    const apiUrn = apiNamed("mcp-weather").urn;
    const ops = runtime.ofType("azure-native:apimanagement:ApiOperation").filter((o) => o.propertyDependencies.apiId?.includes(apiUrn));
    expect(ops.map((o) => o.inputs.method).sort()).toEqual(["DELETE", "GET", "POST"]);
    for (const op of ops) expect(op.inputs.urlTemplate).toBe("/mcp");
  });

  it("exposes the endpoint, metadata URL and resource", async () => {
    expect(await value(weather.mcpUrl)).toBe(CANONICAL);
    expect(await value(weather.resource)).toBe(CANONICAL);
    expect(await value(weather.prmUrl)).toBe("https://mcp.contoso.com/.well-known/oauth-protected-resource/weather/mcp");
    expect(await value(weather.apiId)).toBe("mcp-weather");
  });
});

describe("McpServerApi: protected resource metadata", () => {
  const prmPolicyOf = (apiId: string): string => {
    const api = apiNamed(apiId);
    const policy = runtime
      .ofType("azure-native:apimanagement:ApiOperationPolicy")
      .find((p) => p.propertyDependencies.apiId?.includes(api.urn));
    expect(policy).toBeDefined();
    return policy!.inputs.value as string;
  };

  it("is served at the path-suffixed well-known URI by an anonymous https-only API", () => {
    const api = apiNamed("mcp-weather-prm");
    expect(api.inputs).toMatchObject({ path: ".well-known/oauth-protected-resource/weather", protocols: ["https"], subscriptionRequired: false });
    const ops = runtime.ofType("azure-native:apimanagement:ApiOperation").filter((o) => o.propertyDependencies.apiId?.includes(api.urn));
    expect(ops.map((o) => [o.inputs.method, o.inputs.urlTemplate])).toEqual([["GET", "/mcp"]]);
  });

  it("has no token validation, so clients can read it before they hold a token", () => {
    const doc = parsePolicyXml(prmPolicyOf("mcp-weather-prm"), "prm");
    for (const tag of ["validate-jwt", "validate-azure-ad-token", "base"]) {
      expect(doc.getElementsByTagName(tag).length).toBe(0);
    }
  });

  /** A published document as the gateway evaluates it: the service's named values substituted. */
  const asEvaluated = (xml: string) => {
    const doc = parsePolicyXml(xml, "prm");
    const values = Object.fromEntries(runtime.ofType("azure-native:apimanagement:NamedValue").map((nv) => [nv.inputs.displayName as string, nv.inputs.value as string]));
    substituteNamedValues(doc, values, "prm");
    return doc;
  };

  it("answers with resource = application ID URI, the tenant's v2 issuer and header-only bearer tokens", () => {
    const doc = asEvaluated(prmPolicyOf("mcp-weather-prm"));
    const bodies = Array.from(doc.getElementsByTagName("set-body")) as unknown as Element[];
    expect(bodies.length).toBeGreaterThan(0);
    const json = JSON.parse(textOf(bodies[0]!)) as Record<string, unknown>;
    expect(json.resource).toBe(CANONICAL);
    expect(String(json.resource).endsWith("/")).toBe(false);
    expect(json.authorization_servers).toEqual([`https://login.microsoftonline.com/${TENANT}/v2.0`]);
    expect(json.bearer_methods_supported).toEqual(["header"]);
    expect(json.scopes_supported).toEqual([`${CANONICAL}/mcp.invoke`]);
  });

  // Without a custom domain the resource stays the gateway URL (clients check it against the URL they
  // called) while scopes are under api://<clientId>, the only form Entra can issue.
  it("advertises api://<clientId> scopes when there is no custom domain", () => {
    const doc = asEvaluated(prmPolicyOf("mcp-tickets-prm"));
    const json = JSON.parse(textOf(doc.getElementsByTagName("set-body")[0] as unknown as Element)) as Record<string, unknown>;
    expect(json.resource).toBe("https://apim-mcp.azure-api.net/tickets/mcp");
    expect(json.scopes_supported).toEqual([`api://${CLIENT}/mcp.invoke`]);
  });

  it("publishes the host-root document only for the single server that asks for it", () => {
    const roots = runtime.ofType("azure-native:apimanagement:Api").filter((a) => a.inputs.path === ".well-known/oauth-protected-resource");
    expect(roots).toHaveLength(1);
    expect(roots[0]!.parent).toMatch(/McpServerApi::weather$/);
    expect(roots[0]!.inputs).toMatchObject({ protocols: ["https"], subscriptionRequired: false });
    expect(childrenOf("tickets", "azure-native:apimanagement:Api").map((a) => a.inputs.path).sort()).toEqual([
      ".well-known/oauth-protected-resource/tickets",
      "tickets",
    ]);
  });
});

describe("McpServerApi: backend", () => {
  it("validates the backend's certificate chain and name, trips a circuit breaker and holds no credentials", () => {
    const backend = childrenOf("weather", "azure-native:apimanagement:Backend")[0]!;
    expect(backend.inputs.url).toBe("https://weather.internal.kindfield-1234.westeurope.azurecontainerapps.io");
    expect(backend.inputs.tls).toEqual({ validateCertificateChain: true, validateCertificateName: true });
    expect(backend.inputs.credentials).toBeUndefined();
    const rules = (backend.inputs.circuitBreaker as { rules: Record<string, unknown>[] }).rules;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ acceptRetryAfter: true, tripDuration: "PT1M" });
    expect((rules[0]!.failureCondition as { statusCodeRanges: unknown[] }).statusCodeRanges).toEqual(
      expect.arrayContaining([{ min: 500, max: 599 }, { min: 429, max: 429 }]),
    );
  });
});

describe("McpServerApi: policy and named values", () => {
  const policyOf = (component: string) => childrenOf(component, "azure-native:apimanagement:ApiPolicy")[0]!;

  it("attaches a well-formed policy that validates Entra tokens", () => {
    const policy = policyOf("weather");
    expect(policy.inputs).toMatchObject({ policyId: "policy", format: "xml" });
    const doc = parsePolicyXml(policy.inputs.value as string, "weather");
    expect(childElements(doc.documentElement!).map((e) => e.tagName)).toEqual(["inbound", "backend", "outbound", "on-error"]);
    expect(doc.getElementsByTagName("validate-azure-ad-token").length + doc.getElementsByTagName("validate-jwt").length).toBeGreaterThan(0);
  });

  it("saves the policy after the service's one refusal fragment, which every refusal includes by its actual name", async () => {
    // Through the generic ARM resource under an explicit name: apimanagement.PolicyFragment's `id` input is
    // dropped by the SDK, so the provider would refuse it.
    expect(runtime.ofType("azure-native:apimanagement:PolicyFragment")).toEqual([]);
    const fragments = runtime.ofType("azure-native:resources:Resource");
    expect(fragments).toHaveLength(1);
    const fragment = fragments[0]!;
    expect(fragment.inputs).toMatchObject({
      resourceGroupName: "rg-mcp",
      resourceProviderNamespace: "Microsoft.ApiManagement",
      parentResourcePath: "service/apim-mcp",
      resourceType: "policyFragments",
      resourceName: "mcp-refusal",
      apiVersion: "2024-05-01",
      properties: { format: "xml" },
    });
    const fragmentId = await value(refusal.fragmentId);
    expect(fragmentId).toBe("mcp-refusal");
    const root = parsePolicyXml((fragment.inputs.properties as { value: string }).value, "fragment").documentElement!;
    expect(root.tagName).toBe("fragment");
    expect(root.getElementsByTagName("return-response")).toHaveLength(1);
    for (const server of ["weather", "tickets"]) {
      const policy = policyOf(server);
      expect(policy.dependencies).toContain(fragment.urn);
      const includes = Array.from(parsePolicyXml(policy.inputs.value as string, server).getElementsByTagName("include-fragment")) as unknown as Element[];
      expect(includes.length).toBeGreaterThan(20);
      expect(new Set(includes.map((e) => e.getAttribute("fragment-id")))).toEqual(new Set([fragmentId]));
    }
  });

  it("creates every named value the policy references, inline and not secret, before the policy", () => {
    const policy = policyOf("weather");
    const namedValues = childrenOf("weather", "azure-native:apimanagement:NamedValue");
    expect(namedValues.length).toBeGreaterThan(0);
    for (const nv of namedValues) {
      expect(nv.inputs.secret).toBe(false);
      expect(nv.inputs.keyVault).toBeUndefined();
      expect(typeof nv.inputs.value).toBe("string");
      expect(nv.inputs.displayName).toMatch(/^mcp-weather-/);
      expect(policy.dependencies).toContain(nv.urn);
    }
    const declared = namedValues.map((nv) => nv.inputs.displayName);
    for (const ref of namedValueReferences(policy.inputs.value as string)) expect(declared).toContain(ref);
    const tools = namedValues.find((nv) => nv.inputs.displayName === "mcp-weather-tools")!;
    expect(tools.inputs.value).toContain("get_forecast");
  });

  it("refuses inline secret named values and accepts Key Vault references", () => {
    expect(() => gw.namedValueProperties({ id: "x", displayName: "x", secret: true, value: "hunter2" })).toThrow(/Key Vault/);
    expect(() => gw.namedValueProperties({ id: "x", displayName: "x", secret: true })).toThrow(/keyVault/);
    expect(
      gw.namedValueProperties({
        id: "x",
        displayName: "x",
        secret: true,
        keyVault: { secretIdentifier: "https://kv.vault.azure.net/secrets/x", identityClientId: GATEWAY_CLIENT },
      }),
    ).toEqual({ displayName: "x", secret: true, keyVault: { secretIdentifier: "https://kv.vault.azure.net/secrets/x", identityClientId: GATEWAY_CLIENT } });
  });
});

describe("McpServerApi: diagnostics", () => {
  it("logs to Application Insights with W3C correlation and never logs bodies or headers", () => {
    const diag = childrenOf("weather", "azure-native:apimanagement:ApiDiagnostic")[0]!;
    expect(diag.inputs).toMatchObject({ loggerId: LOGGER, httpCorrelationProtocol: "W3C", logClientIp: true, sampling: { samplingType: "fixed", percentage: 100 } });
    for (const side of ["frontend", "backend"] as const) {
      const settings = diag.inputs[side] as Record<"request" | "response", { headers: string[]; body: { bytes: number } }>;
      for (const message of ["request", "response"] as const) {
        expect(settings[message].headers).toEqual([]);
        expect(settings[message].body.bytes).toBe(0);
      }
    }
  });
});

describe("McpServerApi: validation", () => {
  it("refuses an https application ID URI that is not the canonical URL", () => {
    expect(() =>
      gw.mcpPolicySettingsInput("weather", { tools: [], contentSafety: {} }, {
        tenantId: TENANT,
        clientId: CLIENT,
        applicationIdUri: "https://mcp.contoso.com/weather",
        scopes: ["https://mcp.contoso.com/weather/mcp.invoke"],
        allowedClientAppIds: [],
        gatewayHost: "mcp.contoso.com",
        gatewayIdentityClientId: GATEWAY_CLIENT,
        backendAudience: "api://x",
      }, "mcp-weather"),
    ).toThrow(/AADSTS9010010/);
  });

  it("refuses a plain-http backend and a host with a scheme", () => {
    expect(() => gw.assertBackendUrl("http://weather.internal.example.io")).toThrow(/https/);
    expect(() => gw.assertBackendUrl("https://weather.internal.example.io/path")).toThrow();
    expect(() => gw.assertGatewayHost("https://mcp.contoso.com")).toThrow(/host name/);
  });

  it("refuses invalid policy options when the component is constructed, not at deployment", () => {
    expect(() =>
      new gw.McpServerApi("broken", {
        server: "broken",
        resourceGroupName: "rg",
        serviceName: "apim",
        gatewayHost: "mcp.contoso.com",
        gatewayIdentityClientId: GATEWAY_CLIENT,
        backendUrl: "https://broken.example.io",
        backendAudience: "api://x",
        entra: gw.resolveExistingEntraApplication({ tenantId: TENANT, clientId: CLIENT, applicationIdUri: "https://mcp.contoso.com/broken/mcp" }),
        policy: { tools: [], contentSafety: {} },
        loggerId: LOGGER,
        refusalFragment: refusal,
      }),
    ).toThrow(/tools/);
  });

  it("refuses a server whose metric namespace differs from the refusal fragment's (its refusals would be counted elsewhere)", () => {
    expect(() => gw.assertRefusalFragmentMatches({ serverName: "weather", metricNamespace: "contoso.mcp" }, refusal)).toThrow(/metricNamespace "contoso.mcp" differs from the refusal fragment's "hardened-mcp"/);
    expect(() => gw.assertRefusalFragmentMatches({ serverName: "weather", metricNamespace: "hardened-mcp" }, refusal)).not.toThrow();
  });
});
