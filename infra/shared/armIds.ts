import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";

/**
 * ARM ids known during `pulumi preview`.
 *
 * Why: azure-native leaves a new resource's `id` (and every output Azure computes) unknown during a
 * preview, so an input built from `resource.id` is unknown too and the policy pack cannot judge it (a
 * diagnostic setting's workspace, a role assignment's scope, a subnet). But where the program chose the
 * resource's name (the `vaultName`, `workspaceName`, ... input: azure-native does not auto-name then),
 * its id is a fact Azure documents: `/subscriptions/<sub>/resourceGroups/<rg>/providers/<namespace>/<type>/<name>`.
 * The subscription comes from `getClientConfig` (the provider's own subscription, answered during a preview
 * too). The id is built from the resource's URN, so it still carries the resource as a dependency: `pulumi up`
 * never creates a consumer before the resource exists, exactly as with `resource.id`.
 */

/** The resource group a resource is placed in, and the subscription (its id) that holds it. */
export interface ArmPlacement {
  readonly subscriptionId: pulumi.Input<string>;
  readonly resourceGroupName: pulumi.Input<string>;
}

/** The subscription the provider deploys into (azure-native `getClientConfig`), as an Output known at preview. */
export function subscriptionIdOf(parent: pulumi.Resource): pulumi.Output<string> {
  return authorization.getClientConfigOutput({ parent }).subscriptionId;
}

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/<type path>`, e.g. type path `Microsoft.KeyVault/vaults/kv-1`. */
export function armResourceId(subscriptionId: string, resourceGroupName: string, typePath: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/${typePath}`;
}

/**
 * The ARM id of `resource`, known during preview when its name is: `segments` are the type path after
 * the resource group (`["Microsoft.Network/virtualNetworks", vnetName, "subnets", subnetName]`). Falls back to
 * `resource.id` when a name is not given (an auto-named resource's name is Azure's to choose).
 */
export function knownArmId(
  resource: pulumi.CustomResource,
  placement: ArmPlacement,
  segments: readonly (pulumi.Input<string> | undefined)[],
): pulumi.Output<string> {
  if (segments.some((s) => s === undefined)) return resource.id;
  return pulumi
    .all([resource.urn, placement.subscriptionId, placement.resourceGroupName, ...(segments as pulumi.Input<string>[])])
    .apply(([, sub, rg, ...path]) => armResourceId(sub, rg, path.join("/")));
}

/** A value known now (or at preview) that still waits for `resource`: for names and ids the program chose. */
export function after<T>(resource: pulumi.Resource, value: pulumi.Input<T>): pulumi.Output<T> {
  return pulumi.all([resource.urn, value]).apply(([, v]) => v as T);
}
