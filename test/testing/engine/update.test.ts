import type { Checkpoint, CheckpointResource } from "../../../testing/engine/checkpoint";
import { decideGoal } from "../../../testing/engine/diffGoal";
import { LiveAzure } from "../../../testing/engine/liveAzure";
import { UpdateRun } from "../../../testing/engine/update";

/**
 * The engine stand-in's later deployments, without a program: the engine's decisions (same, update,
 * replace, which half first), Azure's refusals, and the order of a delete-before-replace.
 */
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcp-dev";
const VAULT_ID = `${SUB}/providers/Microsoft.KeyVault/vaults/kv-mcp`;
const ROLE = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6";
const P1 = "aaaaaaaa-0000-0000-0000-000000000001";

function res(urn: string, type: string, id: string, inputs: Record<string, unknown>, extra: Partial<CheckpointResource> = {}): CheckpointResource {
  return { urn, type, name: urn, parent: null, custom: true, id, inputs, outputs: { ...inputs }, dependencies: [], propertyDependencies: {}, ...extra };
}

const vault = res("vault", "azure-native:keyvault:Vault", VAULT_ID, {
  resourceGroupName: "rg-mcp-dev",
  vaultName: "kv-mcp",
  properties: { publicNetworkAccess: "Disabled", enableRbacAuthorization: true },
});
const lock = res("lock", "azure-native:authorization:ManagementLockByScope", `${VAULT_ID}/providers/Microsoft.Authorization/locks/do-not-delete`, {
  scope: VAULT_ID,
  lockName: "do-not-delete",
  level: "CanNotDelete",
});
const identity = res("identity", "azure-native:managedidentity:UserAssignedIdentity", `${SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a`, {
  resourceGroupName: "rg-mcp-dev",
  resourceName: "id-a",
  location: "westeurope",
});
const grant = res(
  "grant",
  "azure-native:authorization:RoleAssignment",
  `${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-0000-0000-000000000001`,
  { scope: VAULT_ID, roleAssignmentName: "11111111-0000-0000-0000-000000000001", principalId: P1, roleDefinitionId: ROLE, principalType: "ServicePrincipal" },
  { dependencies: ["identity", "vault"], propertyDependencies: { principalId: ["identity"], roleAssignmentName: ["identity"], scope: ["vault"] } },
);
const secret = res("secret", "azure-native:keyvault:Secret", `${VAULT_ID}/secrets/app-key`, { resourceGroupName: "rg-mcp-dev", vaultName: "kv-mcp", secretName: "app-key" });

describe("the engine's decision for a registration with state", () => {
  const ra = "azure-native:authorization:RoleAssignment";
  it("replaces a role assignment whose principal changes, deleting first (it has a fixed name)", () => {
    const d = decideGoal(ra, grant.inputs, { ...grant.inputs, principalId: "bbbbbbbb-0000-0000-0000-000000000002" }, {}, false);
    expect(d).toEqual({ kind: "replace", changed: ["principalId"], replaceKeys: ["principalId"], deleteBeforeReplace: true });
  });

  it("updates in place for a body property that is not force-new, and is same for no change", () => {
    expect(decideGoal(ra, grant.inputs, { ...grant.inputs, description: "x" }, {}, false).kind).toBe("update");
    expect(decideGoal(ra, grant.inputs, { ...grant.inputs }, {}, false).kind).toBe("same");
  });

  it("compares location without case or spaces, and replaces on a real move", () => {
    const t = "azure-native:managedidentity:UserAssignedIdentity";
    expect(decideGoal(t, identity.inputs, { ...identity.inputs, location: "West Europe" }, {}, false).kind).toBe("same");
    expect(decideGoal(t, identity.inputs, { ...identity.inputs, location: "northeurope" }, {}, false).kind).toBe("replace");
  });

  it("leaves ignoreChanges paths alone", () => {
    const t = "azure-native:keyvault:Secret";
    const news = { ...secret.inputs, properties: { value: "other" } };
    expect(decideGoal(t, secret.inputs, news, { ignoreChanges: ["properties"] }, false).kind).toBe("same");
    expect(decideGoal(t, secret.inputs, news, {}, false).kind).toBe("update");
  });

  it("creates first on a forced replace unless the resource asks to delete first", () => {
    const t = "azure-native:managedidentity:UserAssignedIdentity";
    expect(decideGoal(t, identity.inputs, identity.inputs, {}, true)).toMatchObject({ kind: "replace", deleteBeforeReplace: false });
    expect(decideGoal(t, identity.inputs, identity.inputs, { deleteBeforeReplace: true }, true)).toMatchObject({ kind: "replace", deleteBeforeReplace: true });
  });

  it("creates first for a bridged azuread replacement and refuses to guess for a type it does not know", () => {
    const t = "azuread:index/appRoleAssignment:AppRoleAssignment";
    expect(decideGoal(t, { principalObjectId: "a" }, { principalObjectId: "b" }, {}, false)).toMatchObject({ kind: "replace", deleteBeforeReplace: false });
    expect(() => decideGoal("azure-native:web:WebApp", { a: 1 }, { a: 2 }, {}, false)).toThrow(/does not know which inputs of azure-native:web:WebApp/);
  });
});

describe("Azure's answers to a later deployment", () => {
  const live = (reach = {}) => new LiveAzure([vault, lock, identity, grant, secret], reach);

  it("refuses to create over an existing ARM id", () => {
    expect(live().create({ urn: "other", type: identity.type, id: identity.id as string, inputs: identity.inputs })).toBe(
      `cannot create already existing resource '${identity.id}'`,
    );
  });

  it("refuses a second assignment of the same role to the same principal at the same scope", () => {
    const twin = { urn: "twin", type: grant.type, id: `${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/22222222-0000-0000-0000-000000000002`, inputs: grant.inputs };
    expect(live().create(twin)).toMatch(/^RoleAssignmentExists/);
  });

  it("refuses a management-plane delete under the vault's lock, and allows deleting the lock itself", () => {
    const azure = live();
    expect(azure.delete({ urn: "grant", type: grant.type, id: grant.id as string, inputs: grant.inputs })).toBe(
      `ScopeLocked: The scope '${grant.id}' cannot perform delete operation because following scope(s) are locked: '${VAULT_ID}'. Please remove the lock and try again.`,
    );
    expect(azure.delete({ urn: "vault", type: vault.type, id: VAULT_ID, inputs: vault.inputs })).toMatch(/^ScopeLocked/);
    expect(azure.delete({ urn: "lock", type: lock.type, id: lock.id as string, inputs: lock.inputs })).toBeUndefined();
    expect(azure.delete({ urn: "grant", type: grant.type, id: grant.id as string, inputs: grant.inputs })).toBeUndefined();
  });

  it("sends a secret's delete to the data plane: refused off the network, then without a data role", () => {
    const del = (reach: object) => live(reach).delete({ urn: "secret", type: secret.type, id: secret.id as string, inputs: secret.inputs });
    expect(del({})).toMatch(/^ForbiddenByConnection: deleting secret 'app-key' on https:\/\/kv-mcp\.vault\.azure\.net/);
    expect(del({ reachesPrivateEndpoints: true })).toMatch(/^Forbidden: .*'Microsoft\.KeyVault\/vaults\/secrets\/delete'/);
    expect(del({ reachesPrivateEndpoints: true, keyVaultSecretsOfficer: true })).toBeUndefined();
  });
});

describe("a later update's steps", () => {
  const prior: Checkpoint = { project: "p", stack: "dev", resources: [vault, lock, identity, grant, secret] };
  const answer = (id: string) => (generation: number) => ({ id, outputs: { generation } });

  it("deletes a replaced identity's grants before the identity, then creates it with new ids", () => {
    const run = new UpdateRun({ prior: { ...prior, resources: [vault, identity, grant] }, replace: ["identity"] }, false);
    run.register("vault", vault.type, vault.inputs, {}, answer(VAULT_ID));
    const created = run.register("identity", identity.type, identity.inputs, { deleteBeforeReplace: true }, answer(identity.id as string));
    expect(created.outputs).toEqual({ generation: 1 });
    expect(run.steps.map((s) => [s.op, s.urn])).toEqual([
      ["same", "vault"],
      ["delete-replaced", "grant"],
      ["delete-replaced", "identity"],
      ["replace", "identity"],
    ]);
    // The grant registers again with the new principal: a create, since its old self is gone.
    run.register("grant", grant.type, { ...grant.inputs, principalId: "new" }, {}, answer(grant.id as string));
    expect(run.steps[4]).toEqual({ op: "replace", urn: "grant", detail: "created after its delete" });
    expect(run.finish()).toBeUndefined();
  });

  it("refuses to guess whether a dependent of a type it does not know is replaced with a delete-first replacement", () => {
    const app = res("app", "azure-native:web:WebApp", `${SUB}/providers/Microsoft.Web/sites/app`, { identity: identity.id }, { propertyDependencies: { identity: ["identity"] } });
    const run = new UpdateRun({ prior: { ...prior, resources: [identity, app] }, replace: ["identity"] }, false);
    expect(() => run.register("identity", identity.type, identity.inputs, { deleteBeforeReplace: true }, answer(identity.id as string))).toThrow(
      "the engine stand-in does not know whether azure-native:web:WebApp is replaced with identity (inputs identity)",
    );
  });

  it("fails a forced replace of a named identity that creates first: the name is taken", () => {
    const run = new UpdateRun({ prior, replace: ["identity"] }, false);
    expect(() => run.register("identity", identity.type, identity.inputs, {}, answer(identity.id as string))).toThrow(
      /cannot create already existing resource/,
    );
  });

  it("deletes what the program no longer registers, dependents first, and stops at Azure's refusal", () => {
    const run = new UpdateRun({ prior }, false);
    run.register("vault", vault.type, vault.inputs, {}, answer(VAULT_ID));
    run.register("lock", lock.type, lock.inputs, {}, answer(lock.id as string));
    expect(run.finish()).toMatch(/^ForbiddenByConnection/);
    expect(run.steps.filter((s) => s.op === "delete")).toEqual([]);
  });

  it("retains a resource marked retainOnDelete, skips an excluded create, and never deletes a protected one", () => {
    const retained = { ...secret, options: { retainOnDelete: true } };
    const run = new UpdateRun({ prior: { ...prior, resources: [vault, identity, retained] }, exclude: ["lock"] }, false);
    run.register("vault", vault.type, vault.inputs, {}, answer(VAULT_ID));
    run.register("identity", identity.type, identity.inputs, {}, answer(identity.id as string));
    expect(run.register("lock", lock.type, lock.inputs, {}, answer("x"))).toEqual({ id: "", outputs: lock.inputs });
    expect(run.finish()).toBeUndefined();
    expect(run.steps.filter((s) => s.op !== "same")).toEqual([
      { op: "skip-create", urn: "lock" },
      { op: "delete", urn: "secret", detail: "retained in Azure (retainOnDelete)" },
    ]);
    const guarded = new UpdateRun({ prior: { ...prior, resources: [{ ...vault, options: { protect: true } }] } }, false);
    expect(guarded.finish()).toBe("vault is protected and cannot be deleted (`protect: true`)");
  });

  it("moves an auto-named NSG to a fixed name create-first: the subnet is updated onto the new one, the old one deleted last", () => {
    const nsgType = "azure-native:network:NetworkSecurityGroup";
    const subnetType = "azure-native:network:Subnet";
    const oldNsgId = `${SUB}/providers/Microsoft.Network/networkSecurityGroups/mcp-network-apps-nsg3f2a9c1d`;
    const newNsgId = `${SUB}/providers/Microsoft.Network/networkSecurityGroups/nsg-mcp-dev-apps`;
    const nsg = res("nsg", nsgType, oldNsgId, { resourceGroupName: "rg-mcp-dev", securityRules: [] });
    const subnetInputs = { resourceGroupName: "rg-mcp-dev", virtualNetworkName: "vnet-mcp-dev", subnetName: "apps", networkSecurityGroup: { id: oldNsgId } };
    const subnet = res("subnet", subnetType, `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet-mcp-dev/subnets/apps`, subnetInputs, {
      dependencies: ["nsg"],
      propertyDependencies: { networkSecurityGroup: ["nsg"] },
    });
    const run = new UpdateRun({ prior: { project: "p", stack: "dev", resources: [nsg, subnet] } }, false);
    run.register("nsg", nsgType, { ...nsg.inputs, networkSecurityGroupName: "nsg-mcp-dev-apps" }, {}, answer(newNsgId));
    run.register("subnet", subnetType, { ...subnetInputs, networkSecurityGroup: { id: newNsgId } }, {}, answer(subnet.id as string));
    expect(run.finish()).toBeUndefined();
    expect(run.steps.map((s) => [s.op, s.urn])).toEqual([
      ["replace", "nsg"],
      ["update", "subnet"],
      ["delete-replaced", "nsg"],
    ]);
    expect(run.steps[0].detail).toBe("networkSecurityGroupName (create before delete)");
  });
});
