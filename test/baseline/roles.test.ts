import { BuiltInRoles, isPrivilegedRole, PrivilegedRoles } from "../../baseline/roles";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("role catalog", () => {
  const all = [...Object.values(BuiltInRoles), ...Object.values(PrivilegedRoles)];

  it("holds well-formed, distinct GUIDs", () => {
    for (const role of all) expect(role.id).toMatch(GUID);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
  });

  // Checked against Microsoft's built-in roles reference; a typo here fails only at deploy time.
  it.each([
    ["KeyVaultSecretsUser", "4633458b-17de-408a-b874-0445c86b69e6"],
    ["KeyVaultCertificateUser", "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba"],
    ["AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d"],
    ["CognitiveServicesUser", "a97b65f3-24c7-4388-baec-2e87135dc908"],
    ["MonitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb"],
  ] as const)("%s is %s", (key, id) => {
    expect(BuiltInRoles[key].id).toBe(id);
  });

  it.each([
    ["Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"],
    ["Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"],
    ["UserAccessAdministrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"],
    ["RoleBasedAccessControlAdministrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"],
    ["KeyVaultDataAccessAdministrator", "8b54135c-b56d-4d72-a534-26097cfdc8d8"],
  ] as const)("privileged %s is %s", (key, id) => {
    expect(PrivilegedRoles[key].id).toBe(id);
  });

  it("never lists a granted role as privileged", () => {
    for (const role of Object.values(BuiltInRoles)) expect(isPrivilegedRole(role.id)).toBe(false);
  });
});

describe("isPrivilegedRole", () => {
  it("recognises GUIDs and full role definition ids, in any case", () => {
    expect(isPrivilegedRole("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")).toBe(true);
    expect(isPrivilegedRole("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C")).toBe(true);
    expect(isPrivilegedRole("/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")).toBe(true);
    expect(isPrivilegedRole("acdd72a7-3385-48ef-bd42-f606fba81ae7")).toBe(false);
  });
});
