/**
 * The gateway's optional authorization server metadata (infra/gateway/policy/authServerMetadata.ts): the
 * document names only Entra's endpoints for the tenant and declares S256, the PRM variant names the gateway,
 * both are anonymous operation policies, and McpServerApi publishes them only when asked. The SDK client and a
 * strict client run through them in test/e2e/discovery.test.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { buildPrmPolicy } from "../../../infra/gateway/policy";
import {
  authorizationServerMetadata,
  buildAuthServerMetadataPolicy,
  buildPrmPolicyWithGatewayAuthServer,
  gatewayAuthServer,
} from "../../../infra/gateway/policy/authServerMetadata";
import { MockRuntime } from "../../../testing/mock/mockRuntime";
import { textOf } from "../../support/apim/xml";
import { all, parse, settings } from "./fixtures";

const bodyOf = (xml: string): Record<string, unknown> => JSON.parse(textOf(all(parse(xml), "set-body")[0]!)) as Record<string, unknown>;

describe("authorization server metadata document", () => {
  const s = settings();

  it("names Entra's endpoints for the tenant, declares S256 and no registration endpoint", () => {
    expect(JSON.parse(authorizationServerMetadata(s))).toEqual({
      issuer: "https://mcp.contoso.com/weather",
      authorization_endpoint: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/authorize",
      token_endpoint: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token",
      jwks_uri: "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/discovery/v2.0/keys",
      response_types_supported: ["code"],
      response_modes_supported: ["query", "fragment", "form_post"],
      grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic", "private_key_jwt"],
      scopes_supported: ["https://mcp.contoso.com/weather/tools.read", "openid", "profile", "offline_access"],
    });
  });

  it("is served where RFC 8414 puts it for that issuer (well-known segment between host and path)", () => {
    expect(gatewayAuthServer("https://mcp.contoso.com/weather/mcp")).toEqual({
      issuer: "https://mcp.contoso.com/weather/mcp",
      metadataUrl: "https://mcp.contoso.com/.well-known/oauth-authorization-server/weather/mcp",
    });
  });

  it("is an anonymous operation policy: no <base/>, no token validation, 200 JSON with the security headers", () => {
    const doc = parse(buildAuthServerMetadataPolicy(s));
    expect(all(doc, "base")).toHaveLength(0);
    expect(all(doc, "validate-jwt")).toHaveLength(0);
    expect(all(doc, "set-status")[0]!.getAttribute("code")).toBe("200");
    const headers = all(doc, "set-header").map((h) => h.getAttribute("name"));
    expect(headers).toEqual(expect.arrayContaining(["Content-Type", "Strict-Transport-Security", "X-Content-Type-Options"]));
    expect(bodyOf(buildAuthServerMetadataPolicy(s))).toEqual(JSON.parse(authorizationServerMetadata(s)));
  });

  it("the PRM variant differs from the default one only in naming the gateway as authorization server", () => {
    const entra = bodyOf(buildPrmPolicy(s));
    const gateway = bodyOf(buildPrmPolicyWithGatewayAuthServer(s));
    expect(entra.authorization_servers).toEqual(["https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"]);
    expect(gateway).toEqual({ ...entra, authorization_servers: ["https://mcp.contoso.com/weather"] });
  });
});

describe("McpServerApi serveAuthServerMetadata", () => {
  let runtime: MockRuntime;
  beforeAll(async () => {
    runtime = await MockRuntime.start({ stack: "asm-component" });
    const gw = await import("../../../infra/gateway");
    const refusal = new gw.McpRefusalFragment("apim-refusal", { resourceGroupName: "rg", serviceName: "apim" });
    const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const client = "0b1f3d7e-2c4a-4e8f-9a6b-5d7c8e9f0a1b";
    for (const [name, on] of [["weather", true], ["tickets", false]] as const) {
      new gw.McpServerApi(name, {
        server: name,
        resourceGroupName: "rg",
        serviceName: "apim",
        gatewayHost: "mcp.contoso.com",
        gatewayIdentityClientId: "9d3c1f6e-7b2a-4c5d-8e9f-0a1b2c3d4e5f",
        backendUrl: `https://${name}.internal.kindfield-1234.westeurope.azurecontainerapps.io`,
        backendAudience: "api://5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
        entra: gw.resolveExistingEntraApplication({ tenantId: tenant, clientId: client, applicationIdUri: `api://${client}` }),
        contentSafetyEndpoint: "https://cs-mcp.cognitiveservices.azure.com",
        policy: { tools: [{ name: "get_forecast", scopes: ["mcp.invoke"] }], contentSafety: {} },
        loggerId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim/loggers/ai",
        refusalFragment: refusal,
        serveAuthServerMetadata: on,
      });
    }
    await runtime.settle();
  });

  const api = (apiId: string) => runtime.ofType("azure-native:apimanagement:Api").find((r) => r.inputs.apiId === apiId);
  const policyOf = (apiId: string): Promise<string> => {
    const urn = api(apiId)!.urn;
    const p = runtime.ofType("azure-native:apimanagement:ApiOperationPolicy").find((r) => r.propertyDependencies.apiId?.includes(urn))!;
    return Promise.resolve(p.inputs.value as string | pulumi.Output<string>) as Promise<string>;
  };

  it("publishes an anonymous https API at the RFC 8414 path with one GET /mcp, only when asked", async () => {
    expect(api("mcp-weather-asm")!.inputs).toMatchObject({ path: ".well-known/oauth-authorization-server/weather", protocols: ["https"], subscriptionRequired: false });
    expect(api("mcp-tickets-asm")).toBeUndefined();
    const ops = runtime.ofType("azure-native:apimanagement:ApiOperation").filter((o) => o.propertyDependencies.apiId?.includes(api("mcp-weather-asm")!.urn));
    expect(ops.map((o) => [o.inputs.method, o.inputs.urlTemplate])).toEqual([["GET", "/mcp"]]);
    expect(bodyOf(await policyOf("mcp-weather-asm")).code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("names the gateway in the PRM only for the server that serves the metadata", async () => {
    expect(bodyOf(await policyOf("mcp-weather-prm")).authorization_servers).toEqual(["https://mcp.contoso.com/weather/mcp"]);
    expect(bodyOf(await policyOf("mcp-tickets-prm")).authorization_servers).toEqual(["https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"]);
  });
});
