import * as pulumi from "@pulumi/pulumi";
import { MockRuntime } from "../../../testing/mock/mockRuntime";
import { deterministicGuid } from "../../../infra/shared/guid";
import { assertSingleResourceScope, subscriptionPrefixOf } from "../../../infra/shared/roleAssignment";
import { BuiltInRole, BuiltInRoles, PrivilegedRoles } from "../../../baseline/roles";
import { expectSingleResourceGrant, RG, SUB } from "./fixtures";

const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-1`;

let runtime: MockRuntime;
let ra: typeof import("../../../infra/shared/roleAssignment");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "roles" });
  ra = await import("../../../infra/shared/roleAssignment");
});

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("hardened-mcp:azure:Holder", name, {}, {});
  }
}

describe("assignRole", () => {
  it("refuses every privileged role before registering anything", async () => {
    const holder = new Holder("priv");
    // A caller that gets around the types (JavaScript, a cast) is still refused at run time.
    for (const role of Object.values(PrivilegedRoles) as unknown as BuiltInRole[]) {
      expect(() => ra.assignRole(`priv-${role.id}`, { scope: VAULT, role, grantee: { principalId: "p" } }, { parent: holder })).toThrow(
        `Refusing to assign the privileged role "${role.name}"`,
      );
    }
    await runtime.settle();
    expect(runtime.ofType("azure-native:authorization:RoleAssignment").filter((r) => r.name.startsWith("priv-"))).toEqual([]);
  });

  it("scopes to the one resource, with a subscription-scoped role definition and a deterministic name", async () => {
    const holder = new Holder("ok");
    ra.assignRole("ok-1", { scope: VAULT, role: BuiltInRoles.KeyVaultSecretsUser, grantee: { principalId: "p-1" } }, { parent: holder });
    ra.assignRole("ok-2", { scope: VAULT, role: BuiltInRoles.KeyVaultSecretsUser, grantee: { principalId: "p-1" } }, { parent: holder });
    ra.assignRole(
      "ok-group",
      { scope: VAULT, role: BuiltInRoles.KeyVaultCertificateUser, grantee: { principalId: "g-1", principalType: "Group" } },
      { parent: holder },
    );
    await runtime.settle();
    const one = runtime.one("azure-native:authorization:RoleAssignment", "ok-1");
    const two = runtime.one("azure-native:authorization:RoleAssignment", "ok-2");
    expectSingleResourceGrant(runtime, "ok-1", { scope: VAULT, principalId: "p-1", roleGuid: "4633458b-17de-408a-b874-0445c86b69e6" });
    expect(one.inputs).toMatchObject({
      roleAssignmentName: deterministicGuid(VAULT, "p-1", "4633458b-17de-408a-b874-0445c86b69e6"),
      description: "Key Vault Secrets User",
    });
    // Same scope, principal and role: the same name, whatever the logical name (stable across runs).
    expect(two.inputs.roleAssignmentName).toBe(one.inputs.roleAssignmentName);
    const group = runtime.one("azure-native:authorization:RoleAssignment", "ok-group");
    expect(group.inputs.principalType).toBe("Group");
    expect(group.inputs.roleAssignmentName).not.toBe(one.inputs.roleAssignmentName);
  });

  it("passes an ABAC condition with version 2.0", async () => {
    const holder = new Holder("cond");
    ra.assignRole(
      "cond-1",
      { scope: VAULT, role: BuiltInRoles.KeyVaultSecretsUser, grantee: { principalId: "p-2" }, condition: "@Resource[x] StringEquals 'y'" },
      { parent: holder },
    );
    await runtime.settle();
    expect(runtime.one("azure-native:authorization:RoleAssignment", "cond-1").inputs).toMatchObject({
      condition: "@Resource[x] StringEquals 'y'",
      conditionVersion: "2.0",
    });
  });
});

describe("assertSingleResourceScope", () => {
  it.each([
    ["/"],
    ["/providers/Microsoft.Management/managementGroups/mg-1"],
    [SUB],
    [`${SUB}/resourceGroups/rg-mcp`],
    [`${SUB}/resourceGroups/rg-mcp/providers/Microsoft.KeyVault`],
  ])("refuses %s", (scope) => {
    expect(() => assertSingleResourceScope(scope)).toThrow(
      `Role assignment scope "${scope}" is broader than a single resource. Scope the grant to the one resource the principal needs (for example a Key Vault id).`,
    );
  });

  it("accepts a resource and a child resource", () => {
    expect(() => assertSingleResourceScope(VAULT)).not.toThrow();
    expect(() => assertSingleResourceScope(`${VAULT}/secrets/s1`)).not.toThrow();
  });

  it("finds the subscription prefix, or refuses a non-subscription id", () => {
    expect(subscriptionPrefixOf(VAULT)).toBe(SUB);
    expect(() => subscriptionPrefixOf("/providers/Microsoft.Management/managementGroups/mg-1")).toThrow("is not a resource id under a subscription");
  });
});
