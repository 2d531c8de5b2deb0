import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { PlacementArgs } from "../shared/types";

export interface EgressNatGatewayArgs extends PlacementArgs {
  /**
   * Optional. The NAT gateway's name.
   * @default auto-named from the component name
   */
  readonly natGatewayName?: string;
  /**
   * Optional. The static public IP's name.
   * @default auto-named from the component name
   */
  readonly publicIpName?: string;
  /**
   * Optional. Minutes an idle outbound flow is kept.
   * @default 4
   */
  readonly idleTimeoutInMinutes?: number;
}

/**
 * The explicit outbound path for subnets that have default outbound access turned off: a NAT gateway
 * with one static Standard public IP. The workloads' egress leaves from one known address, which
 * upstream APIs can allow-list, and nothing can reach in through it (NAT gateways carry outbound flows
 * only).
 */
export class EgressNatGateway extends pulumi.ComponentResource {
  public readonly id: pulumi.Output<string>;
  /** The egress address, for upstream allow-lists. */
  public readonly publicIpAddress: pulumi.Output<string>;

  constructor(name: string, args: EgressNatGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    const idle = args.idleTimeoutInMinutes ?? 4;
    if (!Number.isInteger(idle) || idle < 4 || idle > 120) {
      throw new Error(`network.egress.idleTimeoutInMinutes ${idle} is out of range; use a whole number of minutes from 4 to 120.`);
    }
    super("hardened-mcp:azure:EgressNatGateway", name, {}, opts);
    const placed = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const ip = new network.PublicIPAddress(
      `${name}-pip`,
      {
        ...placed,
        publicIpAddressName: args.publicIpName,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
      },
      { parent: this },
    );
    const nat = new network.NatGateway(
      `${name}-nat`,
      {
        ...placed,
        natGatewayName: args.natGatewayName,
        sku: { name: "Standard" },
        idleTimeoutInMinutes: idle,
        publicIpAddresses: [{ id: ip.id }],
      },
      { parent: this },
    );
    this.id = nat.id;
    this.publicIpAddress = ip.ipAddress.apply((address) => address ?? "");
    this.registerOutputs({ id: this.id, publicIpAddress: this.publicIpAddress });
  }
}
