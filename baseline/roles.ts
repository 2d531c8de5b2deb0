/**
 * Azure role definitions both sides enforce: the built-in roles the kit grants, the privileged roles it
 * never grants (and the pack flags), and how broad a role assignment's scope is.
 *
 * GUIDs are Microsoft's built-in role definition names (Azure built-in roles reference,
 * learn.microsoft.com/azure/role-based-access-control/built-in-roles); they are the same in every tenant.
 * Each GUID below was checked against that reference (and Microsoft's Key Vault RBAC guide for the Key
 * Vault roles). Check a new one there too: a wrong GUID fails only at deploy time, with
 * `RoleDefinitionDoesNotExist`, or worse, grants a different role.
 */

/** The built-in roles the kit grants, each to a single resource. */
export const BuiltInRoles = {
  /** Read secret contents (data plane). For workloads and the gateway's named values. */
  KeyVaultSecretsUser: { id: "4633458b-17de-408a-b874-0445c86b69e6", name: "Key Vault Secrets User" },
  /** Read certificate contents (data plane). For the gateway's custom-domain certificate. */
  KeyVaultCertificateUser: { id: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba", name: "Key Vault Certificate User" },
  /** Pull images from a registry. */
  AcrPull: { id: "7f951dda-4ed3-4680-a7ca-43fe172d538d", name: "AcrPull" },
  /** Call Cognitive Services data-plane APIs (Content Safety Prompt Shields) with an Entra token. */
  CognitiveServicesUser: { id: "a97b65f3-24c7-4388-baec-2e87135dc908", name: "Cognitive Services User" },
  /** Publish metrics to Azure Monitor (Application Insights with local auth disabled). */
  MonitoringMetricsPublisher: { id: "3913510d-42f4-4e42-8a64-420c390055eb", name: "Monitoring Metrics Publisher" },
} as const;

export type BuiltInRoleKey = keyof typeof BuiltInRoles;
export type BuiltInRole = (typeof BuiltInRoles)[BuiltInRoleKey];

/**
 * Built-in roles that can take over a scope or hand out access to it. The kit's `assignRole` refuses
 * them; `azure-rbac-no-privileged-roles` flags them.
 */
export const PrivilegedRoles = {
  Owner: { id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", name: "Owner" },
  Contributor: { id: "b24988ac-6180-42a0-ab88-20f7382dd24c", name: "Contributor" },
  UserAccessAdministrator: { id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", name: "User Access Administrator" },
  RoleBasedAccessControlAdministrator: {
    id: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    name: "Role Based Access Control Administrator",
  },
  /** Can write role assignments on a vault (constrained by an ABAC condition, but still an access admin). */
  KeyVaultDataAccessAdministrator: {
    id: "8b54135c-b56d-4d72-a534-26097cfdc8d8",
    name: "Key Vault Data Access Administrator",
  },
} as const;

export type PrivilegedRoleKey = keyof typeof PrivilegedRoles;

/** The role GUID of a full role definition id (`.../roleDefinitions/<guid>`) or of a bare GUID, lowercased. */
export function roleGuidOf(roleDefinitionIdOrGuid: string): string {
  return (roleDefinitionIdOrGuid.split("/").pop() ?? "").toLowerCase();
}

/** The privileged role a role definition id (full id or GUID) refers to, with its key, if any. */
export function privilegedRoleOf(roleDefinitionIdOrGuid: string): { key: PrivilegedRoleKey; id: string; name: string } | undefined {
  const guid = roleGuidOf(roleDefinitionIdOrGuid);
  const entry = (Object.entries(PrivilegedRoles) as [PrivilegedRoleKey, (typeof PrivilegedRoles)[PrivilegedRoleKey]][]).find(
    ([, r]) => r.id === guid,
  );
  return entry ? { key: entry[0], id: entry[1].id, name: entry[1].name } : undefined;
}

/** True when the GUID (or a full role definition id ending in it) is one of `PrivilegedRoles`. */
export function isPrivilegedRole(roleDefinitionIdOrGuid: string): boolean {
  return privilegedRoleOf(roleDefinitionIdOrGuid) !== undefined;
}

/** Roles that can grant access to others (they write role assignments). */
export const DELEGATION_ROLE_IDS: readonly string[] = [
  PrivilegedRoles.UserAccessAdministrator.id,
  PrivilegedRoles.RoleBasedAccessControlAdministrator.id,
];

/**
 * How broad a role assignment scope is. `resource` is a resource in a resource group
 * (`/subscriptions/<s>/resourceGroups/<g>/providers/<namespace>/<type>/<name>[/<type>/<name>...]`);
 * `other` is anything else (an extension or subscription-level resource, or a malformed id), which is
 * neither one of the broad levels nor a single resource the kit would grant on.
 */
export type ScopeLevel = "root" | "managementGroup" | "subscription" | "resourceGroup" | "resource" | "other";

export function scopeLevel(scope: string): ScopeLevel {
  const s = scope.trim().replace(/\/+$/, "").toLowerCase();
  if (s === "") return "root";
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(s)) return "managementGroup";
  if (/^\/subscriptions\/[^/]+$/.test(s)) return "subscription";
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return "resourceGroup";
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/.test(s)) return "resource";
  return "other";
}

/** Scope levels wider than one resource group: an assignment there reaches far beyond one workload. */
export const BROAD_SCOPE_LEVELS: readonly ScopeLevel[] = ["root", "managementGroup", "subscription"];
