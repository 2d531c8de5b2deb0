import * as pulumi from "@pulumi/pulumi";
import { MockRuntime, RecordedResource } from "../../../testing/mock/mockRuntime";

type ServiceModule = typeof import("../../../infra/gateway/service");

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcp";
const SUBNET = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-apim`;
const UAI_ID = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-gateway`;
const UAI_CLIENT = "77777777-7777-7777-7777-777777777777";
const UAI_PRINCIPAL = "88888888-8888-8888-8888-888888888888";
const APPI_ID = `${RG}/providers/Microsoft.Insights/components/appi-mcp`;
const WORKSPACE_ID = `${RG}/providers/Microsoft.OperationalInsights/workspaces/log-mcp`;
const PIP_ID = `${RG}/providers/Microsoft.Network/publicIPAddresses/pip-apim`;
const CERT = "https://kv-mcp.vault.azure.net/secrets/gateway-cert";

let runtime: MockRuntime;
let mod: ServiceModule;

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "unit" });
  mod = await import("../../../infra/gateway/service");
});

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));
const under = (component: string) => (r: RecordedResource) => r.parent !== null && r.parent.endsWith(`::${component}`);

function args(overrides: Partial<import("../../../infra/gateway/service").McpGatewayServiceArgs> = {}) {
  return {
    resourceGroupName: "rg-mcp",
    publisherEmail: "platform@contoso.com",
    publisherName: "Contoso",
    subnetId: SUBNET,
    gatewayIdentity: { id: UAI_ID, clientId: UAI_CLIENT, principalId: UAI_PRINCIPAL },
    applicationInsights: { id: APPI_ID, connectionString: "InstrumentationKey=abc;IngestionEndpoint=https://x/" },
    workspaceId: WORKSPACE_ID,
    ...overrides,
  };
}

describe("McpGatewayService (default: Standard v2)", () => {
  let gateway: InstanceType<ServiceModule["McpGatewayService"]>;
  let service: RecordedResource;

  beforeAll(async () => {
    gateway = new mod.McpGatewayService("apim-mcp", args());
    await runtime.settle();
    service = runtime.one("azure-native:apimanagement:ApiManagementService", "apim-mcp");
  });

  it("is Standard v2 with outbound VNet integration and stays the public front door", () => {
    expect(service.inputs).toMatchObject({
      sku: { name: "StandardV2", capacity: 1 },
      virtualNetworkType: "External",
      virtualNetworkConfiguration: { subnetResourceId: SUBNET },
      publicNetworkAccess: "Enabled",
    });
    expect(service.inputs.publicIpAddressId).toBeUndefined();
    expect(service.inputs.zones).toBeUndefined();
  });

  it("sets every TLS protocol property to False explicitly, HTTP/2 on, and no cipher property (fixed on v2 tiers)", () => {
    const props = service.inputs.customProperties as Record<string, string>;
    const off = Object.entries(props).filter(([k]) => /\.Security\.(Backend\.)?Protocols\./.test(k));
    expect(off.length).toBe(6);
    expect(off.every(([, v]) => v === "False")).toBe(true);
    expect(Object.keys(props).filter((k) => k.includes(".Ciphers."))).toEqual([]);
    for (const key of [
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10",
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11",
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30",
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10",
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11",
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30",
    ]) {
      expect(props[key]).toBe("False");
    }
    expect(props["Microsoft.WindowsAzure.ApiManagement.Gateway.Protocols.Server.Http2"]).toBe("True");
  });

  it("turns both portals off and keeps the gateway on", () => {
    expect(service.inputs.developerPortalStatus).toBe("Disabled");
    expect(service.inputs.legacyPortalStatus).toBe("Disabled");
    expect(service.inputs.disableGateway).toBe(false);
    expect(service.inputs.apiVersionConstraint).toEqual({ minApiVersion: "2021-08-01" });
    expect(service.inputs.hostnameConfigurations).toEqual([]);
  });

  it("has a system-assigned identity and the gateway's user-assigned identity", async () => {
    expect(service.inputs.identity).toEqual({ type: "SystemAssigned, UserAssigned", userAssignedIdentities: { [UAI_ID]: {} } });
    expect(await valueOf(gateway.systemPrincipalId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await valueOf(gateway.identityClientId)).toBe(UAI_CLIENT);
    expect(gateway.identity.principalId).toBe(UAI_PRINCIPAL);
    expect(gateway.identity.principalType).toBe("ServicePrincipal");
  });

  it("logs to Application Insights with the gateway identity, after it may publish there", () => {
    const logger = runtime.one("azure-native:apimanagement:Logger", "apim-mcp-appi");
    expect(logger.inputs).toMatchObject({
      serviceName: "apim-mcp",
      loggerType: "applicationInsights",
      resourceId: APPI_ID,
      credentials: { connectionString: "[secret]", identityClientId: UAI_CLIENT },
    });
    expect(JSON.stringify(logger.inputs.credentials)).not.toMatch(/InstrumentationKey=abc/);
    const grant = runtime.ofType("azure-native:authorization:RoleAssignment").find(under("apim-mcp"));
    expect(grant?.inputs).toMatchObject({ scope: APPI_ID, principalId: UAI_PRINCIPAL, principalType: "ServicePrincipal" });
    expect(grant?.inputs.roleDefinitionId).toMatch(/3913510d-42f4-4e42-8a64-420c390055eb$/);
    expect(logger.dependencies).toContain(grant?.urn);
  });

  it("has a service diagnostic that logs errors and metrics but no headers and no bodies", () => {
    const diagnostic = runtime.one("azure-native:apimanagement:Diagnostic", "apim-mcp-appi-diag");
    const none = { headers: [], body: { bytes: 0 } };
    expect(diagnostic.inputs).toMatchObject({
      diagnosticId: "applicationinsights",
      alwaysLog: "allErrors",
      sampling: { samplingType: "fixed", percentage: 100 },
      logClientIp: true,
      httpCorrelationProtocol: "W3C",
      verbosity: "information",
      metrics: true,
      frontend: { request: none, response: none },
      backend: { request: none, response: none },
    });
    expect(diagnostic.inputs.loggerId).toMatch(/\/loggers\/appinsights$/);
    expect(JSON.stringify(diagnostic.inputs)).not.toMatch(/authorization/i);
  });

  it("sends resource logs to the workspace and exposes what the APIs need", async () => {
    const diag = runtime.ofType("azure-native:monitor:DiagnosticSetting").find(under("apim-mcp"));
    expect(diag?.inputs).toMatchObject({ workspaceId: WORKSPACE_ID, logs: [{ categoryGroup: "allLogs", enabled: true }] });
    expect(diag?.inputs.resourceUri).toMatch(/Microsoft\.ApiManagement\/service\/apim-mcp$/);
    expect(await valueOf(gateway.serviceName)).toBe("apim-mcp");
    expect(await valueOf(gateway.gatewayHostName)).toBe("apim-mcp.azure-api.net");
    expect(await valueOf(gateway.gatewayUrl)).toBe("https://apim-mcp.azure-api.net");
    expect(await valueOf(gateway.loggerId)).toMatch(/service\/apim-mcp\/loggers\/appinsights$/);
  });
});

describe("McpGatewayService options", () => {
  it("injects Premium into the VNet (Internal) with a Standard public IP and zones", async () => {
    new mod.McpGatewayService(
      "apim-prem",
      args({ sku: "Premium", capacity: 2, virtualNetworkMode: "Internal", publicIpAddressId: PIP_ID, zones: ["1", "2"] }),
    );
    await runtime.settle();
    const service = runtime.one("azure-native:apimanagement:ApiManagementService", "apim-prem");
    expect(service.inputs).toMatchObject({
      sku: { name: "Premium", capacity: 2 },
      virtualNetworkType: "Internal",
      virtualNetworkConfiguration: { subnetResourceId: SUBNET },
      publicIpAddressId: PIP_ID,
      zones: ["1", "2"],
    });
    // A classic tier takes cipher settings: every weak suite is turned off.
    const ciphers = Object.entries(service.inputs.customProperties as Record<string, string>).filter(([k]) => k.includes(".Ciphers."));
    expect(ciphers.length).toBe(11);
    expect(ciphers.every(([, v]) => v === "False")).toBe(true);
  });

  it("injects Developer in External mode", async () => {
    new mod.McpGatewayService("apim-dev", args({ sku: "Developer" }));
    await runtime.settle();
    const service = runtime.one("azure-native:apimanagement:ApiManagementService", "apim-dev");
    expect(service.inputs).toMatchObject({ sku: { name: "Developer", capacity: 1 }, virtualNetworkType: "External" });
  });

  it("refuses PremiumV2 and tiers without VNet support before declaring anything", () => {
    const before = runtime.ofType("azure-native:apimanagement:ApiManagementService").length;
    expect(() => new mod.McpGatewayService("apim-v2", args({ sku: "PremiumV2" }))).toThrow(/API version 2024-05-01 has no PremiumV2 SKU/);
    expect(() => new mod.McpGatewayService("apim-basic", args({ sku: "Basic" }))).toThrow(/"Basic" is refused/);
    expect(runtime.ofType("azure-native:apimanagement:ApiManagementService")).toHaveLength(before);
  });

  it("serves a custom domain from Key Vault, read by the service's system identity (the vault's firewall requires it)", async () => {
    const gateway = new mod.McpGatewayService(
      "apim-domain",
      args({ customDomain: { hostName: "mcp.contoso.com", keyVaultSecretId: CERT }, samplingPercentage: 25 }),
    );
    await runtime.settle();
    const service = runtime.one("azure-native:apimanagement:ApiManagementService", "apim-domain");
    expect(service.inputs.hostnameConfigurations).toEqual([
      {
        type: "Proxy",
        hostName: "mcp.contoso.com",
        keyVaultId: CERT,
        negotiateClientCertificate: false,
        defaultSslBinding: true,
      },
    ]);
    expect(await valueOf(gateway.gatewayUrl)).toBe("https://mcp.contoso.com");
    const diagnostic = runtime.one("azure-native:apimanagement:Diagnostic", "apim-domain-appi-diag");
    expect(diagnostic.inputs.sampling).toEqual({ samplingType: "fixed", percentage: 25 });
  });

  it("reads the certificate with the gateway's user-assigned identity only when asked (a vault without a firewall)", async () => {
    new mod.McpGatewayService("apim-domain-uai", args({ customDomain: { hostName: "mcp2.contoso.com", keyVaultSecretId: CERT, readWith: "user" } }));
    await runtime.settle();
    const service = runtime.one("azure-native:apimanagement:ApiManagementService", "apim-domain-uai");
    expect(service.inputs.hostnameConfigurations).toEqual([expect.objectContaining({ hostName: "mcp2.contoso.com", identityClientId: UAI_CLIENT })]);
  });

  it("refuses a versioned certificate id, a bad host name and bad sampling", () => {
    expect(
      () =>
        new mod.McpGatewayService(
          "apim-v",
          args({ customDomain: { hostName: "mcp.contoso.com", keyVaultSecretId: `${CERT}/${"a".repeat(32)}` } }),
        ),
    ).toThrow(/names a secret version/);
    expect(() => new mod.McpGatewayService("apim-h", args({ customDomain: { hostName: "*.contoso.com", keyVaultSecretId: CERT } }))).toThrow(
      /not a lowercase DNS host name/,
    );
    expect(() => new mod.McpGatewayService("apim-s", args({ samplingPercentage: 0 }))).toThrow(/^samplingPercentage: 0 must be above 0/);
  });

  it("leaves the telemetry grant to someone else only when told", async () => {
    new mod.McpGatewayService("apim-nogrant", args({ grantTelemetryPublish: false }));
    await runtime.settle();
    expect(runtime.ofType("azure-native:authorization:RoleAssignment").filter(under("apim-nogrant"))).toHaveLength(0);
    expect(runtime.one("azure-native:apimanagement:Logger", "apim-nogrant-appi").dependencies).toEqual([
      expect.stringContaining("ApiManagementService::apim-nogrant"),
    ]);
  });
});
