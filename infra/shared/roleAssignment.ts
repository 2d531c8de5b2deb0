import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { deterministicGuid } from "./guid";
import { BuiltInRole, isPrivilegedRole, scopeLevel } from "../../baseline/roles";
import { Grantee } from "./types";

/** The `/subscriptions/<id>` prefix of an ARM resource id. */
export function subscriptionPrefixOf(resourceId: string): string {
  const match = /^\/subscriptions\/[^/]+/i.exec(resourceId);
  if (!match) {
    throw new Error(`Role assignment scope "${resourceId}" is not a resource id under a subscription.`);
  }
  return match[0];
}

/**
 * Refuses scopes wider than one resource: the tenant root, a management group, a subscription or a
 * resource group. The kit's grants are always to a single resource.
 */
export function assertSingleResourceScope(scope: string): void {
  if (scopeLevel(scope) !== "resource") {
    throw new Error(
      `Role assignment scope "${scope}" is broader than a single resource. ` +
        "Scope the grant to the one resource the principal needs (for example a Key Vault id).",
    );
  }
}

export interface RoleAssignmentArgs {
  /** Required. The one resource the grant applies to (its ARM id). */
  readonly scope: pulumi.Input<string>;
  /** Required. A role from `BuiltInRoles`; privileged roles are refused. */
  readonly role: BuiltInRole;
  /** Required. Who receives the role. */
  readonly grantee: Grantee;
  /**
   * Optional. An ABAC condition that narrows the grant further.
   * @default no condition
   */
  readonly condition?: string;
  /**
   * Optional. Why the grant exists, shown in the portal.
   * @default the role's name
   */
  readonly description?: string;
}

/**
 * The single way the kit creates a role assignment: one resource as the scope, a built-in role from
 * the catalog, `principalType` set (so a new managed identity's grant doesn't fail on replication
 * delay), and a deterministic name.
 */
export function assignRole(
  name: string,
  args: RoleAssignmentArgs,
  opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
  if (isPrivilegedRole(args.role.id)) {
    throw new Error(`Refusing to assign the privileged role "${args.role.name}" (${name}).`);
  }
  const scope = pulumi.output(args.scope).apply((s) => {
    assertSingleResourceScope(s);
    return s;
  });
  return new authorization.RoleAssignment(
    name,
    {
      scope,
      principalId: args.grantee.principalId,
      principalType: args.grantee.principalType ?? "ServicePrincipal",
      roleDefinitionId: scope.apply(
        (s) => `${subscriptionPrefixOf(s)}/providers/Microsoft.Authorization/roleDefinitions/${args.role.id}`,
      ),
      roleAssignmentName: pulumi
        .all([scope, args.grantee.principalId])
        .apply(([s, principalId]) => deterministicGuid(s, principalId, args.role.id)),
      description: args.description ?? args.role.name,
      ...(args.condition ? { condition: args.condition, conditionVersion: "2.0" } : {}),
    },
    opts,
  );
}
