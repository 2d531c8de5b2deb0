import { MockRuntime } from "../../../testing/mock/mockRuntime";
import { ENDPOINTS_SUBNET as SUBNET, zoneId } from "../shared/fixtures";

/** ExistingVault: a landing zone's vault, granted on and reached privately, never written to. */
const VAULT = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-shared-kv/providers/Microsoft.KeyVault/vaults/kv-landing";
const ZONE = zoneId("privatelink.vaultcore.azure.net");

let runtime: MockRuntime;
let kv: typeof import("../../../infra/keyvault/existingVault");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "existing-vault" });
  kv = await import("../../../infra/keyvault/existingVault");
});

const value = <T>(o: import("@pulumi/pulumi").Output<T>) => new Promise<T>((r) => o.apply(r));

describe("ExistingVault", () => {
  it("grants on the brought vault literally, adds this stack's private endpoint to it, and creates no vault, lock or secret", async () => {
    const vault = new kv.ExistingVault("lz", { resourceGroupName: "rg-mcp", location: "westeurope", id: VAULT, privateEndpoint: { subnetId: SUBNET, privateDnsZoneId: ZONE } });
    vault.grantSecretsRead("server-a", { principalId: "p-server-a" });
    vault.grantCertificatesRead("gateway", { principalId: "p-gateway" });
    const waits = vault.readersWaitFor(["github-token"]);
    await runtime.settle();
    for (const type of ["azure-native:keyvault:Vault", "azure-native:keyvault:Secret", "azure-native:authorization:ManagementLockByScope"]) expect(runtime.ofType(type)).toEqual([]);
    // Role definitions are read in the vault's own subscription.
    const roles = "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions";
    expect(runtime.one("azure-native:authorization:RoleAssignment", "lz-server-a-key-vault-secrets-user").inputs).toMatchObject({
      scope: VAULT,
      principalId: "p-server-a",
      roleDefinitionId: `${roles}/4633458b-17de-408a-b874-0445c86b69e6`,
    });
    expect(runtime.one("azure-native:authorization:RoleAssignment", "lz-gateway-key-vault-certificate-user").inputs).toMatchObject({
      scope: VAULT,
      principalId: "p-gateway",
      roleDefinitionId: `${roles}/db79e9a7-68ee-4b58-9aeb-b90e7c24fcba`,
    });
    expect(runtime.one("azure-native:network:PrivateEndpoint", "lz-pe").inputs).toMatchObject({
      subnet: { id: SUBNET },
      privateLinkServiceConnections: [{ privateLinkServiceId: VAULT, groupIds: ["vault"] }],
    });
    // A reader waits for this stack's endpoint DNS only: nothing is declared in a vault the kit does not own.
    expect(waits.map((r) => r === vault.privateEndpoint?.dnsZoneGroup)).toEqual([true]);
    expect(await value(vault.name)).toBe("kv-landing");
    expect(await value(vault.vaultUri)).toBe("https://kv-landing.vault.azure.net/");
  });

  it("takes a given URI of another cloud, and without privateEndpoint creates no endpoint and waits for nothing", async () => {
    const vault = new kv.ExistingVault("gov", { resourceGroupName: "rg-mcp", id: VAULT, vaultUri: "https://kv-landing.vault.usgovcloudapi.net" });
    await runtime.settle();
    expect(runtime.ofType("azure-native:network:PrivateEndpoint").filter((r) => r.name.startsWith("gov"))).toEqual([]);
    expect(vault.readersWaitFor()).toEqual([]);
    expect(await value(vault.vaultUri)).toBe("https://kv-landing.vault.usgovcloudapi.net/");
  });

  it("refuses an id of another type, and a URI of another vault, before registering", () => {
    expect(() => new kv.ExistingVault("bad", { resourceGroupName: "rg-mcp", id: VAULT.replace("vaults", "managedHSMs") })).toThrow(
      // The field and its problem, whichever header form SettingError gives one problem.
      `id: "${VAULT.replace("vaults", "managedHSMs")}" is the id of a Microsoft.KeyVault/managedHSMs, not of a Microsoft.KeyVault/vaults. Use the vault's resource id (az keyvault show --name <vault> --query id).`,
    );
    expect(() => new kv.ExistingVault("bad2", { resourceGroupName: "rg-mcp", id: VAULT, vaultUri: "https://kv-other.vault.azure.net/" })).toThrow(
      'vaultUri: "https://kv-other.vault.azure.net/" is not the URI of the vault kv-landing. Use https://kv-landing.vault.azure.net/ (or the vault\'s URI in its cloud), or leave it out.',
    );
    expect(runtime.ofType("hardened-mcp:azure:ExistingVault").filter((r) => r.name.startsWith("bad"))).toEqual([]);
  });
});
