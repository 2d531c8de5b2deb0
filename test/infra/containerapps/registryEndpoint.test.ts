import { SettingError } from "../../../infra/shared/settingError";
import { MockRuntime } from "../../../testing/mock/mockRuntime";

type ContainerAppsModule = typeof import("../../../infra/containerapps");

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const ACR = (name: string) => `${SUB}/resourceGroups/rg-shared-acr/providers/Microsoft.ContainerRegistry/registries/${name}`;
const SUBNET = `${SUB}/resourceGroups/rg-mcp/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints`;
const ZONE = `${SUB}/resourceGroups/rg-mcp/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io`;
const IMAGE = `contoso.azurecr.io/mcp/github@sha256:${"0f".repeat(32)}`;

let runtime: MockRuntime;
let ca: ContainerAppsModule;

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "unit" });
  ca = await import("../../../infra/containerapps");
});

const server = (name: string, registry?: { server: string; resourceId?: string; privateEndpoint?: boolean }) => ({ name, ...(registry ? { registry } : {}) });

/** The problems `planRegistryEndpoints` throws, as `field: problem`. */
function problemsOf(servers: Parameters<ContainerAppsModule["planRegistryEndpoints"]>[0]): string[] {
  try {
    ca.planRegistryEndpoints(servers);
  } catch (err) {
    if (err instanceof SettingError) return err.problems.map((p) => `${p.field.join(".")}: ${p.problem} | ${p.fix}`);
    throw err;
  }
  return [];
}

describe("planRegistryEndpoints (one endpoint per registry, refused before anything registers)", () => {
  it("plans nothing when no server asks, so the default stack is unchanged", () => {
    expect(ca.planRegistryEndpoints([server("a", { server: "contoso.azurecr.io", resourceId: ACR("contoso") }), server("b")])).toEqual([]);
  });

  it("gives a registry shared by two servers one endpoint (the name and login server compared without case)", () => {
    const plans = ca.planRegistryEndpoints([
      server("a", { server: "contoso.azurecr.io", resourceId: ACR("contoso"), privateEndpoint: true }),
      server("b", { server: "Contoso.azurecr.io", resourceId: ACR("Contoso"), privateEndpoint: true }),
      server("c", { server: "fabrikam.azurecr.io", resourceId: ACR("fabrikam"), privateEndpoint: true }),
    ]);
    expect(plans).toEqual([
      { registryId: ACR("contoso"), registryName: "contoso", servers: ["a", "b"] },
      { registryId: ACR("fabrikam"), registryName: "fabrikam", servers: ["c"] },
    ]);
  });

  it("refuses a private endpoint without the registry's resource id, with the command that prints it", () => {
    expect(problemsOf([server("a", { server: "contoso.azurecr.io", privateEndpoint: true })])).toEqual([
      expect.stringMatching(/^0\.registry\.privateEndpoint: is true but servers\[a\]\.registry\.resourceId is not set.*\| set registry\.resourceId \(az acr show --name contoso --query id -o tsv\)/),
    ]);
  });

  it("refuses a resource id that is not a container registry's", () => {
    const vault = `${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/contoso`;
    expect(problemsOf([server("a", { server: "contoso.azurecr.io", resourceId: vault, privateEndpoint: true })])).toEqual([
      expect.stringMatching(/^0\.registry\.resourceId: ".*vaults\/contoso" is not a container registry's resource id/),
    ]);
  });

  it("refuses a login server that is not the endpoint's registry (its records would not be the ones written)", () => {
    expect(problemsOf([server("a", { server: "fabrikam.azurecr.io", resourceId: ACR("contoso"), privateEndpoint: true })])).toEqual([
      expect.stringMatching(/^0\.registry\.server: is "fabrikam\.azurecr\.io" but the private endpoint connects to the registry "contoso", whose login server is contoso\.azurecr\.io/),
    ]);
    // A sovereign cloud's registry domain resolves through another zone than privatelink.azurecr.io.
    expect(problemsOf([server("a", { server: "contoso.azurecr.cn", resourceId: ACR("contoso"), privateEndpoint: true })])).toHaveLength(1);
  });

  it("refuses a server of the same registry that does not ask, since it would pull privately all the same", () => {
    expect(
      problemsOf([
        server("a", { server: "contoso.azurecr.io", resourceId: ACR("contoso"), privateEndpoint: true }),
        server("b", { server: "contoso.azurecr.io", resourceId: ACR("CONTOSO") }),
        server("c", { server: "fabrikam.azurecr.io", resourceId: ACR("fabrikam") }),
      ]),
    ).toEqual([expect.stringMatching(/^1\.registry\.privateEndpoint: is not set, but servers a give the registry "contoso" a private endpoint.*\| set privateEndpoint: true on every server/)]);
  });
});

describe("RegistryPrivateEndpoint and the app that pulls through it", () => {
  beforeAll(async () => {
    const endpoint = new ca.RegistryPrivateEndpoint("acr-contoso", {
      resourceGroupName: "rg-mcp",
      location: "westeurope",
      registryId: ACR("contoso"),
      subnetId: SUBNET,
      privateDnsZoneId: ZONE,
    });
    const puller = (name: string, registry: import("../../../infra/containerapps").McpServerRegistryArgs) =>
      new ca.McpServer(name, {
        serverName: name,
        resourceGroupName: "rg-mcp",
        environmentId: `${SUB}/resourceGroups/rg-mcp/providers/Microsoft.App/managedEnvironments/cae`,
        environmentDefaultDomain: "cae.example.westeurope.azurecontainerapps.io",
        image: IMAGE,
        registry,
        gatewaySubnetCidrs: ["10.20.0.0/24"],
        allowUnauthenticatedBackend: true,
      });
    puller("puller", { server: "contoso.azurecr.io", resourceId: ACR("contoso"), privateLink: endpoint });
    puller("public-puller", { server: "contoso.azurecr.io", resourceId: ACR("contoso") });
    await runtime.settle();
  });

  it("connects to the registry's 'registry' sub-resource from the endpoints subnet, asking for automatic approval", () => {
    const { inputs } = runtime.one("azure-native:network:PrivateEndpoint", "acr-contoso-pe");
    expect(inputs.subnet).toMatchObject({ id: SUBNET });
    expect(inputs.location).toBe("westeurope");
    expect(inputs.privateLinkServiceConnections).toEqual([{ name: "acr-contoso-registry", privateLinkServiceId: ACR("contoso"), groupIds: ["registry"] }]);
    // A manual (Pending) connection carries no traffic while the app's first pull needs it.
    expect(inputs.manualPrivateLinkServiceConnections).toBeUndefined();
  });

  it("writes its records into the privatelink.azurecr.io zone it is given", () => {
    const group = runtime.one("azure-native:network:PrivateDnsZoneGroup", "acr-contoso-pe-dns");
    expect(group.inputs.privateDnsZoneConfigs).toEqual([{ name: "registry", privateDnsZoneId: ZONE }]);
    expect(group.parent).toContain("hardened-mcp:azure:RegistryPrivateEndpoint");
  });

  it("creates the app only once the zone group exists; an app pulling over the egress path does not wait for it", () => {
    const group = runtime.one("azure-native:network:PrivateDnsZoneGroup", "acr-contoso-pe-dns");
    expect(runtime.one("azure-native:app:ContainerApp", "puller").dependencies).toContain(group.urn);
    expect(runtime.one("azure-native:app:ContainerApp", "public-puller").dependencies).not.toContain(group.urn);
  });
});
