import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { privateLinkZonesFor } from "../../baseline/privateLink";
import { PlacementArgs } from "./types";

/** The zone a group id resolves through (baseline/privateLink.ts, which the pack checks endpoints against). */
const zoneOf = (groupId: string): string => privateLinkZonesFor(groupId)[0];

/** Private-link sub-resources (group ids) and the private DNS zone each resolves through. */
export const PrivateLinkServices = {
  keyVault: { groupId: "vault", zone: zoneOf("vault") },
  cognitiveServices: { groupId: "account", zone: zoneOf("account") },
  apiManagement: { groupId: "Gateway", zone: zoneOf("Gateway") },
  // Premium registries only; the zone holds the registry's record and its regional data endpoint's
  // (`<name>.<region>.data`), both written by the zone group (infra/containerapps/registryEndpoint.ts).
  containerRegistry: { groupId: "registry", zone: zoneOf("registry") },
} as const;

export type PrivateLinkServiceKind = keyof typeof PrivateLinkServices;

/** Where a component's private endpoint goes: the `privateEndpoint` argument of every private service. */
export interface PrivateEndpointPlacement {
  /** Required. The endpoints subnet (ARM id). */
  readonly subnetId: pulumi.Input<string>;
  /** Required. The service's `privatelink.*` zone (ARM id); see `PrivateLinkServices`. */
  readonly privateDnsZoneId: pulumi.Input<string>;
  /**
   * Optional. The endpoint's region, which must be the VNet's; the service itself may sit elsewhere
   * (Content Safety's Prompt Shields is not offered in every region).
   * @default the service's `location`, else the resource group's region
   */
  readonly location?: pulumi.Input<string>;
}

export interface PrivateEndpointArgs extends PlacementArgs {
  /** Required. The resource reached through the endpoint (its ARM id). */
  readonly privateLinkServiceId: pulumi.Input<string>;
  /** Required. Which kind of service; picks the group id. */
  readonly service: PrivateLinkServiceKind;
  /** Required. The subnet the endpoint's NIC lives in. */
  readonly subnetId: pulumi.Input<string>;
  /** Required. The private DNS zone (its ARM id) that gets the endpoint's A record. */
  readonly privateDnsZoneId: pulumi.Input<string>;
}

export interface PrivateEndpointResult {
  readonly endpoint: network.PrivateEndpoint;
  readonly dnsZoneGroup: network.PrivateDnsZoneGroup;
}

/**
 * A private endpoint with its DNS zone group, so the service's name resolves to the private IP
 * inside the VNet. The one helper every component uses.
 */
export function createPrivateEndpoint(
  name: string,
  args: PrivateEndpointArgs,
  opts: pulumi.CustomResourceOptions,
): PrivateEndpointResult {
  const { groupId } = PrivateLinkServices[args.service];
  const endpoint = new network.PrivateEndpoint(
    `${name}-pe`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
      subnet: { id: args.subnetId },
      customNetworkInterfaceName: `${name}-pe-nic`,
      privateLinkServiceConnections: [
        { name: `${name}-${groupId}`, privateLinkServiceId: args.privateLinkServiceId, groupIds: [groupId] },
      ],
    },
    opts,
  );
  const dnsZoneGroup = new network.PrivateDnsZoneGroup(
    `${name}-pe-dns`,
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: groupId, privateDnsZoneId: args.privateDnsZoneId }],
    },
    { ...opts, parent: opts.parent },
  );
  return { endpoint, dnsZoneGroup };
}
