import * as pulumi from "@pulumi/pulumi";
import { isChildResourceOf, parseArmResourceId } from "../../baseline/armResourceId";
import { BroughtValue, broughtProblems, checkedBrought } from "../shared/existingResource";
import { PrivateLinkServiceKind, PrivateLinkServices } from "../shared/privateEndpoint";
import { SettingProblem, throwIfProblems } from "../shared/settingError";
import { PlacementArgs } from "../shared/types";
import { GatewayNetworkMode, networkLayoutProblems, SubnetCidrs, SubnetRole } from "./cidr";
import { linkedPrivateLinkZone, VnetComponent } from "./vnetComponent";

/** One subnet of a network the kit did not create: its id, and its CIDR (the apps' ingress allow-list, size checks). */
export interface ExistingSubnetArgs {
  /** Required. `<virtualNetworkId>/subnets/<name>`. */
  readonly id: pulumi.Input<string>;
  /** Required. The subnet's IPv4 CIDR, as Azure shows it (`az network vnet subnet show --query addressPrefix`). */
  readonly addressPrefix: string;
}

export interface ExistingNetworkArgs extends PlacementArgs {
  /** Required. The VNet (ARM id): what the kit's private DNS zones are linked to. */
  readonly virtualNetworkId: pulumi.Input<string>;
  /** Required. The three subnets, each inside that VNet. */
  readonly subnets: Readonly<Record<SubnetRole, ExistingSubnetArgs>>;
  /**
   * Optional. Existing `privatelink.*` zones by service (a hub's), each named as the service needs. Give all the
   * zones the platform uses or none: a VNet links to one zone of a name, so the kit cannot add its own next to a hub's.
   * @default the component creates each zone in `resourceGroupName` and links it to the VNet
   */
  readonly privateDnsZoneIds?: Readonly<Partial<Record<PrivateLinkServiceKind, pulumi.Input<string>>>>;
  /** Required. The private-link services the platform reaches, each needing its zone. */
  readonly privateDnsZones: readonly PrivateLinkServiceKind[];
  /** Required. How API Management attaches (the gateway subnet's minimum size depends on it). */
  readonly gatewayMode: GatewayNetworkMode;
}

const ROLES: readonly SubnetRole[] = ["gateway", "apps", "endpoints"];

/** The ids the arguments carry, each with the type it must have. */
function idValues(args: Pick<ExistingNetworkArgs, "virtualNetworkId" | "subnets" | "privateDnsZoneIds">): BroughtValue[] {
  return [
    { field: ["virtualNetworkId"], value: args.virtualNetworkId, kind: "Microsoft.Network/virtualNetworks", fix: "use the VNet's resource id (az network vnet show --query id)" },
    ...ROLES.map((role) => ({
      field: ["subnets", role, "id"],
      value: args.subnets[role].id,
      kind: "Microsoft.Network/virtualNetworks/subnets",
      fix: "use the subnet's resource id (az network vnet subnet show --query id)",
    })),
    ...Object.entries(args.privateDnsZoneIds ?? {}).map(([kind, id]) => ({
      field: ["privateDnsZoneIds", kind],
      value: id as pulumi.Input<string>,
      kind: "Microsoft.Network/privateDnsZones",
      fix: `use the resource id of the hub's ${PrivateLinkServices[kind as PrivateLinkServiceKind].zone} zone`,
    })),
  ];
}

/**
 * Every problem with a network the kit is given (plain values; an Output is checked when it resolves): ids of
 * the right types, each subnet inside the VNet, zones named for their service and given all or none, and the
 * subnets' CIDRs valid, not overlapping and large enough for their services. Registers nothing.
 */
export function existingNetworkProblems(
  args: Pick<ExistingNetworkArgs, "virtualNetworkId" | "subnets" | "privateDnsZoneIds" | "privateDnsZones" | "gatewayMode">,
): SettingProblem[] {
  const problems = broughtProblems(idValues(args));
  const vnet = args.virtualNetworkId;
  for (const role of ROLES) {
    const id = args.subnets[role].id;
    if (typeof vnet === "string" && typeof id === "string" && parseArmResourceId(id) && parseArmResourceId(vnet) && !isChildResourceOf(id, vnet)) {
      problems.push({ field: ["subnets", role, "id"], problem: `${JSON.stringify(id)} is not a subnet of the VNet ${vnet}`, fix: "use a subnet of virtualNetworkId, or the VNet that holds it" });
    }
  }
  const zones = args.privateDnsZoneIds ?? {};
  for (const [kind, id] of Object.entries(zones)) {
    const wanted = PrivateLinkServices[kind as PrivateLinkServiceKind]?.zone;
    const name = typeof id === "string" ? parseArmResourceId(id)?.name : undefined;
    if (name !== undefined && wanted !== undefined && name.toLowerCase() !== wanted) {
      problems.push({ field: ["privateDnsZoneIds", kind], problem: `the zone is ${name}, not ${wanted}`, fix: `use the hub's ${wanted} zone` });
    }
  }
  if (Object.keys(zones).length > 0) {
    for (const kind of args.privateDnsZones.filter((k) => zones[k] === undefined)) {
      problems.push({
        field: ["privateDnsZoneIds", kind],
        problem: `is missing: the other zones are brought, and the VNet can link only one ${PrivateLinkServices[kind].zone} zone`,
        fix: `add the hub's ${PrivateLinkServices[kind].zone} zone id, or bring no zones at all`,
      });
    }
  }
  const subnets = Object.fromEntries(ROLES.map((role) => [role, args.subnets[role].addressPrefix])) as SubnetCidrs;
  for (const p of networkLayoutProblems({ subnets, gatewayMode: args.gatewayMode })) problems.push({ ...p, field: [...p.field, "addressPrefix"] });
  return problems;
}

/** Throws one `SettingError` with every problem `existingNetworkProblems` finds. */
export function validateExistingNetwork(args: Parameters<typeof existingNetworkProblems>[0]): void {
  throwIfProblems(existingNetworkProblems(args), "Invalid existing network");
}

/**
 * A VNet the kit does not create (a landing zone's spoke), as the platform uses a network: its subnets' ids, known
 * at preview when given as strings, and a private DNS zone per private-link service, brought (a hub's) or created
 * here and linked to the VNet. The kit writes nothing to the VNet or its subnets: their NSGs, delegations, routes
 * and default outbound access are their owner's (the plan lists what they must guarantee).
 */
export class ExistingNetwork extends VnetComponent {
  public readonly vnetId: pulumi.Output<string>;
  public readonly subnetCidrs: SubnetCidrs;
  public readonly gatewaySubnetId: pulumi.Output<string>;
  public readonly appsSubnetId: pulumi.Output<string>;
  public readonly endpointsSubnetId: pulumi.Output<string>;
  public readonly privateDnsZoneIds: Readonly<Partial<Record<PrivateLinkServiceKind, pulumi.Output<string>>>>;
  protected readonly placement: PlacementArgs;

  constructor(name: string, args: ExistingNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    validateExistingNetwork(args); // before registering anything
    super("hardened-mcp:azure:ExistingNetwork", name, {}, opts);
    this.placement = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const [vnetId, gateway, apps, endpoints] = checkedBrought(idValues({ ...args, privateDnsZoneIds: {} }), "Invalid existing network");
    this.vnetId = vnetId;
    this.gatewaySubnetId = gateway;
    this.appsSubnetId = apps;
    this.endpointsSubnetId = endpoints;
    this.subnetCidrs = { gateway: args.subnets.gateway.addressPrefix, apps: args.subnets.apps.addressPrefix, endpoints: args.subnets.endpoints.addressPrefix };
    const zoneIds: Partial<Record<PrivateLinkServiceKind, pulumi.Output<string>>> = {};
    for (const kind of new Set(args.privateDnsZones)) {
      const brought = args.privateDnsZoneIds?.[kind];
      zoneIds[kind] = brought !== undefined
        ? pulumi.output(brought)
        : linkedPrivateLinkZone(name, { resourceGroupName: args.resourceGroupName, tags: args.tags, kind, vnetId, linkName: `${name}-link` }, { parent: this });
    }
    this.privateDnsZoneIds = zoneIds;
    this.registerOutputs({ vnetId, gatewaySubnetId: gateway, appsSubnetId: apps, endpointsSubnetId: endpoints, privateDnsZoneIds: zoneIds });
  }
}
