import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { assignRole } from "../shared/roleAssignment";
import { slug } from "../../baseline/naming";
import { BuiltInRole } from "../../baseline/roles";
import { Grantee } from "../shared/types";

/**
 * The grants a component hands out on its one resource. Each grant is one role assignment scoped to
 * that resource (through `assignRole`), parented to the component and named
 * `<component>-<grant name>-<role>`. Refuses the two mistakes that would otherwise fail only at
 * deploy time: reusing a grant name (duplicate URN) and granting the same role to the same grantee
 * twice (Azure's `RoleAssignmentExists`, since the assignment's name is derived from scope,
 * principal and role).
 */
export class ScopedGrants {
  private readonly byName = new Map<string, authorization.RoleAssignment>();
  private readonly byGrantee = new Map<string, Map<unknown, string>>();

  /**
   * @param owner the component that owns the resource (the grants' parent)
   * @param prefix the component's name, prefixed to each grant's logical name
   * @param scope the resource's ARM id
   * @param what how error messages name the component, e.g. `SecureVault "kv"`
   */
  constructor(
    private readonly owner: pulumi.Resource,
    private readonly prefix: string,
    private readonly scope: pulumi.Input<string>,
    private readonly what: string,
  ) {}

  grant(name: string, role: BuiltInRole, grantee: Grantee): authorization.RoleAssignment {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(name)) {
      throw new Error(`${this.what}: grant name "${name}" must be letters, digits and hyphens (it becomes part of a resource name).`);
    }
    const key = `${name}/${role.id}`;
    if (this.byName.has(key)) {
      throw new Error(`${this.what}: a "${role.name}" grant named "${name}" already exists; give each grant its own name.`);
    }
    const granteeKey = typeof grantee.principalId === "string" ? grantee.principalId : grantee;
    const sameRole = this.byGrantee.get(role.id) ?? new Map<unknown, string>();
    const earlier = sameRole.get(granteeKey);
    if (earlier !== undefined) {
      throw new Error(
        `${this.what}: "${role.name}" is already granted to this principal (grant "${earlier}"); ` +
          "a second assignment of the same role, principal and scope would collide. Reuse the first grant.",
      );
    }
    const assignment = assignRole(
      `${this.prefix}-${name}-${slug(role.name)}`,
      { scope: this.scope, role, grantee, description: `${role.name} for ${name} (${this.what})` },
      { parent: this.owner },
    );
    this.byName.set(key, assignment);
    sameRole.set(granteeKey, name);
    this.byGrantee.set(role.id, sameRole);
    return assignment;
  }
}
