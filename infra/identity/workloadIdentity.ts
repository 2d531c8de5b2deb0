import * as pulumi from "@pulumi/pulumi";
import { knownArmId, subscriptionIdOf } from "../shared/armIds";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { Grantee, PlacementArgs } from "../shared/types";

export interface WorkloadIdentityArgs extends PlacementArgs {
  /**
   * Optional. The identity's Azure name.
   * @default auto-named from the component name
   */
  readonly identityName?: string;
}

/**
 * One user-assigned managed identity per workload (an MCP server, the gateway): its own principal,
 * so every grant names exactly one workload and revoking one never touches another. Pass it
 * wherever a `Grantee` is expected (`vault.grantSecretsRead("server-a", identity)`).
 */
export class WorkloadIdentity extends pulumi.ComponentResource implements Grantee {
  public readonly identity: managedidentity.UserAssignedIdentity;
  /** ARM id, for `identity.userAssignedIdentities` on apps and services. */
  public readonly id: pulumi.Output<string>;
  /** Object id of the service principal: what role assignments name. */
  public readonly principalId: pulumi.Output<string>;
  /** Application (client) id: what a workload passes to get tokens as this identity. */
  public readonly clientId: pulumi.Output<string>;
  public readonly tenantId: pulumi.Output<string>;
  /** Managed identities are service principals; set so a new identity's grants skip the replication lookup. */
  public readonly principalType = "ServicePrincipal" as const;

  constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:WorkloadIdentity", name, {}, opts);
    this.identity = new managedidentity.UserAssignedIdentity(
      `${name}-id`,
      { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags, resourceName: args.identityName },
      // The identity has a fixed name: a replacement (`pulumi up --replace`, to rotate it) must delete the old
      // one first, or azure-native's create finds the name taken ("cannot create already existing resource").
      // Its grants are named after the principal id, so they are replaced with it.
      { parent: this, deleteBeforeReplace: true },
    );
    // Known during preview when the name is ours (what apps and services list in `userAssignedIdentities`).
    const arm = { subscriptionId: subscriptionIdOf(this), resourceGroupName: args.resourceGroupName };
    this.id = knownArmId(this.identity, arm, ["Microsoft.ManagedIdentity/userAssignedIdentities", args.identityName]);
    this.principalId = this.identity.principalId;
    this.clientId = this.identity.clientId;
    this.tenantId = this.identity.tenantId;
    this.registerOutputs({ id: this.id, principalId: this.principalId, clientId: this.clientId });
  }
}
