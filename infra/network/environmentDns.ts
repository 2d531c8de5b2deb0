import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { PlacementArgs } from "../shared/types";

export interface ContainerAppsEnvironmentDnsArgs extends PlacementArgs {
  /** Required. The VNet (ARM id) whose resolvers must find the environment's apps. */
  readonly vnetId: pulumi.Input<string>;
  /** Required. The environment's `defaultDomain` (known once it exists), e.g. `x.westeurope.azurecontainerapps.io`. */
  readonly defaultDomain: pulumi.Input<string>;
  /** Required. The environment's `staticIp`: its internal load balancer. */
  readonly staticIp: pulumi.Input<string>;
  /**
   * Optional. TTL of the A records, in seconds.
   * @default 300
   */
  readonly ttl?: number;
}

/**
 * An internal Container Apps environment publishes no DNS of its own: this private zone, named after
 * the environment's default domain and linked to the VNet, points every app name (`*`) and the apex
 * (`@`) at the environment's static IP, so the gateway resolves `<app>.<defaultDomain>` privately.
 */
export class ContainerAppsEnvironmentDns extends pulumi.ComponentResource {
  public readonly zone: privatedns.PrivateZone;
  public readonly zoneId: pulumi.Output<string>;
  public readonly records: readonly privatedns.PrivateRecordSet[];

  constructor(name: string, args: ContainerAppsEnvironmentDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:ContainerAppsEnvironmentDns", name, {}, opts);
    this.zone = new privatedns.PrivateZone(
      `${name}-zone`,
      { resourceGroupName: args.resourceGroupName, privateZoneName: args.defaultDomain, location: "global", tags: args.tags },
      { parent: this },
    );
    new privatedns.VirtualNetworkLink(
      `${name}-link`,
      {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: this.zone.name,
        virtualNetworkLinkName: `${name}-link`,
        location: "global",
        virtualNetwork: { id: args.vnetId },
        registrationEnabled: false,
        tags: args.tags,
      },
      { parent: this },
    );
    this.records = (["*", "@"] as const).map(
      (recordName) =>
        new privatedns.PrivateRecordSet(
          `${name}-${recordName === "*" ? "wildcard" : "apex"}`,
          {
            resourceGroupName: args.resourceGroupName,
            privateZoneName: this.zone.name,
            recordType: "A",
            relativeRecordSetName: recordName,
            ttl: args.ttl ?? 300,
            aRecords: [{ ipv4Address: args.staticIp }],
          },
          { parent: this },
        ),
    );
    this.zoneId = this.zone.id;
    this.registerOutputs({ zoneId: this.zoneId });
  }
}
