import * as pulumi from "@pulumi/pulumi";
import { knownArmId, subscriptionIdOf } from "../shared/armIds";
import * as network from "@pulumi/azure-native/network";
import { attachDiagnostics } from "../shared/diagnostics";
import { PrivateLinkServiceKind } from "../shared/privateEndpoint";
import { PlacementArgs } from "../shared/types";
import { completeSubnetCidrs, GatewayNetworkMode, SubnetCidrs, SubnetRole, validateNetworkLayout } from "./cidr";
import { linkedPrivateLinkZone, VnetComponent } from "./vnetComponent";
import { securityRulesFor } from "./nsgRules";

export interface McpNetworkArgs extends PlacementArgs {
  /** Required. Log Analytics workspace (ARM id) that receives the VNet's and NSGs' logs. */
  readonly logAnalyticsWorkspaceId: pulumi.Input<string>;
  /**
   * Optional. VNet name.
   * @default auto-named from the component name
   */
  readonly vnetName?: string;
  /**
   * Optional. NSG names by subnet role.
   * @default auto-named from the component name
   */
  readonly networkSecurityGroupNames?: Partial<Readonly<Record<SubnetRole, string>>>;
  /**
   * Optional. The VNet's IPv4 address space.
   * @default "10.20.0.0/16"
   */
  readonly addressSpace?: string;
  /**
   * Optional. Subnet CIDRs; any left out come from `defaultSubnetCidrs(addressSpace)`.
   * @default gateway = first /24, endpoints = second /24, apps = the /23 after them
   */
  readonly subnets?: Partial<SubnetCidrs>;
  /**
   * Optional. How API Management attaches to the VNet (see `GatewayNetworkMode`). Must match the
   * APIM SKU: `integration` for StandardV2/PremiumV2, `injection` for Developer/Premium,
   * `injectionV2` for PremiumV2 injection.
   * @default "integration"
   */
  readonly gatewayMode?: GatewayNetworkMode;
  /**
   * Optional. In the injection modes, who may call the gateway on 443 (CIDRs or service tags).
   * `"Internet"` is an explicit choice for an external-mode gateway.
   * @default ["VirtualNetwork"]
   */
  readonly gatewayClientSources?: string[];
  /**
   * Optional. A NAT gateway (ARM id) for the gateway and apps subnets' outbound traffic. Every subnet
   * has `defaultOutboundAccess: false`, so egress to public endpoints (Entra ID metadata, registries,
   * MCP servers' upstream APIs) needs an explicit path: this NAT gateway, a firewall route, or the
   * service's own outbound IP. `HardenedMcpPlatform` creates one (`EgressNatGateway`) unless told
   * otherwise; this component only attaches what it is given.
   * @default no NAT gateway
   */
  readonly outboundNatGatewayId?: pulumi.Input<string>;
  /**
   * Optional. Private-link services that get a private DNS zone linked to the VNet.
   * @default ["keyVault", "cognitiveServices"]
   */
  readonly privateDnsZones?: PrivateLinkServiceKind[];
}

/** `McpNetworkArgs` with every default applied: what the component builds. */
export interface ResolvedNetworkSettings {
  readonly addressSpace: string;
  readonly subnets: SubnetCidrs;
  readonly gatewayMode: GatewayNetworkMode;
  readonly gatewayClientSources: string[];
  readonly privateDnsZones: PrivateLinkServiceKind[];
}

export const DEFAULT_ADDRESS_SPACE = "10.20.0.0/16";

/** Applies the secure defaults and validates the layout (throws with every problem found). */
export function resolveNetworkDefaults(args: Omit<McpNetworkArgs, keyof PlacementArgs | "logAnalyticsWorkspaceId">): ResolvedNetworkSettings {
  const addressSpace = args.addressSpace ?? DEFAULT_ADDRESS_SPACE;
  const subnets = completeSubnetCidrs(addressSpace, args.subnets);
  const gatewayMode = args.gatewayMode ?? "integration";
  validateNetworkLayout({ addressSpace, subnets, gatewayMode });
  const gatewayClientSources = args.gatewayClientSources ?? ["VirtualNetwork"];
  if (gatewayClientSources.length === 0) {
    throw new Error("network.gatewayClientSources: the list is empty, so nothing could call the gateway; list the client CIDRs or service tags.");
  }
  const privateDnsZones = [...new Set(args.privateDnsZones ?? (["keyVault", "cognitiveServices"] as PrivateLinkServiceKind[]))];
  return { addressSpace, subnets, gatewayMode, gatewayClientSources, privateDnsZones };
}

/** The delegation each subnet needs, by role and gateway mode. */
export function delegationFor(role: SubnetRole, gatewayMode: GatewayNetworkMode): string | undefined {
  if (role === "apps") return "Microsoft.App/environments";
  if (role === "gateway" && gatewayMode === "integration") return "Microsoft.Web/serverFarms";
  if (role === "gateway" && gatewayMode === "injectionV2") return "Microsoft.Web/hostingEnvironments";
  return undefined;
}

// Subnets are written in this order, one at a time: Azure refuses concurrent writes to subnets of
// one VNet ("AnotherOperationInProgress").
const SUBNET_ORDER: readonly SubnetRole[] = ["gateway", "apps", "endpoints"];

/**
 * The platform's VNet: three standalone subnets (gateway, apps, endpoints), each with its own
 * least-privilege NSG ending in DenyAllInbound, no default outbound access, and private DNS zones
 * for the private-link services in use. VNet and NSG logs go to the workspace.
 */
export class McpNetwork extends VnetComponent {
  public readonly vnet: network.VirtualNetwork;
  public readonly vnetId: pulumi.Output<string>;
  public readonly vnetName: pulumi.Output<string>;
  /** The settings the network was built from (CIDRs, mode), defaults applied. */
  public readonly settings: ResolvedNetworkSettings;
  /**
   * The subnets' CIDRs (plain strings, known at plan time), e.g. the gateway's CIDR for the only
   * source an MCP server's ingress should accept.
   */
  public readonly subnetCidrs: SubnetCidrs;
  public readonly subnets: Readonly<Record<SubnetRole, network.Subnet>>;
  public readonly nsgs: Readonly<Record<SubnetRole, network.NetworkSecurityGroup>>;
  /** Subnet for API Management (delegated or not per `gatewayMode`). */
  public readonly gatewaySubnetId: pulumi.Output<string>;
  /** Subnet for the Container Apps environment (delegated to Microsoft.App/environments). */
  public readonly appsSubnetId: pulumi.Output<string>;
  /** Subnet for private endpoints (NSGs enforced on them). */
  public readonly endpointsSubnetId: pulumi.Output<string>;
  /** Private DNS zone ids by service, e.g. `privateDnsZoneIds.keyVault`; only the zones asked for. */
  public readonly privateDnsZoneIds: Readonly<Partial<Record<PrivateLinkServiceKind, pulumi.Output<string>>>>;

  protected readonly placement: PlacementArgs;

  constructor(name: string, args: McpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = resolveNetworkDefaults(args); // before registering anything
    super("hardened-mcp:azure:McpNetwork", name, {}, opts);
    this.settings = settings;
    this.subnetCidrs = settings.subnets;
    this.placement = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const placed = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    this.vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      {
        ...placed,
        virtualNetworkName: args.vnetName,
        addressSpace: { addressPrefixes: [settings.addressSpace] },
        // Subnets are standalone resources; an inline list here would fight them on every update.
      },
      { parent: this, ignoreChanges: ["subnets"] },
    );
    this.vnetId = this.vnet.id;
    this.vnetName = this.vnet.name;
    attachDiagnostics(`${name}-vnet`, { resourceId: this.vnet.id, workspaceId: args.logAnalyticsWorkspaceId }, { parent: this });

    const nsgs = {} as Record<SubnetRole, network.NetworkSecurityGroup>;
    const subnets = {} as Record<SubnetRole, network.Subnet>;
    let previous: network.Subnet | undefined;
    for (const role of SUBNET_ORDER) {
      const nsg = new network.NetworkSecurityGroup(
        `${name}-${role}-nsg`,
        {
          ...placed,
          ...(args.networkSecurityGroupNames?.[role] ? { networkSecurityGroupName: args.networkSecurityGroupNames[role] } : {}),
          securityRules: securityRulesFor(role, settings),
        },
        { parent: this },
      );
      attachDiagnostics(
        `${name}-${role}-nsg`,
        { resourceId: nsg.id, workspaceId: args.logAnalyticsWorkspaceId, metrics: false },
        { parent: this },
      );
      const delegation = delegationFor(role, settings.gatewayMode);
      const subnet = new network.Subnet(
        `${name}-${role}`,
        {
          resourceGroupName: args.resourceGroupName,
          virtualNetworkName: this.vnet.name,
          subnetName: role,
          addressPrefix: settings.subnets[role],
          networkSecurityGroup: { id: nsg.id },
          defaultOutboundAccess: false,
          ...(args.outboundNatGatewayId && role !== "endpoints" ? { natGateway: { id: args.outboundNatGatewayId } } : {}),
          delegations: delegation ? [{ name: delegation.replace("/", "."), serviceName: delegation }] : [],
          // "Enabled" makes NSGs (and route tables) apply to private endpoints too.
          privateEndpointNetworkPolicies: role === "endpoints" ? "Enabled" : "Disabled",
        },
        { parent: this, dependsOn: previous ? [previous] : [] },
      );
      nsgs[role] = nsg;
      subnets[role] = subnet;
      previous = subnet;
    }
    this.nsgs = nsgs;
    this.subnets = subnets;
    // Resolve only once every subnet is written: services that attach to a subnet (APIM, the Container
    // Apps environment, private endpoints) then never start while a later subnet write is still running
    // on the same VNet, which Azure refuses ("AnotherOperationInProgress").
    // The ids are built from the names (known during preview, so the pack can judge what attaches to a
    // subnet) and wait for the last subnet's URN, which resolves when its write has finished, as its id does.
    const lastWritten = subnets[SUBNET_ORDER[SUBNET_ORDER.length - 1]];
    const arm = { subscriptionId: subscriptionIdOf(this), resourceGroupName: args.resourceGroupName };
    const subnetId = (role: SubnetRole) =>
      pulumi
        .all([knownArmId(subnets[role], arm, ["Microsoft.Network/virtualNetworks", args.vnetName, "subnets", role]), lastWritten.urn])
        .apply(([id]) => id);
    this.gatewaySubnetId = subnetId("gateway");
    this.appsSubnetId = subnetId("apps");
    this.endpointsSubnetId = subnetId("endpoints");

    const zoneIds: Partial<Record<PrivateLinkServiceKind, pulumi.Output<string>>> = {};
    for (const kind of settings.privateDnsZones) {
      zoneIds[kind] = linkedPrivateLinkZone(name, { resourceGroupName: args.resourceGroupName, tags: args.tags, kind, vnetId: this.vnet.id, linkName: `${name}-link` }, { parent: this });
    }
    this.privateDnsZoneIds = zoneIds;

    this.registerOutputs({
      vnetId: this.vnetId,
      gatewaySubnetId: this.gatewaySubnetId,
      appsSubnetId: this.appsSubnetId,
      endpointsSubnetId: this.endpointsSubnetId,
      privateDnsZoneIds: zoneIds,
    });
  }
}
