/**
 * The built-in Azure roles this kit grants, and the privileged ones it never grants.
 * GUIDs are Microsoft's built-in role definition names (Azure built-in roles reference,
 * learn.microsoft.com/azure/role-based-access-control/built-in-roles); they are the same in every tenant.
 * Each GUID below was checked against that reference (and Microsoft's Key Vault RBAC guide for the
 * Key Vault roles). Check a new one there too: a wrong GUID fails only at deploy time, with
 * `RoleDefinitionDoesNotExist`, or worse, grants a different role.
 */
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
 * Roles that can take over a scope or hand out access to it. The kit never assigns them, and
 * `assignRole` refuses them; the policy pack flags them in any stack.
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

const privilegedIds: ReadonlySet<string> = new Set(Object.values(PrivilegedRoles).map((r) => r.id));

/** True when the GUID (or a full role definition id ending in it) is one of `PrivilegedRoles`. */
export function isPrivilegedRole(roleDefinitionIdOrGuid: string): boolean {
  const guid = roleDefinitionIdOrGuid.split("/").pop() ?? "";
  return privilegedIds.has(guid.toLowerCase());
}
