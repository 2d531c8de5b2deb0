import type * as pulumi from "@pulumi/pulumi";
import { MockRuntime } from "../../../testing/mock/mockRuntime";
import { parsePolicyXml, substituteNamedValues, textOf } from "../../support/apim/xml";
import type { Element } from "@xmldom/xmldom";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const GATEWAY = { principalId: "4c3b2a19-0f8e-4d7c-b6a5-948372615a0b", clientId: "9d3c1f6e-7b2a-4c5d-8e9f-0a1b2c3d4e5f" };

const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply((v) => resolve(v)));
const texts = (doc: ReturnType<typeof parsePolicyXml>, tag: string): string[] =>
  (Array.from(doc.getElementsByTagName(tag)) as unknown as Element[]).map((e) => textOf(e).trim());

// The platform's path: the kit creates the Entra applications and the API takes them as they are.
describe("McpEntraApplication -> McpServerApi", () => {
  it("accepts only tokens for the created application and calls the backend as the backend application's audience", async () => {
    const runtime = await MockRuntime.start({ stack: "gateway-wiring" });
    const gw = await import("../../../infra/gateway");
    const canonical = "https://mcp.contoso.com/weather/mcp";
    const app = new gw.McpEntraApplication("weather-entra", {
      server: "weather",
      tenantId: TENANT,
      identifierUri: canonical,
      preAuthorizedClientIds: [gw.WellKnownMcpClients.visualStudioCode],
      gatewayIdentity: GATEWAY,
    });
    const api = new gw.McpServerApi("weather", {
      server: "weather",
      resourceGroupName: "rg-mcp",
      serviceName: "apim-mcp",
      gatewayHost: "mcp.contoso.com",
      gatewayIdentityClientId: GATEWAY.clientId,
      backendUrl: "https://weather.internal.example.azurecontainerapps.io",
      backendAudience: app.backendApplicationIdUri,
      entra: app,
      contentSafetyEndpoint: "https://cs-mcp.cognitiveservices.azure.com",
      policy: { tools: [{ name: "get_forecast", scopes: ["mcp.invoke"] }], contentSafety: {} },
      loggerId: "/subscriptions/0/resourceGroups/rg-mcp/providers/Microsoft.ApiManagement/service/apim-mcp/loggers/ai",
      refusalFragment: new gw.McpRefusalFragment("apim-mcp-refusal", { resourceGroupName: "rg-mcp", serviceName: "apim-mcp" }),
    });
    await runtime.settle();

    const clientId = await value(app.clientId);
    const backendUri = await value(app.backendApplicationIdUri);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(backendUri).toBe(`api://${await value(app.backendClientId)}`);

    const settings = await value(api.settings);
    // v2 tokens only (the default): Entra puts the client id in aud, so nothing else is accepted.
    expect(settings.audiences).toEqual([clientId]);
    expect(settings.resource).toBe(canonical);
    expect(settings.allowedClientAppIds).toEqual([gw.WellKnownMcpClients.visualStudioCode]);
    expect(settings.backend.audience).toBe(backendUri);
    expect(settings.audiences).not.toContain(backendUri);

    // Published with the ids as named-value references (known during preview); the named values hold the ids.
    const doc = parsePolicyXml(await value(api.policyXml), "weather");
    expect(texts(doc, "audience")).toEqual(["{{mcp-weather-client-id}}"]);
    const namedValue = (id: string) => runtime.ofType("azure-native:apimanagement:NamedValue").find((nv) => nv.inputs.namedValueId === id)?.inputs;
    expect(namedValue("mcp-weather-client-id")).toMatchObject({ value: clientId, secret: false });
    expect(namedValue("mcp-weather-backend-audience")).toMatchObject({ value: backendUri, secret: false });
    substituteNamedValues(doc, Object.fromEntries(runtime.ofType("azure-native:apimanagement:NamedValue").map((nv) => [nv.inputs.displayName as string, nv.inputs.value as string])), "weather");
    expect(texts(doc, "audience")).toEqual([clientId]);
    const managedIdentity = Array.from(doc.getElementsByTagName("authentication-managed-identity")) as unknown as Element[];
    expect(managedIdentity.map((e) => e.getAttribute("resource"))).toContain(backendUri);
  });
});
