import * as pulumi from "@pulumi/pulumi";
import { knownArmId, subscriptionIdOf } from "../shared/armIds";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { BroughtValue, broughtProblems, checkedBrought } from "../shared/existingResource";
import { throwIfProblems } from "../shared/settingError";
import { Grantee, PlacementArgs } from "../shared/types";

export interface WorkloadIdentityArgs extends PlacementArgs {
  /**
   * Optional. The identity's Azure name.
   * @default auto-named from the component name
   */
  readonly identityName?: string;
}

/**
 * A user-assigned identity as the components use it: listed on apps and services (`id`), granted roles
 * (`principalId`), named in token requests (`clientId`). `WorkloadIdentity` is one; `WorkloadIdentity.fromExisting`
 * makes one from an identity the kit did not create.
 */
export interface WorkloadIdentityReference extends Grantee {
  /** ARM id, for `identity.userAssignedIdentities` on apps and services. */
  readonly id: pulumi.Output<string>;
  /** Object id of the service principal: what role assignments name. */
  readonly principalId: pulumi.Output<string>;
  /** Application (client) id: what a workload passes to get tokens as this identity. */
  readonly clientId: pulumi.Output<string>;
  readonly principalType: "ServicePrincipal";
}

/** An identity someone else created (a landing zone's), by the three values Azure shows for it. */
export interface ExistingWorkloadIdentityArgs {
  /** Required. ARM id: `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>`. */
  readonly id: pulumi.Input<string>;
  /** Required. Its client id (GUID): `az identity show --ids <id> --query clientId`. */
  readonly clientId: pulumi.Input<string>;
  /** Required. Its principal (object) id (GUID): `az identity show --ids <id> --query principalId`. */
  readonly principalId: pulumi.Input<string>;
}

/** The rules an existing identity's values follow, each named by its field. */
function existingIdentityValues(args: ExistingWorkloadIdentityArgs): BroughtValue[] {
  return [
    { field: ["id"], value: args.id, kind: "Microsoft.ManagedIdentity/userAssignedIdentities", fix: "use the identity's resource id (az identity show --query id)" },
    { field: ["clientId"], value: args.clientId, kind: "guid", fix: "use the identity's client id (az identity show --query clientId)" },
    { field: ["principalId"], value: args.principalId, kind: "guid", fix: "use the identity's principal id (az identity show --query principalId)" },
  ];
}

/** Throws a `SettingError` for every plain value of `args` that `WorkloadIdentity.fromExisting` would refuse. Registers nothing. */
export function validateExistingWorkloadIdentity(args: ExistingWorkloadIdentityArgs): void {
  throwIfProblems(broughtProblems(existingIdentityValues(args)), "Invalid existing identity");
}

/**
 * One user-assigned managed identity per workload (an MCP server, the gateway): its own principal,
 * so every grant names exactly one workload and revoking one never touches another. Pass it
 * wherever a `Grantee` is expected (`vault.grantSecretsRead("server-a", identity)`).
 */
export class WorkloadIdentity extends pulumi.ComponentResource implements WorkloadIdentityReference {
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

  /**
   * An identity the kit does not create, as the components use one. Nothing is registered: grants made to it
   * are the caller's components' own, each on one resource, and its values are known at preview when given
   * as plain strings (so the pack judges what names it). Checked now (plain strings) or when they resolve;
   * whoever owns the identity must keep it free of other grants (it acts for the workload it is given to).
   */
  static fromExisting(args: ExistingWorkloadIdentityArgs): WorkloadIdentityReference {
    const [id, clientId, principalId] = checkedBrought(existingIdentityValues(args), "Invalid existing identity");
    return { id, clientId, principalId, principalType: "ServicePrincipal" };
  }
}
