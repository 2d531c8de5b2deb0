import * as pulumi from "@pulumi/pulumi";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { PlacementArgs } from "../shared/types";

export interface PrivateHostDnsArgs extends PlacementArgs {
  /** Required. The VNet (ARM id) whose resolvers must find the host. */
  readonly vnetId: pulumi.Input<string>;
  /** Required. The zone: the host name itself (e.g. `apim-mcp-dev.azure-api.net`) or a domain under which every name resolves. */
  readonly zoneName: pulumi.Input<string>;
  /** Required. The private IP every record points at. */
  readonly ipAddress: pulumi.Input<string>;
  /**
   * Optional. Also answer every name under the zone (`*`), as an environment whose apps are
   * `<app>.<defaultDomain>` needs.
   * @default false
   */
  readonly wildcard?: boolean;
  /**
   * Optional. TTL of the A records, in seconds.
   * @default 300
   */
  readonly ttl?: number;
}

/**
 * A private zone that makes one private host resolvable inside the VNet: named after the host (so only
 * that name is overridden, never a whole public domain such as `azure-api.net`), linked to the VNet, with
 * `@` (and `*` when asked) pointing at its private IP. Services that publish no DNS of their own need it:
 * an internal Container Apps environment, an API Management gateway in internal VNet mode.
 */
export class PrivateHostDns extends pulumi.ComponentResource {
  public readonly zone: privatedns.PrivateZone;
  public readonly zoneId: pulumi.Output<string>;
  public readonly records: readonly privatedns.PrivateRecordSet[];

  constructor(name: string, args: PrivateHostDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:PrivateHostDns", name, {}, opts);
    this.zone = new privatedns.PrivateZone(
      `${name}-zone`,
      { resourceGroupName: args.resourceGroupName, privateZoneName: args.zoneName, location: "global", tags: args.tags },
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
    const names: ("*" | "@")[] = args.wildcard ? ["*", "@"] : ["@"];
    this.records = names.map(
      (recordName) =>
        new privatedns.PrivateRecordSet(
          `${name}-${recordName === "*" ? "wildcard" : "apex"}`,
          {
            resourceGroupName: args.resourceGroupName,
            privateZoneName: this.zone.name,
            recordType: "A",
            relativeRecordSetName: recordName,
            ttl: args.ttl ?? 300,
            aRecords: [{ ipv4Address: args.ipAddress }],
          },
          { parent: this },
        ),
    );
    this.zoneId = this.zone.id;
    this.registerOutputs({ zoneId: this.zoneId });
  }
}
