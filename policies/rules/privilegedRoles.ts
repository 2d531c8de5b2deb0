/**
 * Built-in Azure roles that can take over a scope or hand out access to it. GUIDs are Microsoft's
 * built-in role definition names (learn.microsoft.com/azure/role-based-access-control/built-in-roles),
 * the same in every tenant. The kit's `assignRole` refuses them; `azure-rbac-no-privileged-roles` flags them.
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
