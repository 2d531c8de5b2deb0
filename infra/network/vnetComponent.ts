import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { PrivateLinkServiceKind, PrivateLinkServices } from "../shared/privateEndpoint";
import { PlacementArgs } from "../shared/types";
import type { SubnetCidrs } from "./cidr";
import { PrivateHostDns } from "./privateHostDns";

/**
 * The network as the platform uses it, whoever created it: `McpNetwork` (the kit's VNet) and `ExistingNetwork`
 * (a landing zone's) are both one. Subnet ids to attach services to, the subnets' CIDRs (the apps' ingress
 * allow-list), the private DNS zone of each private-link service, and private host zones linked to the VNet.
 */
export interface NetworkReference {
  readonly vnetId: pulumi.Output<string>;
  readonly subnetCidrs: SubnetCidrs;
  readonly gatewaySubnetId: pulumi.Output<string>;
  readonly appsSubnetId: pulumi.Output<string>;
  readonly endpointsSubnetId: pulumi.Output<string>;
  privateDnsZoneIdFor(kind: PrivateLinkServiceKind): pulumi.Output<string>;
  addContainerAppsEnvironmentDns(name: string, environment: { readonly defaultDomain: pulumi.Input<string>; readonly staticIp: pulumi.Input<string> }): PrivateHostDns;
  addGatewayDns(name: string, gateway: { readonly hostName: pulumi.Input<string>; readonly privateIpAddress: pulumi.Input<string> }): PrivateHostDns;
}

/** A `privatelink.*` zone linked to one VNet; its id resolves once the link exists (names in it resolve only then). */
export function linkedPrivateLinkZone(
  name: string,
  args: { readonly resourceGroupName: pulumi.Input<string>; readonly tags?: PlacementArgs["tags"]; readonly kind: PrivateLinkServiceKind; readonly vnetId: pulumi.Input<string>; readonly linkName: string },
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const zone = new privatedns.PrivateZone(
    `${name}-${args.kind}-zone`,
    { resourceGroupName: args.resourceGroupName, privateZoneName: PrivateLinkServices[args.kind].zone, location: "global", tags: args.tags },
    opts,
  );
  const link = new privatedns.VirtualNetworkLink(
    `${name}-${args.kind}-link`,
    {
      resourceGroupName: args.resourceGroupName,
      privateZoneName: zone.name,
      virtualNetworkLinkName: args.linkName,
      location: "global",
      virtualNetwork: { id: args.vnetId },
      registrationEnabled: false,
      tags: args.tags,
    },
    opts,
  );
  // Whatever uses the zone id (a private endpoint's DNS zone group, and through it every app that waits for
  // the vault's DNS) then also waits for the link, without which names in the zone do not resolve in the VNet.
  return pulumi.all([zone.id, link.id]).apply(([id]) => id);
}

/** What both networks share: the zone lookup and the private host zones, linked to their VNet. */
export abstract class VnetComponent extends pulumi.ComponentResource implements NetworkReference {
  public abstract readonly vnetId: pulumi.Output<string>;
  public abstract readonly subnetCidrs: SubnetCidrs;
  public abstract readonly gatewaySubnetId: pulumi.Output<string>;
  public abstract readonly appsSubnetId: pulumi.Output<string>;
  public abstract readonly endpointsSubnetId: pulumi.Output<string>;
  /** Private DNS zone ids by service, e.g. `privateDnsZoneIds.keyVault`; only the zones asked for. */
  public abstract readonly privateDnsZoneIds: Readonly<Partial<Record<PrivateLinkServiceKind, pulumi.Output<string>>>>;
  protected abstract readonly placement: PlacementArgs;

  /** The private DNS zone id for a service; throws when the network was built without that zone. */
  privateDnsZoneIdFor(kind: PrivateLinkServiceKind): pulumi.Output<string> {
    const id = this.privateDnsZoneIds[kind];
    if (!id) {
      throw new Error(
        `network.privateDnsZones: no private DNS zone for "${kind}" (${PrivateLinkServices[kind].zone}); add "${kind}" to network.privateDnsZones.`,
      );
    }
    return id;
  }

  /**
   * Makes an internal Container Apps environment's apps resolvable inside this VNet: a private zone
   * named after the environment's default domain, with `*` and `@` pointing at its static IP.
   */
  addContainerAppsEnvironmentDns(
    name: string,
    environment: { readonly defaultDomain: pulumi.Input<string>; readonly staticIp: pulumi.Input<string> },
  ): PrivateHostDns {
    return this.addPrivateHostDns(name, { zoneName: environment.defaultDomain, ipAddress: environment.staticIp, wildcard: true });
  }

  /**
   * Makes an API Management gateway in internal VNet mode resolvable inside this VNet: a private zone
   * named after its host name (default or custom domain) pointing at its private IP.
   */
  addGatewayDns(name: string, gateway: { readonly hostName: pulumi.Input<string>; readonly privateIpAddress: pulumi.Input<string> }): PrivateHostDns {
    return this.addPrivateHostDns(name, { zoneName: gateway.hostName, ipAddress: gateway.privateIpAddress });
  }

  private addPrivateHostDns(
    name: string,
    host: { zoneName: pulumi.Input<string>; ipAddress: pulumi.Input<string>; wildcard?: boolean },
  ): PrivateHostDns {
    return new PrivateHostDns(name, { ...this.placement, ...host, vnetId: this.vnetId }, { parent: this });
  }
}
