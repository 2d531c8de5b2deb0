import { BROAD_SCOPE_LEVELS, DELEGATION_ROLE_IDS, privilegedRoleOf, scopeLevel } from "../../baseline/roles";
import { finding, Rule } from "./types";
import { get, list, resourceRule, shown, str, strings } from "./util";

const ASSIGNMENT = ["azure-native:authorization:RoleAssignment"];
const DEFINITION = ["azure-native:authorization:RoleDefinition"];

interface PrivilegedConfig {
  /** Privileged role keys or GUIDs allowed anyway (e.g. a delegation role with an ABAC condition). */
  allowedRoles?: string[];
}

export const rbacNoPrivilegedRoles = resourceRule({
  name: "azure-rbac-no-privileged-roles",
  description: "Role assignments must not grant Owner, Contributor, User Access Administrator or Role Based Access Control Administrator.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["excessive-permissions", "confused-deputy"],
  remediation: "Grant the narrowest data-plane role (e.g. Key Vault Secrets User, AcrPull) at the single resource the identity needs.",
  configSchema: {
    properties: {
      allowedRoles: {
        type: "array",
        items: { type: "string" },
        description: "PrivilegedRoles keys (e.g. RoleBasedAccessControlAdministrator) or role GUIDs to allow.",
      },
    },
  },
  types: ASSIGNMENT,
  validate: (props, args, report) => {
    const role = privilegedRoleOf(str(get(props, "roleDefinitionId")) ?? "");
    if (role === undefined) return;
    const allowed = (args.getConfig<PrivilegedConfig>().allowedRoles ?? []).map((r) => r.toLowerCase());
    if (allowed.includes(role.key.toLowerCase()) || allowed.includes(role.id)) return;
    report(finding(role.key, `The assignment grants the privileged role ${role.name}.`));
  },
});

export const rbacNoBroadScope = resourceRule({
  name: "azure-rbac-no-broad-scope",
  description: "Role assignments must not be made at the root, a management group or a subscription; assign at the single resource.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["excessive-permissions"],
  remediation: "Set scope to the resource id the identity needs (e.g. the Key Vault), not a subscription or management group.",
  types: ASSIGNMENT,
  validate: (props, _args, report) => {
    const scope = str(get(props, "scope")) ?? "";
    const level = scopeLevel(scope);
    if (BROAD_SCOPE_LEVELS.includes(level)) {
      report(finding(level, `The assignment is scoped to ${level === "root" ? "the tenant root" : `a ${level}`} (${shown(scope)}).`));
    }
  },
});

export const rbacNoResourceGroupScope = resourceRule({
  name: "azure-rbac-no-resource-group-scope",
  description: "Role assignments should not be made at resource-group scope, which covers every current and future resource in the group.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["excessive-permissions"],
  remediation: "Scope the assignment to the single resource the identity needs.",
  types: ASSIGNMENT,
  validate: (props, _args, report) => {
    const scope = str(get(props, "scope")) ?? "";
    if (scopeLevel(scope) === "resourceGroup") report(`The assignment is scoped to a resource group (${scope}).`);
  },
});

export const rbacDelegationRequiresCondition = resourceRule({
  name: "azure-rbac-delegation-requires-condition",
  description: "Assignments of roles that can grant access (User Access Administrator, RBAC Administrator) must carry an ABAC condition restricting which roles and principals they may assign.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["excessive-permissions", "confused-deputy"],
  remediation: 'Set condition (conditionVersion "2.0") limiting the assignable roles, e.g. to Key Vault Secrets User for service principals.',
  types: ASSIGNMENT,
  validate: (props, _args, report) => {
    const role = privilegedRoleOf(str(get(props, "roleDefinitionId")) ?? "");
    if (role === undefined || !DELEGATION_ROLE_IDS.includes(role.id)) return;
    const condition = str(get(props, "condition"));
    if (condition === undefined || condition.trim() === "") report(finding(role.key, `${role.name} is assigned without a condition.`));
  },
});

function permissions(props: unknown): readonly unknown[] {
  return list(get(props, "permissions"));
}

export const rbacCustomRoleNoWildcards = resourceRule({
  name: "azure-rbac-custom-role-no-wildcards",
  description: "Custom roles must list explicit actions and data actions, without wildcards.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["excessive-permissions"],
  remediation: "Replace wildcard actions with the exact operations the workload calls.",
  checkov: ["CKV_AZURE_39"],
  types: DEFINITION,
  validate: (props, _args, report) => {
    for (const p of permissions(props)) {
      for (const kind of ["actions", "dataActions"] as const) {
        for (const action of strings(get(p, kind)).filter((a) => a.includes("*"))) {
          report(finding(action, `${kind} contains the wildcard ${JSON.stringify(action)}.`));
        }
      }
    }
  },
});

export const rbacCustomRoleNoAssignmentWrite = resourceRule({
  name: "azure-rbac-custom-role-no-role-assignment-write",
  description: "Custom roles must not be able to write role assignments or role definitions (privilege escalation).",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["excessive-permissions", "confused-deputy"],
  remediation: "Remove Microsoft.Authorization/roleAssignments/write and roleDefinitions/write from the role's actions.",
  types: DEFINITION,
  validate: (props, _args, report) => {
    for (const p of permissions(props)) {
      for (const action of strings(get(p, "actions"))) {
        const a = action.toLowerCase();
        if (a === "microsoft.authorization/roleassignments/write" || a === "microsoft.authorization/roledefinitions/write") {
          report(finding(action, `actions grants ${action}.`));
        }
      }
    }
  },
});

export const rbacCustomRoleNarrowScopes = resourceRule({
  name: "azure-rbac-custom-role-narrow-assignable-scopes",
  description: "Custom roles should not be assignable at the root, a management group or a subscription.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["excessive-permissions"],
  remediation: "Limit assignableScopes to the resource groups or resources that need the role.",
  checkov: ["CKV_AZURE_39"],
  types: DEFINITION,
  validate: (props, _args, report) => {
    for (const scope of strings(get(props, "assignableScopes"))) {
      const level = scopeLevel(scope);
      if (BROAD_SCOPE_LEVELS.includes(level)) {
        report(finding(level, `assignableScopes includes ${JSON.stringify(scope)}.`));
      }
    }
  },
});

interface FederationConfig {
  trustedIssuers?: string[];
}

/** GitHub Actions OIDC; add your AKS / Terraform Cloud / other issuers through config. */
const DEFAULT_ISSUERS = ["https://token.actions.githubusercontent.com"];

export const rbacFederatedCredentialTrustedIssuer = resourceRule({
  name: "azure-rbac-federated-credential-trusted-issuer",
  description: "Managed identity federated credentials must trust only configured issuers and the Entra token-exchange audience.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["confused-deputy", "supply-chain"],
  remediation: 'Use an issuer from the trustedIssuers list and audiences ["api://AzureADTokenExchange"].',
  checkov: ["CKV_AZURE_249"],
  configSchema: {
    properties: { trustedIssuers: { type: "array", items: { type: "string" }, default: DEFAULT_ISSUERS } },
  },
  types: ["azure-native:managedidentity:FederatedIdentityCredential"],
  validate: (props, args, report) => {
    const trusted = (args.getConfig<FederationConfig>().trustedIssuers ?? DEFAULT_ISSUERS).map((i) => i.replace(/\/+$/, "").toLowerCase());
    const issuer = str(get(props, "issuer")) ?? "";
    if (!trusted.includes(issuer.replace(/\/+$/, "").toLowerCase())) {
      report(finding("Issuer", `issuer ${shown(issuer)} is not in the trusted issuer list.`));
    }
    const audiences = strings(get(props, "audiences"));
    if (audiences.length !== 1 || audiences[0].toLowerCase() !== "api://azureadtokenexchange") {
      report(finding("Audience", `audiences is ${shown(audiences)}; it must be ["api://AzureADTokenExchange"].`));
    }
  },
});

export const rbacFederatedCredentialPinnedSubject = resourceRule({
  name: "azure-rbac-federated-credential-pinned-subject",
  description: "Federated credential subjects must name one workload (repository and environment or branch), without wildcards.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["confused-deputy", "supply-chain"],
  remediation: 'Set subject to an exact value such as "repo:<org>/<repo>:environment:<env>".',
  types: ["azure-native:managedidentity:FederatedIdentityCredential"],
  validate: (props, _args, report) => {
    const subject = str(get(props, "subject")) ?? "";
    if (subject.trim() === "" || /[*?]/.test(subject)) report(`subject ${shown(subject)} is empty or contains a wildcard.`);
  },
});

export const rbacRules: Rule[] = [
  rbacNoPrivilegedRoles,
  rbacNoBroadScope,
  rbacNoResourceGroupScope,
  rbacDelegationRequiresCondition,
  rbacCustomRoleNoWildcards,
  rbacCustomRoleNoAssignmentWrite,
  rbacCustomRoleNarrowScopes,
  rbacFederatedCredentialTrustedIssuer,
  rbacFederatedCredentialPinnedSubject,
];
