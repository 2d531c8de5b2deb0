import { armErrorMessage, AzureRest, RestResponse } from "../rest";
import { Check, CheckResult, couldNotRun } from "../result";
import type { PreflightNeeds, ScopeNeed } from "../needs";
import { missingActions, PERMISSIONS_API, readPermissions } from "../permissions";

/** Resource Groups - Get (Microsoft.Resources 2021-04-01); Vaults - Get (Microsoft.KeyVault 2023-07-01). */
const RESOURCES_API = "2021-04-01";
const KEYVAULT_API = "2023-07-01";

/** What to assign when rights are missing. Contributor alone is not enough: its notActions include `Microsoft.Authorization/*\/Write`. */
function fixFor(scope: ScopeNeed, needsAuthorization: boolean, missing: readonly string[] = []): string {
  const roles = needsAuthorization
    ? "Owner, or Contributor plus Role Based Access Control Administrator (Contributor cannot write role assignments or locks)"
    : "Contributor";
  // A private endpoint is approved at creation only for a caller who may approve connections on the target (Learn,
  // "Manage a Private Endpoint connection"); otherwise ARM refuses the endpoint. A registry owned by another team
  // can grant just that action.
  const approval = missing.find((a) => a.endsWith("/privateEndpointConnectionsApproval/action"));
  const narrow = approval ? ` (or a custom role with ${approval} and .../read on it, which the owner can grant alone)` : "";
  return `have ${roles}${narrow} assigned on ${scope.id}: az role assignment create --assignee <your object id> --role <role> --scope ${scope.id}`;
}

/** Lists at most `n` actions, then how many more. */
function listSome(actions: readonly string[], n = 4): string {
  return actions.length <= n ? actions.join(", ") : `${actions.slice(0, n).join(", ")} and ${actions.length - n} more`;
}

function judge(scope: ScopeNeed, at: string, response: RestResponse): CheckResult[] {
  const permissions = response.status === 200 ? readPermissions(response.body) : undefined;
  if (!permissions) {
    return [{ check: "rights", subject: scope.label, status: "unknown", why: `could not read your permissions at ${at}: ${armErrorMessage(response)}` }];
  }
  const missing = missingActions(permissions, scope.actions);
  const later = missingActions(permissions, scope.dayTwoActions);
  const authorization = [...missing, ...later].some((a) => a.startsWith("Microsoft.Authorization/"));
  const results: CheckResult[] = [];
  results.push(
    missing.length === 0
      ? { check: "rights", subject: scope.label, status: "pass", why: `all ${scope.actions.length} actions the plan writes with are granted` }
      : { check: "rights", subject: scope.label, status: "fail", why: `missing ${listSome(missing)}`, fix: fixFor(scope, authorization, missing) },
  );
  if (scope.dayTwoActions.length > 0) {
    results.push(
      later.length === 0
        ? { check: "rights (later deployments)", subject: scope.label, status: "pass", why: "deletes and lock removal are granted" }
        : {
            check: "rights (later deployments)",
            subject: scope.label,
            status: "warn",
            why: `missing ${listSome(later)}: removing a server or replacing an identity would fail`,
            fix: fixFor(scope, authorization),
          },
    );
  }
  return results;
}

async function checkScope(rest: AzureRest, needs: PreflightNeeds, scope: ScopeNeed, isGroup: boolean): Promise<CheckResult[]> {
  const exists = await rest.arm("GET", scope.id, isGroup ? RESOURCES_API : apiVersionFor(scope.id));
  if (exists.status === 404 && isGroup) {
    if (!needs.resourceGroup.create) {
      return [
        {
          check: "rights",
          subject: scope.label,
          status: "fail",
          why: "the resource group does not exist, and resourceGroup.useExisting is true",
          fix: `create it (az group create --name ${needs.resourceGroup.name} --location ${needs.location} --subscription ${needs.subscriptionId}) or set resourceGroup.useExisting false`,
        },
      ];
    }
    // The group is created by the deployment: the rights come from the subscription. ARM serves the same
    // permissions list at the subscription (the REST reference documents the group and resource forms).
    const at = `/subscriptions/${needs.subscriptionId}`;
    return judge(scope, `the subscription (the resource group does not exist yet)`, await rest.arm("GET", `${at}/providers/Microsoft.Authorization/permissions`, PERMISSIONS_API));
  }
  if (exists.status === 404) {
    return [{ check: "rights", subject: scope.label, status: "fail", why: `${scope.id} does not exist or is not visible to you`, fix: /\/providers\/Microsoft\.KeyVault\//i.test(scope.id) ? "check keyVault.existing.id" : "check the registry's resource id in servers[].registry.resourceId" }];
  }
  return judge(scope, scope.id, await rest.arm("GET", `${scope.id}/providers/Microsoft.Authorization/permissions`, PERMISSIONS_API));
}

/** The API version used to read an outside scope: a container registry (Registries - Get 2023-07-01) or a brought vault. */
function apiVersionFor(id: string): string {
  if (/\/providers\/Microsoft\.KeyVault\//i.test(id)) return KEYVAULT_API;
  return /\/providers\/Microsoft\.ContainerRegistry\//i.test(id) ? "2023-07-01" : RESOURCES_API;
}

/** The vault of an earlier deployment: its lock and role assignments are written (and on day 2 removed) there. */
async function checkExistingVault(rest: AzureRest, needs: PreflightNeeds): Promise<CheckResult[]> {
  // A brought vault (keyVault.existing) is an outside scope of its own (needs.scopes).
  if (needs.names.keyVault === undefined) return [];
  const id = `${needs.resourceGroup.id}/providers/Microsoft.KeyVault/vaults/${needs.names.keyVault}`;
  const vault = await rest.arm("GET", id, KEYVAULT_API);
  if (vault.status !== 200) return [];
  const scope: ScopeNeed = {
    label: `vault ${needs.names.keyVault}`,
    id,
    actions: ["Microsoft.Authorization/roleAssignments/write", "Microsoft.KeyVault/vaults/secrets/write", "Microsoft.Authorization/locks/write"],
    dayTwoActions: ["Microsoft.Authorization/roleAssignments/delete", "Microsoft.Authorization/locks/delete"],
  };
  return judge(scope, id, await rest.arm("GET", `${id}/providers/Microsoft.Authorization/permissions`, PERMISSIONS_API));
}

/**
 * The deployer's rights on every scope the plan writes: the resource group (or the subscription, when
 * the deployment creates the group), each container registry it grants AcrPull on, and the vault of an
 * earlier deployment. The needed actions come from the plan (`needs.ts`).
 */
export const checkRights: Check = async ({ rest, needs }) => {
  const results: CheckResult[] = [];
  for (const [i, scope] of needs.scopes.entries()) {
    try {
      results.push(...(await checkScope(rest, needs, scope, i === 0)));
    } catch (err) {
      results.push(couldNotRun("rights", scope.label, err));
    }
  }
  try {
    results.push(...(await checkExistingVault(rest, needs)));
  } catch (err) {
    results.push(couldNotRun("rights", `vault ${needs.names.keyVault}`, err));
  }
  return results;
};
