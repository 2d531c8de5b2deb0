import * as pulumi from "@pulumi/pulumi";

/** Azure resource tags. */
export type Tags = Record<string, string>;

/** Where a component's resources go. Every component takes these. */
export interface PlacementArgs {
  /** Required. Resource group that holds the component's resources. */
  readonly resourceGroupName: pulumi.Input<string>;
  /**
   * Optional. Azure region.
   * @default the resource group's region (the provider's `location`)
   */
  readonly location?: pulumi.Input<string>;
  /**
   * Optional. Tags applied to every taggable child resource.
   * @default {}
   */
  readonly tags?: pulumi.Input<Tags>;
}

/** Principal types Azure RBAC accepts; managed identities are always `ServicePrincipal`. */
export type PrincipalType = "ServicePrincipal" | "User" | "Group" | "ForeignGroup" | "Device";

/**
 * Something a role can be granted to: a managed identity, a service principal, a group.
 * `managedidentity.UserAssignedIdentity` satisfies it as is.
 */
export interface Grantee {
  readonly principalId: pulumi.Input<string>;
  /** @default "ServicePrincipal" */
  readonly principalType?: PrincipalType;
}
