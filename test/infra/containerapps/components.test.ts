import * as pulumi from "@pulumi/pulumi";
import { MockRuntime, RecordedResource } from "../../../testing/mock/mockRuntime";

type ContainerAppsModule = typeof import("../../../infra/containerapps");

const DIGEST = `sha256:${"0f".repeat(32)}`;
const IMAGE = `mcpacr.azurecr.io/mcp/github:1.4.2@${DIGEST}`;
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcp";
const REGISTRY_ID = `${SUB}/providers/Microsoft.ContainerRegistry/registries/mcpacr`;
const ENV_ID = `${SUB}/providers/Microsoft.App/managedEnvironments/cae-mcp`;
const WORKSPACE_ID = `${SUB}/providers/Microsoft.OperationalInsights/workspaces/log-mcp`;
const TENANT = "11111111-1111-1111-1111-111111111111";
const BACKEND_CLIENT = "44444444-4444-4444-4444-444444444444";
const GATEWAY_CLIENT = "55555555-5555-5555-5555-555555555555";
const GATEWAY_PRINCIPAL = "66666666-6666-6666-6666-666666666666";

let runtime: MockRuntime;
let ca: ContainerAppsModule;

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "unit" });
  ca = await import("../../../infra/containerapps");
});

/** Stands in for the vault's role assignment. */
class Grant extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Grant", name, {});
  }
}

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

/** The registrations whose URN places them under the named component. */
const under = (component: string) => (r: RecordedResource) => r.parent !== null && r.parent.endsWith(`::${component}`);

function serverArgs(overrides: Partial<import("../../../infra/containerapps").McpServerArgs> = {}) {
  return {
    serverName: "github",
    resourceGroupName: "rg-mcp",
    environmentId: ENV_ID,
    environmentDefaultDomain: "cae-mcp.abc123.westeurope.azurecontainerapps.io",
    image: IMAGE,
    registry: { server: "mcpacr.azurecr.io", resourceId: REGISTRY_ID },
    gatewaySubnetCidrs: ["10.20.1.0/27"],
    backendAuth: {
      tenantId: TENANT,
      clientId: BACKEND_CLIENT,
      audience: "api://mcp-github",
      allowedCallerClientIds: [GATEWAY_CLIENT],
      allowedCallerPrincipalIds: [GATEWAY_PRINCIPAL],
    },
    env: { LOG_LEVEL: "info" },
    workspaceId: WORKSPACE_ID,
    secrets: { GITHUB_TOKEN: { keyVaultSecretUrl: "https://kv-mcp.vault.azure.net/secrets/github-token" } },
    ...overrides,
  };
}

describe("McpContainerAppsEnvironment", () => {
  it("is internal, closed to the public, encrypted between replicas, and logs without a shared key", async () => {
    const env = new ca.McpContainerAppsEnvironment("cae", {
      resourceGroupName: "rg-mcp",
      infrastructureSubnetId: `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-aca`,
      workspaceId: WORKSPACE_ID,
    });
    await runtime.settle();
    const { inputs } = runtime.one("azure-native:app:ManagedEnvironment", "cae");
    expect(inputs.vnetConfiguration).toEqual({
      infrastructureSubnetId: `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-aca`,
      internal: true,
    });
    expect(inputs.publicNetworkAccess).toBe("Disabled");
    expect(inputs.workloadProfiles).toEqual([{ name: "Consumption", workloadProfileType: "Consumption" }]);
    expect(inputs.appLogsConfiguration).toEqual({ destination: "azure-monitor" });
    expect(inputs.peerTrafficConfiguration).toEqual({ encryption: { enabled: true } });
    expect(inputs.zoneRedundant).toBe(false);
    expect(JSON.stringify(inputs)).not.toMatch(/sharedKey|logAnalyticsConfiguration/);

    const diag = runtime.ofType("azure-native:monitor:DiagnosticSetting").find(under("cae"));
    expect(diag?.inputs).toMatchObject({
      resourceUri: `${SUB}/providers/Microsoft.App/managedEnvironments/cae`,
      workspaceId: WORKSPACE_ID,
      logs: [{ categoryGroup: "allLogs", enabled: true }],
    });
    expect(await valueOf(env.defaultDomain)).toMatch(/\.azurecontainerapps\.io$/);
    expect(await valueOf(env.staticIp)).toBe("10.0.0.250");
  });
});

describe("McpServer", () => {
  let server: InstanceType<ContainerAppsModule["McpServer"]>;
  let app: RecordedResource;
  let identity: RecordedResource;

  beforeAll(async () => {
    server = new ca.McpServer("github", serverArgs());
    await runtime.settle();
    app = runtime.one("azure-native:app:ContainerApp", "github");
    identity = runtime.one("azure-native:managedidentity:UserAssignedIdentity", "github-id");
  });

  const identityId = () => `${SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/github-id`;

  it("has its own user-assigned identity by default (a WorkloadIdentity child), available to the platform only", async () => {
    expect(identity.parent).toMatch(/hardened-mcp:azure:McpServer\$hardened-mcp:azure:WorkloadIdentity::github$/);
    expect(server.workloadIdentity).toBeDefined();
    expect(app.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identityId()] });
    expect((app.inputs.configuration as Record<string, unknown>).identitySettings).toEqual([
      { identity: identityId(), lifecycle: "None" },
    ]);
    expect(await valueOf(server.identity.id)).toBe(identityId());
    expect(server.identity.principalType).toBe("ServicePrincipal");
  });

  it("runs the digest-pinned image from the registry, pulled with the identity (no password)", () => {
    const config = app.inputs.configuration as Record<string, unknown>;
    const template = app.inputs.template as { containers: Array<Record<string, unknown>> };
    expect(template.containers[0].image).toBe(IMAGE);
    expect(config.registries).toEqual([{ server: "mcpacr.azurecr.io", identity: identityId() }]);
    expect(JSON.stringify(config.registries)).not.toMatch(/password|username/i);
  });

  it("grants AcrPull on that one registry, before the app pulls", () => {
    const grants = runtime.ofType("azure-native:authorization:RoleAssignment").filter(under("github"));
    expect(grants).toHaveLength(1);
    expect(grants[0].inputs.scope).toBe(REGISTRY_ID);
    expect(grants[0].inputs.roleDefinitionId).toMatch(/roleDefinitions\/7f951dda-4ed3-4680-a7ca-43fe172d538d$/);
    expect(grants[0].inputs.principalType).toBe("ServicePrincipal");
    expect(app.dependencies).toContain(grants[0].urn);
  });

  it("accepts traffic only from the gateway subnet, over HTTPS, with no CORS", () => {
    const ingress = (app.inputs.configuration as { ingress: Record<string, unknown> }).ingress;
    expect(ingress).toMatchObject({ external: true, allowInsecure: false, targetPort: 8080, transport: "http" });
    expect(ingress.ipSecurityRestrictions).toEqual([
      { name: "allow-gateway-1", description: "API Management subnet", action: "Allow", ipAddressRange: "10.20.1.0/27" },
    ]);
    expect(ingress.corsPolicy).toBeUndefined();
    expect((app.inputs.configuration as Record<string, unknown>).activeRevisionsMode).toBe("Single");
  });

  it("reads secrets only as Key Vault references through its identity", () => {
    const config = app.inputs.configuration as { secrets: Array<Record<string, unknown>> };
    expect(config.secrets).toEqual([
      { name: "github-token", keyVaultUrl: "https://kv-mcp.vault.azure.net/secrets/github-token", identity: identityId() },
    ]);
    const env = (app.inputs.template as { containers: Array<{ env: unknown[] }> }).containers[0].env;
    expect(env).toEqual([
      { name: "LOG_LEVEL", value: "info" },
      { name: "GITHUB_TOKEN", secretRef: "github-token" },
    ]);
  });

  it("sizes, probes and scales the container", () => {
    const container = (app.inputs.template as { containers: Array<Record<string, unknown>> }).containers[0];
    expect(container.resources).toEqual({ cpu: 0.5, memory: "1Gi" });
    const probes = container.probes as Array<{ type: string; httpGet: { path: string; port: number } }>;
    expect(probes.map((p) => p.type)).toEqual(["Startup", "Readiness", "Liveness"]);
    expect(probes.every((p) => p.httpGet.path === "/healthz" && p.httpGet.port === 8080)).toBe(true);
    expect((app.inputs.template as { scale: unknown }).scale).toEqual({ minReplicas: 1, maxReplicas: 3 });
    expect(app.inputs.workloadProfileName).toBe("Consumption");
    expect(app.inputs.environmentId).toBe(ENV_ID);
  });

  it("refuses unauthenticated callers with Entra auth that admits only the gateway identity", () => {
    const auth = runtime.one("azure-native:app:ContainerAppsAuthConfig", "github-auth");
    expect(auth.inputs).toMatchObject({
      authConfigName: "current",
      containerAppName: "mcp-github",
      platform: { enabled: true },
      globalValidation: { unauthenticatedClientAction: "Return401" },
      httpSettings: { requireHttps: true },
      identityProviders: {
        azureActiveDirectory: {
          enabled: true,
          registration: { clientId: BACKEND_CLIENT, openIdIssuer: `https://login.microsoftonline.com/${TENANT}/v2.0` },
          validation: {
            allowedAudiences: ["api://mcp-github"],
            defaultAuthorizationPolicy: {
              allowedApplications: [GATEWAY_CLIENT],
              allowedPrincipals: { identities: [GATEWAY_PRINCIPAL] },
            },
          },
        },
      },
    });
  });

  it("exports the app's metrics to the workspace", () => {
    const diag = runtime.ofType("azure-native:monitor:DiagnosticSetting").find(under("github"));
    expect(diag?.inputs).toMatchObject({
      resourceUri: `${SUB}/providers/Microsoft.App/containerApps/mcp-github`,
      workspaceId: WORKSPACE_ID,
      logs: [],
      metrics: [{ category: "AllMetrics", enabled: true }],
    });
  });

  it("exposes the URL the gateway calls, known at plan time", async () => {
    expect(await valueOf(server.fqdn)).toBe("https://mcp-github.cae-mcp.abc123.westeurope.azurecontainerapps.io");
  });

  it("runs as the identity it is given, after the prerequisites it is given (the caller's grants, secrets)", async () => {
    const given = {
      id: `${SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-granted`,
      principalId: "77777777-7777-7777-7777-777777777777",
      clientId: "88888888-8888-8888-8888-888888888888",
    };
    const grant = new Grant("granted-kv-read");
    const granted = new ca.McpServer("granted", serverArgs({ serverName: "granted", identity: given, prerequisites: [grant] }));
    await runtime.settle();
    const grantedApp = runtime.one("azure-native:app:ContainerApp", "granted");
    expect(grantedApp.dependencies).toContain(runtime.one("test:index:Grant", "granted-kv-read").urn);
    expect(grantedApp.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [given.id] });
    expect((grantedApp.inputs.configuration as Record<string, unknown>).registries).toEqual([{ server: "mcpacr.azurecr.io", identity: given.id }]);
    // No identity of its own; its one grant is AcrPull on its registry, to the identity it was given.
    expect(runtime.ofType("azure-native:managedidentity:UserAssignedIdentity").filter((r) => r.urn.includes("McpServer::granted"))).toEqual([]);
    expect(granted.workloadIdentity).toBeUndefined();
    const acrPull = runtime.ofType("azure-native:authorization:RoleAssignment").filter(under("granted"));
    expect(acrPull.map((r) => [r.name, r.inputs.principalId])).toEqual([["granted-acrpull", "77777777-7777-7777-7777-777777777777"]]);
    expect(await valueOf(granted.identity.clientId)).toBe(given.clientId);
  });

  it("refuses an identity name next to a given identity (the name would be ignored)", () => {
    const given = { id: `${SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x`, principalId: "p", clientId: "c" };
    expect(() => new ca.McpServer("named", serverArgs({ serverName: "named", identity: given, identityName: "id-other" }))).toThrow(
      /^McpServer "named":\n {2}- identityName: is set with identity, which already has its name\. Remove identityName\.$/,
    );
  });

  it("refuses a tag-only image unless allowTagOnlyImages is set", async () => {
    expect(() => new ca.McpServer("tagged", serverArgs({ serverName: "tagged", image: "mcpacr.azurecr.io/mcp/github:1.4.2" }))).toThrow(
      /^McpServer "tagged":\n {2}- image: .* is not pinned by digest.*set allowTagOnlyImages: true/,
    );
    new ca.McpServer("tagok", serverArgs({ serverName: "tagok", image: "mcpacr.azurecr.io/mcp/github:1.4.2", allowTagOnlyImages: true }));
    await runtime.settle();
    const tagged = runtime.one("azure-native:app:ContainerApp", "tagok");
    expect((tagged.inputs.template as { containers: Array<{ image: string }> }).containers[0].image).toBe("mcpacr.azurecr.io/mcp/github:1.4.2");
  });

  it("refuses an image from another registry than the configured one", () => {
    expect(() => new ca.McpServer("other", serverArgs({ serverName: "other", image: `ghcr.io/acme/mcp@${DIGEST}` }))).toThrow(
      /^McpServer "other":\n {2}- image: comes from "ghcr\.io" but registry\.server is "mcpacr\.azurecr\.io"/,
    );
  });

  it("refuses an Azure Container Registry image without a registry to pull it with", () => {
    expect(() => new ca.McpServer("anonpull", serverArgs({ serverName: "anonpull", registry: undefined }))).toThrow(
      /^McpServer "anonpull":\n {2}- registry: is not set, so the app would try an anonymous pull/,
    );
  });

  it("checks plain CIDRs and secret URLs before declaring any resource", async () => {
    const before = runtime.resources.length;
    expect(() => new ca.McpServer("wide", serverArgs({ serverName: "wide", gatewaySubnetCidrs: ["0.0.0.0/0"] }))).toThrow(
      /^McpServer "wide":\n {2}- gatewaySubnetCidrs\[0\]: "0\.0\.0\.0\/0" is wider than \/16/,
    );
    expect(
      () => new ca.McpServer("url", serverArgs({ serverName: "url", secrets: { API_TOKEN: { keyVaultSecretUrl: "https://example.com/t" } } })),
    ).toThrow(/^McpServer "url":\n {2}- secrets\.API_TOKEN\.keyVaultSecretUrl: "https:\/\/example\.com\/t" is not a Key Vault secret URL/);
    await runtime.settle();
    // Refused before the component registers: nothing at all, not even the component.
    expect(runtime.resources.length).toBe(before);
  });

  it("refuses a secret-looking plain env value and a missing backendAuth", () => {
    expect(() => new ca.McpServer("leaky", serverArgs({ serverName: "leaky", env: { GITHUB_TOKEN: "ghp_x" }, secrets: {} }))).toThrow(
      /^McpServer "leaky":\n {2}- env\.GITHUB_TOKEN: looks like a credential.*Move it to secrets\.GITHUB_TOKEN/,
    );
    expect(() => new ca.McpServer("open", serverArgs({ serverName: "open", backendAuth: undefined }))).toThrow(
      /^McpServer "open":\n {2}- backendAuth: is missing/,
    );
  });

  it("creates no auth config only with the named opt-out", async () => {
    new ca.McpServer("anon", serverArgs({ serverName: "anon", backendAuth: undefined, allowUnauthenticatedBackend: true }));
    await runtime.settle();
    expect(runtime.ofType("azure-native:app:ContainerAppsAuthConfig").filter(under("anon"))).toHaveLength(0);
    expect(runtime.one("azure-native:app:ContainerApp", "anon")).toBeDefined();
  });
});
