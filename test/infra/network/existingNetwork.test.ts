import { MockRuntime } from "../../../testing/mock/mockRuntime";

/** ExistingNetwork: a landing zone's spoke, used as the platform's network and never written to. */
const VNET = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke";
const HUB = "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones";
const subnets = {
  gateway: { id: `${VNET}/subnets/snet-apim`, addressPrefix: "10.50.0.0/27" },
  endpoints: { id: `${VNET}/subnets/snet-pe`, addressPrefix: "10.50.1.0/26" },
  apps: { id: `${VNET}/subnets/snet-apps`, addressPrefix: "10.50.2.0/23" },
};

let runtime: MockRuntime;
let net: typeof import("../../../infra/network/existingNetwork");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "existing-network" });
  net = await import("../../../infra/network/existingNetwork");
});

const value = <T>(o: import("@pulumi/pulumi").Output<T>) => new Promise<T>((r) => o.apply(r));
const args = (extra: Partial<import("../../../infra/network/existingNetwork").ExistingNetworkArgs> = {}) => ({
  resourceGroupName: "rg-mcp",
  virtualNetworkId: VNET,
  subnets,
  privateDnsZones: ["keyVault", "cognitiveServices"] as ("keyVault" | "cognitiveServices")[],
  gatewayMode: "integration" as const,
  ...extra,
});

describe("ExistingNetwork", () => {
  it("hands out the brought subnet ids as given and creates each zone it lacks, linked to the brought VNet", async () => {
    const n = new net.ExistingNetwork("spoke", args());
    await runtime.settle();
    for (const type of ["VirtualNetwork", "Subnet", "NetworkSecurityGroup"]) expect(runtime.ofType(`azure-native:network:${type}`)).toEqual([]);
    expect(await value(n.gatewaySubnetId)).toBe(subnets.gateway.id);
    expect(await value(n.appsSubnetId)).toBe(subnets.apps.id);
    expect(await value(n.endpointsSubnetId)).toBe(subnets.endpoints.id);
    expect(n.subnetCidrs).toEqual({ gateway: "10.50.0.0/27", apps: "10.50.2.0/23", endpoints: "10.50.1.0/26" });
    expect(runtime.ofType("azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName).sort()).toEqual([
      "privatelink.cognitiveservices.azure.com",
      "privatelink.vaultcore.azure.net",
    ]);
    for (const link of runtime.ofType("azure-native:privatedns:VirtualNetworkLink")) expect(link.inputs).toMatchObject({ virtualNetwork: { id: VNET }, registrationEnabled: false });
  });

  it("uses the hub's zones when given, creating none", async () => {
    const before = runtime.ofType("azure-native:privatedns:PrivateZone").length;
    const zones = { keyVault: `${HUB}/privatelink.vaultcore.azure.net`, cognitiveServices: `${HUB}/privatelink.cognitiveservices.azure.com` };
    const n = new net.ExistingNetwork("hub", args({ privateDnsZoneIds: zones }));
    await runtime.settle();
    expect(runtime.ofType("azure-native:privatedns:PrivateZone")).toHaveLength(before);
    expect(await value(n.privateDnsZoneIdFor("keyVault"))).toBe(zones.keyVault);
  });

  it("refuses a subnet of another VNet, a zone of the wrong name, a missing zone and a gateway subnet too small, every problem at once", () => {
    const bad = args({
      subnets: { ...subnets, apps: { id: `${VNET}-2/subnets/snet-apps`, addressPrefix: "10.50.2.0/23" }, gateway: { id: subnets.gateway.id, addressPrefix: "10.50.0.0/28" } },
      privateDnsZoneIds: { keyVault: `${HUB}/privatelink.blob.core.windows.net` },
    });
    expect(() => new net.ExistingNetwork("bad", bad)).toThrow(
      "Invalid existing network:\n" +
        `  - subnets.apps.id: "${VNET}-2/subnets/snet-apps" is not a subnet of the VNet ${VNET}. Use a subnet of virtualNetworkId, or the VNet that holds it.\n` +
        "  - privateDnsZoneIds.keyVault: the zone is privatelink.blob.core.windows.net, not privatelink.vaultcore.azure.net. Use the hub's privatelink.vaultcore.azure.net zone.\n" +
        "  - privateDnsZoneIds.cognitiveServices: is missing: the other zones are brought, and the VNet can link only one privatelink.cognitiveservices.azure.com zone. Add the hub's privatelink.cognitiveservices.azure.com zone id, or bring no zones at all.\n" +
        "  - subnets.gateway.addressPrefix: 10.50.0.0/28 is smaller than /27, the minimum for API Management v2 VNet integration. Use a /27 or larger.",
    );
    expect(() => new net.ExistingNetwork("bad2", args({ virtualNetworkId: subnets.gateway.id }))).toThrow(/virtualNetworkId: ".*" is the id of a Microsoft.Network\/virtualNetworks\/subnets, not of a Microsoft.Network\/virtualNetworks/);
    expect(runtime.ofType("hardened-mcp:azure:ExistingNetwork").filter((r) => r.name.startsWith("bad"))).toEqual([]);
  });
});
