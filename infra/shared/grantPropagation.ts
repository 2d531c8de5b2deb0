import * as pulumi from "@pulumi/pulumi";
import type * as authorization from "@pulumi/azure-native/authorization";

/**
 * Waiting for a fresh role assignment to take effect before the resource that uses it is created.
 *
 * The race: ARM accepts a role assignment at once, but the services that enforce it cache
 * authorization, and Learn ("Troubleshoot Azure RBAC", role assignment changes not detected) gives up
 * to 10 minutes for a new assignment to take effect. Container Apps resolves Key Vault references and
 * pulls the image while it creates the revision (microsoft/azure-container-apps#1174: "Unable to get
 * value using Managed identity", passing on a re-run); API Management calls Content Safety and
 * Application Insights with its identity as soon as it serves.
 *
 * Why a wait measured from ARM's own `createdOn`, not a check that proves the access: every grantee
 * here is a managed identity, whose tokens exist only inside Azure compute, so the deployer cannot act
 * as it; and Azure RBAC has no API that evaluates another principal's effective access (Permissions -
 * List answers for the caller only). A proof would need code running as the identity inside the VNet
 * (a deployment script with private networking and a storage account): more infrastructure and attack
 * surface than a first-deployment race warrants. So the consumer's input is held until each grant it
 * uses is `settleSeconds` old by ARM's clock: on the deployment that creates (or replaces) the grant
 * the consumer waits the remainder; on every later deployment the grant is old and nothing waits.
 *
 * No wait in a preview (nothing is created), and none when `createdOn` is absent, which happens only
 * under mocks or a stand-in engine: Azure returns it for every assignment (Role Assignments - Create,
 * 2022-04-01).
 */

/** Learn's bound for a new role assignment to take effect. */
export const GRANT_SETTLE_SECONDS = 600;

/** What the wait reads the time with and sleeps with; tests replace it. */
export const grantPropagationClock = {
  now: (): number => Date.now(),
  sleep: (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Milliseconds left until a grant created at `createdOn` has settled; 0 when it has, or when the time is unknown. */
export function remainingSettleMs(createdOn: string | undefined, nowMs: number, settleSeconds = GRANT_SETTLE_SECONDS): number {
  if (!createdOn) return 0;
  const created = Date.parse(createdOn);
  if (Number.isNaN(created)) return 0;
  return Math.max(0, created + settleSeconds * 1000 - nowMs);
}

/** One grant a consumer uses, as `afterGrants` reads it. */
export type Grant = Pick<authorization.RoleAssignment, "createdOn" | "description">;

/**
 * `value`, released once every grant in `grants` has had `settleSeconds` since ARM created it. Feed it
 * to an input of the consumer (an id it takes anyway), so the consumer depends on the grants and is
 * registered only after the wait; the value itself is unchanged, so nothing is replaced.
 * @param consumer names the consumer in the log line ("container app ca-github-tools")
 */
export function afterGrants<T>(consumer: string, grants: readonly Grant[], value: pulumi.Input<T>, settleSeconds = GRANT_SETTLE_SECONDS): pulumi.Output<T> {
  if (grants.length === 0) return pulumi.output(value) as pulumi.Output<T>;
  const states = grants.map((g) => pulumi.all([g.createdOn, g.description]));
  return pulumi.all([pulumi.output(value), pulumi.all(states)]).apply(async ([v, created]) => {
    if (!pulumi.runtime.isDryRun()) {
      const now = grantPropagationClock.now();
      const waits = created.map(([createdOn, description]) => ({ ms: remainingSettleMs(createdOn, now, settleSeconds), description: description ?? "a role assignment" }));
      const longest = Math.max(...waits.map((w) => w.ms));
      if (longest > 0) {
        const fresh = waits.filter((w) => w.ms > 0).map((w) => `"${w.description}"`);
        pulumi.log.info(`${consumer} waits ${Math.ceil(longest / 1000)} s for ${fresh.join(", ")} to take effect (Azure RBAC: up to ${settleSeconds / 60} minutes).`);
        await grantPropagationClock.sleep(longest);
      }
    }
    return v;
  }) as pulumi.Output<T>;
}
