import * as pulumi from "@pulumi/pulumi";
import { MockRuntime } from "../../../testing/mock/mockRuntime";

import { RG } from "../shared/fixtures";

const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-1`;

let runtime: MockRuntime;
let identity: typeof import("../../../infra/identity/workloadIdentity") & typeof import("../../../infra/identity/grants");
let roles: typeof import("../../../baseline/roles");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "identity" });
  identity = { ...(await import("../../../infra/identity/workloadIdentity")), ...(await import("../../../infra/identity/grants")) };
  roles = await import("../../../baseline/roles");
});

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

describe("WorkloadIdentity", () => {
  it("is one user-assigned identity exposing id, principalId and clientId, usable as a Grantee", async () => {
    const wi = new identity.WorkloadIdentity("server-a", { resourceGroupName: "rg-mcp", identityName: "id-server-a", tags: { workload: "a" } });
    await runtime.settle();
    const uai = runtime.one("azure-native:managedidentity:UserAssignedIdentity", "server-a-id");
    expect(uai.inputs).toMatchObject({ resourceName: "id-server-a", resourceGroupName: "rg-mcp", tags: { workload: "a" } });
    expect(uai.parent).toContain("hardened-mcp:azure:WorkloadIdentity");
    expect(await value(wi.id)).toBe(`${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-server-a`);
    expect(await value(wi.principalId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await value(wi.clientId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await value(wi.clientId)).not.toBe(await value(wi.principalId));
    expect(wi.principalType).toBe("ServicePrincipal");
  });
});

describe("ScopedGrants", () => {
  class Holder extends pulumi.ComponentResource {
    constructor(name: string) {
      super("hardened-mcp:azure:Holder", name, {}, {});
    }
  }

  it("creates one single-resource assignment per grant, named after the component, grant and role", async () => {
    const holder = new Holder("h1");
    const grants = new identity.ScopedGrants(holder, "h1", VAULT, 'Holder "h1"');
    const wi = new identity.WorkloadIdentity("server-b", { resourceGroupName: "rg-mcp" });
    grants.grant("server-b", roles.BuiltInRoles.KeyVaultSecretsUser, wi);
    await runtime.settle();
    const ra = runtime.one("azure-native:authorization:RoleAssignment", "h1-server-b-key-vault-secrets-user");
    expect(ra.inputs).toMatchObject({ scope: VAULT, principalType: "ServicePrincipal" });
    expect(ra.propertyDependencies.principalId).toEqual([runtime.one("azure-native:managedidentity:UserAssignedIdentity", "server-b-id").urn]);
    expect(ra.parent).toContain("hardened-mcp:azure:Holder");
  });

  it("refuses the same grantee object twice for one role, even under another name", async () => {
    const holder = new Holder("h2");
    const grants = new identity.ScopedGrants(holder, "h2", VAULT, 'Holder "h2"');
    const wi = new identity.WorkloadIdentity("server-c", { resourceGroupName: "rg-mcp" });
    grants.grant("one", roles.BuiltInRoles.KeyVaultSecretsUser, wi);
    expect(() => grants.grant("two", roles.BuiltInRoles.KeyVaultSecretsUser, wi)).toThrow(
      'Holder "h2": "Key Vault Secrets User" is already granted to this principal (grant "one"); a second assignment of the same role, principal and scope would collide. Reuse the first grant.',
    );
    // A different role for the same grantee is fine.
    expect(() => grants.grant("two", roles.BuiltInRoles.KeyVaultCertificateUser, wi)).not.toThrow();
    await runtime.settle();
    expect(runtime.ofType("azure-native:authorization:RoleAssignment").filter((r) => r.name.startsWith("h2-")).map((r) => r.name)).toEqual([
      "h2-one-key-vault-secrets-user",
      "h2-two-key-vault-certificate-user",
    ]);
  });
});

describe("WorkloadIdentity.fromExisting", () => {
  const ID = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-apim-shared";

  it("is a Grantee with the brought id, client id and principal id, registering nothing", async () => {
    const before = runtime.ofType("azure-native:managedidentity:UserAssignedIdentity").length;
    const brought = identity.WorkloadIdentity.fromExisting({ id: ID, clientId: "22222222-2222-2222-2222-222222222222", principalId: "33333333-3333-3333-3333-333333333333" });
    const holder = new pulumi.ComponentResource("hardened-mcp:azure:Holder", "h3", {}, {});
    new identity.ScopedGrants(holder, "h3", VAULT, 'Holder "h3"').grant("gateway", roles.BuiltInRoles.KeyVaultSecretsUser, brought);
    await runtime.settle();
    expect(runtime.ofType("azure-native:managedidentity:UserAssignedIdentity")).toHaveLength(before);
    expect(await value(brought.id)).toBe(ID);
    expect(await value(brought.clientId)).toBe("22222222-2222-2222-2222-222222222222");
    expect(brought.principalType).toBe("ServicePrincipal");
    // The grant names the brought principal literally (known at preview), on the one resource.
    expect(runtime.one("azure-native:authorization:RoleAssignment", "h3-gateway-key-vault-secrets-user").inputs).toMatchObject({
      principalId: "33333333-3333-3333-3333-333333333333",
      scope: VAULT,
    });
  });

  it("refuses an id of another type and ids that are not GUIDs, every problem at once, naming each field", () => {
    expect(() =>
      identity.WorkloadIdentity.fromExisting({
        id: "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.KeyVault/vaults/kv-hub",
        clientId: "id-apim-shared",
        principalId: "33333333-3333-3333-3333-333333333333",
      }),
    ).toThrow(
      'Invalid existing identity:\n  - id: "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.KeyVault/vaults/kv-hub" is the id of a Microsoft.KeyVault/vaults, not of a Microsoft.ManagedIdentity/userAssignedIdentities. Use the identity\'s resource id (az identity show --query id).\n' +
        '  - clientId: "id-apim-shared" is not a GUID. Use the identity\'s client id (az identity show --query clientId).',
    );
    expect(() => identity.WorkloadIdentity.fromExisting({ id: "id-apim-shared", clientId: "22222222-2222-2222-2222-222222222222", principalId: "x" })).toThrow(
      /id: "id-apim-shared" is not an ARM resource id[\s\S]*principalId: "x" is not a GUID/,
    );
  });
});
