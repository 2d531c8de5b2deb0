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
 * The roles the kit never assigns (`assignRole` refuses them) live with the policy pack, which flags them
 * in any stack: one list for both, and the pack stays self-contained when published on its own.
 */
export { PrivilegedRoles, isPrivilegedRole } from "../../policies/rules/privilegedRoles";
