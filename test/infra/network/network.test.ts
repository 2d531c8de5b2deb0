import { MockRuntime, RecordedResource } from "../../../testing/mock/mockRuntime";
import type { NsgRule } from "../../../infra/network/nsgRules";

import { WORKSPACE } from "../shared/fixtures";

let runtime: MockRuntime;
let net: typeof import("../../../infra/network/network");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "network" });
  net = await import("../../../infra/network/network");
});

const NAT = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/natGateways/nat-1";
const networks: Record<string, import("../../../infra/network/network").McpNetwork> = {};

// Every variant is built up front and settled once: one wave of mock registrations instead of one per test.
beforeAll(async () => {
  const variants: Record<string, Partial<import("../../../infra/network/network").McpNetworkArgs>> = {
    n1: {},
    n2: { privateDnsZones: ["keyVault"], outboundNatGatewayId: NAT },
    n3: { gatewayMode: "injection", gatewayClientSources: ["10.50.0.0/16"] },
    n4: { gatewayMode: "injectionV2" },
  };
  for (const [name, args] of Object.entries(variants)) {
    networks[name] = new net.McpNetwork(name, { resourceGroupName: "rg-mcp", logAnalyticsWorkspaceId: WORKSPACE, ...args });
  }
  networks.n1.addContainerAppsEnvironmentDns("env-dns", { defaultDomain: "blue.westeurope.azurecontainerapps.io", staticIp: "10.20.2.200" });
  await runtime.settle();
});

const get = (type: string, logical: string): RecordedResource => runtime.one(type, logical);
const rulesOf = (nsg: RecordedResource) => nsg.inputs.securityRules as NsgRule[];
const inbound = (nsg: RecordedResource) => rulesOf(nsg).filter((r) => r.direction === "Inbound");

describe("McpNetwork (integration mode, defaults)", () => {
  it("creates standalone subnets with no default outbound access, chained one after another", () => {
    const vnet = get("azure-native:network:VirtualNetwork", "n1-vnet");
    expect(vnet.inputs.subnets).toBeUndefined();
    expect(vnet.inputs.addressSpace).toEqual({ addressPrefixes: ["10.20.0.0/16"] });
    const gateway = get("azure-native:network:Subnet", "n1-gateway");
    const apps = get("azure-native:network:Subnet", "n1-apps");
    const endpoints = get("azure-native:network:Subnet", "n1-endpoints");
    for (const s of [gateway, apps, endpoints]) {
      expect(s.inputs.defaultOutboundAccess).toBe(false);
      expect(s.propertyDependencies.virtualNetworkName).toEqual([vnet.urn]);
    }
    expect(gateway.inputs.addressPrefix).toBe("10.20.0.0/24");
    expect(endpoints.inputs.addressPrefix).toBe("10.20.1.0/24");
    expect(apps.inputs.addressPrefix).toBe("10.20.2.0/23");
    expect(apps.dependencies).toContain(gateway.urn);
    expect(endpoints.dependencies).toContain(apps.urn);
  });

  it("delegates the gateway subnet to serverFarms and the apps subnet to Container Apps", () => {
    expect(get("azure-native:network:Subnet", "n1-gateway").inputs.delegations).toEqual([
      { name: "Microsoft.Web.serverFarms", serviceName: "Microsoft.Web/serverFarms" },
    ]);
    expect(get("azure-native:network:Subnet", "n1-apps").inputs.delegations).toEqual([
      { name: "Microsoft.App.environments", serviceName: "Microsoft.App/environments" },
    ]);
    expect(get("azure-native:network:Subnet", "n1-endpoints").inputs.delegations).toEqual([]);
  });

  it("enforces NSGs on private endpoints", () => {
    expect(get("azure-native:network:Subnet", "n1-endpoints").inputs.privateEndpointNetworkPolicies).toBe("Enabled");
  });

  it("attaches each subnet to its own NSG", () => {
    for (const role of ["gateway", "apps", "endpoints"]) {
      const nsg = get("azure-native:network:NetworkSecurityGroup", `n1-${role}-nsg`);
      const subnet = get("azure-native:network:Subnet", `n1-${role}`);
      expect(subnet.propertyDependencies.networkSecurityGroup).toEqual([nsg.urn]);
      expect((subnet.inputs.networkSecurityGroup as { id: string }).id).toContain(`/networkSecurityGroups/n1-${role}-nsg`);
    }
  });

  it("ends every NSG with DenyAllInbound at 4096", () => {
    for (const role of ["gateway", "apps", "endpoints"]) {
      const deny = rulesOf(get("azure-native:network:NetworkSecurityGroup", `n1-${role}-nsg`)).find((r) => r.name === "DenyAllInbound");
      expect(deny).toMatchObject({ priority: 4096, access: "Deny", direction: "Inbound", sourceAddressPrefix: "*", destinationPortRange: "*" });
    }
  });

  it("lets nothing into the integration subnet", () => {
    expect(inbound(get("azure-native:network:NetworkSecurityGroup", "n1-gateway-nsg")).map((r) => r.name)).toEqual(["DenyAllInbound"]);
  });

  it("lets only the gateway subnet (and platform probes) into the apps subnet, on HTTPS and node ports", () => {
    const allows = inbound(get("azure-native:network:NetworkSecurityGroup", "n1-apps-nsg")).filter((r) => r.access === "Allow");
    const sources = allows.map((r) => r.sourceAddressPrefix);
    expect(new Set(sources)).toEqual(new Set(["10.20.0.0/24", "AzureLoadBalancer", "10.20.2.0/23"]));
    expect(allows.find((r) => r.name === "AllowGatewayHttpsInbound")).toMatchObject({
      sourceAddressPrefix: "10.20.0.0/24",
      destinationAddressPrefix: "10.20.2.0/23",
      destinationPortRange: "443",
      protocol: "Tcp",
    });
    expect(allows.some((r) => r.destinationPortRange === "80")).toBe(false);
    expect(allows.some((r) => r.sourceAddressPrefix === "Internet" || r.sourceAddressPrefix === "*")).toBe(false);
  });

  it("lets only the gateway and apps subnets into the endpoints subnet, on 443", () => {
    const allows = inbound(get("azure-native:network:NetworkSecurityGroup", "n1-endpoints-nsg")).filter((r) => r.access === "Allow");
    expect(allows.map((r) => [r.sourceAddressPrefix, r.destinationAddressPrefix, r.destinationPortRange])).toEqual([
      ["10.20.0.0/24", "10.20.1.0/24", "443"],
      ["10.20.2.0/23", "10.20.1.0/24", "443"],
    ]);
  });

  it("sends NSG logs (no metrics) and VNet logs to the workspace", () => {
    for (const role of ["gateway", "apps", "endpoints"]) {
      const nsg = get("azure-native:network:NetworkSecurityGroup", `n1-${role}-nsg`);
      const diag = get("azure-native:monitor:DiagnosticSetting", `n1-${role}-nsg-diag`);
      expect(diag.propertyDependencies.resourceUri).toEqual([nsg.urn]);
      expect(diag.inputs.workspaceId).toBe(WORKSPACE);
      expect(diag.inputs.metrics).toEqual([]);
    }
    const vnetDiag = get("azure-native:monitor:DiagnosticSetting", "n1-vnet-diag");
    expect(vnetDiag.propertyDependencies.resourceUri).toEqual([get("azure-native:network:VirtualNetwork", "n1-vnet").urn]);
  });

  it("creates global private DNS zones linked to the VNet without auto-registration", () => {
    const vnet = get("azure-native:network:VirtualNetwork", "n1-vnet");
    for (const [kind, zoneName] of [
      ["keyVault", "privatelink.vaultcore.azure.net"],
      ["cognitiveServices", "privatelink.cognitiveservices.azure.com"],
    ]) {
      const zone = get("azure-native:privatedns:PrivateZone", `n1-${kind}-zone`);
      expect(zone.inputs).toMatchObject({ privateZoneName: zoneName, location: "global" });
      const link = get("azure-native:privatedns:VirtualNetworkLink", `n1-${kind}-link`);
      expect(link.inputs.registrationEnabled).toBe(false);
      expect(link.propertyDependencies.virtualNetwork).toEqual([vnet.urn]);
      expect(link.propertyDependencies.privateZoneName).toEqual([zone.urn]);
    }
    expect(runtime.ofType("azure-native:privatedns:PrivateZone").some((z) => z.name === "n1-apiManagement-zone")).toBe(false);
  });
});

describe("McpNetwork outputs", () => {
  it("exposes subnet and zone ids by obvious names, and refuses a zone it did not create", async () => {
    const network = networks.n2;
    expect(network.subnetCidrs).toEqual({ gateway: "10.20.0.0/24", endpoints: "10.20.1.0/24", apps: "10.20.2.0/23" });
    const id = await new Promise<string>((resolve) => network.endpointsSubnetId.apply(resolve));
    expect(id).toMatch(/\/virtualNetworks\/.+\/subnets\/endpoints$/);
    const zone = await new Promise<string>((resolve) => network.privateDnsZoneIdFor("keyVault").apply(resolve));
    expect(zone).toMatch(/\/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/);
    expect(() => network.privateDnsZoneIdFor("apiManagement")).toThrow(
      'network.privateDnsZones: no private DNS zone for "apiManagement" (privatelink.azure-api.net); add "apiManagement" to network.privateDnsZones.',
    );
  });
});

describe("McpNetwork (classic injection)", () => {
  it("has no delegation and the NSG rules API Management requires", async () => {
    expect(get("azure-native:network:Subnet", "n3-gateway").inputs.delegations).toEqual([]);
    const rules = rulesOf(get("azure-native:network:NetworkSecurityGroup", "n3-gateway-nsg"));
    const find = (name: string) => rules.find((r) => r.name === name);
    expect(find("AllowClientHttpsInbound")).toMatchObject({ sourceAddressPrefix: "10.50.0.0/16", destinationPortRange: "443", direction: "Inbound" });
    expect(find("AllowApiManagementControlPlaneInbound")).toMatchObject({ sourceAddressPrefix: "ApiManagement", destinationPortRange: "3443" });
    expect(find("AllowAzureLoadBalancerInbound")).toMatchObject({ sourceAddressPrefix: "AzureLoadBalancer", destinationPortRange: "6390" });
    const out = rules.filter((r) => r.direction === "Outbound").map((r) => [r.destinationAddressPrefix, r.destinationPortRange ?? r.destinationPortRanges]);
    expect(out).toEqual(
      expect.arrayContaining([
        ["Storage", "443"],
        ["Sql", "1433"],
        ["AzureKeyVault", "443"],
        ["AzureMonitor", ["1886", "443"]],
      ]),
    );
    expect(find("DenyAllInbound")?.priority).toBe(4096);
  });
});

describe("McpNetwork (Premium v2 injection)", () => {
  it("delegates to hostingEnvironments and allows outbound Storage", async () => {
    expect(get("azure-native:network:Subnet", "n4-gateway").inputs.delegations).toEqual([
      { name: "Microsoft.Web.hostingEnvironments", serviceName: "Microsoft.Web/hostingEnvironments" },
    ]);
    const rules = rulesOf(get("azure-native:network:NetworkSecurityGroup", "n4-gateway-nsg"));
    expect(rules.find((r) => r.name === "AllowStorageOutbound")).toMatchObject({ destinationAddressPrefix: "Storage", destinationPortRange: "443" });
    expect(rules.find((r) => r.name === "AllowClientHttpsInbound")).toMatchObject({ sourceAddressPrefix: "VirtualNetwork" });
  });
});

describe("McpNetwork validation", () => {
  it("refuses a bad layout before creating anything", async () => {
    expect(
      () =>
        new net.McpNetwork("bad", {
          resourceGroupName: "rg-mcp",
          logAnalyticsWorkspaceId: WORKSPACE,
          subnets: { apps: "10.20.2.0/28" },
        }),
    ).toThrow("subnets.apps: 10.20.2.0/28 is smaller than /27");
    await runtime.settle();
    expect(runtime.resources.filter((r) => r.name.startsWith("bad"))).toEqual([]);
  });

  it("refuses an empty client-source list", () => {
    expect(() => net.resolveNetworkDefaults({ gatewayMode: "injection", gatewayClientSources: [] })).toThrow(
      "network.gatewayClientSources: the list is empty, so nothing could call the gateway; list the client CIDRs or service tags.",
    );
  });
});

describe("PrivateHostDns for a Container Apps environment", () => {
  it("points * and @ of the environment's default domain at its static IP, linked to the VNet", async () => {
    const zone = runtime.one("azure-native:privatedns:PrivateZone", "env-dns-zone");
    expect(zone.inputs).toMatchObject({ privateZoneName: "blue.westeurope.azurecontainerapps.io", location: "global" });
    expect(zone.parent).toContain("PrivateHostDns");
    const link = runtime.one("azure-native:privatedns:VirtualNetworkLink", "env-dns-link");
    expect(link.inputs.registrationEnabled).toBe(false);
    expect(link.propertyDependencies.virtualNetwork).toEqual([runtime.one("azure-native:network:VirtualNetwork", "n1-vnet").urn]);
    for (const [logical, record] of [["env-dns-wildcard", "*"], ["env-dns-apex", "@"]]) {
      const set = runtime.one("azure-native:privatedns:PrivateRecordSet", logical);
      expect(set.inputs).toMatchObject({ recordType: "A", relativeRecordSetName: record, aRecords: [{ ipv4Address: "10.20.2.200" }] });
      expect(set.propertyDependencies.privateZoneName).toEqual([zone.urn]);
    }
  });
});

describe("McpNetwork egress", () => {
  it("attaches an explicit NAT gateway to the gateway and apps subnets only when given", async () => {
    const nat = NAT;
    expect(get("azure-native:network:Subnet", "n2-gateway").inputs.natGateway).toEqual({ id: nat });
    expect(get("azure-native:network:Subnet", "n2-apps").inputs.natGateway).toEqual({ id: nat });
    expect(get("azure-native:network:Subnet", "n2-endpoints").inputs.natGateway).toBeUndefined();
    expect(runtime.one("azure-native:network:Subnet", "n1-apps").inputs.natGateway).toBeUndefined();
  });
});
