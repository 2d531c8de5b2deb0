import { MockRuntime } from "../../../testing/mock/mockRuntime";
import { resolveVaultDefaults, validateVaultName } from "../../../infra/keyvault/vault";

import { ENDPOINTS_SUBNET as SUBNET, expectSingleResourceGrant, RG, WORKSPACE, zoneId } from "../shared/fixtures";

const ZONE = zoneId("privatelink.vaultcore.azure.net");

let runtime: MockRuntime;
let kv: typeof import("../../../infra/keyvault/vault");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "keyvault" });
  kv = await import("../../../infra/keyvault/vault");
});

function newVault(name: string, extra: Partial<import("../../../infra/keyvault/vault").SecureVaultArgs> = {}) {
  return new kv.SecureVault(name, {
    resourceGroupName: "rg-mcp",
    vaultName: `kv-${name}`,
    logAnalyticsWorkspaceId: WORKSPACE,
    privateEndpoint: { subnetId: SUBNET, privateDnsZoneId: ZONE },
    ...extra,
  });
}

describe("SecureVault", () => {
  let vault: import("../../../infra/keyvault/vault").SecureVault;
  beforeAll(async () => {
    vault = newVault("a");
    vault.grantSecretsRead("server-a", { principalId: "p-server-a" });
    vault.grantCertificatesRead("gateway", { principalId: "p-gateway" });
    await runtime.settle();
  });

  const vaultRecord = () => runtime.one("azure-native:keyvault:Vault", "a-kv");
  const vaultId = `${RG}/providers/Microsoft.KeyVault/vaults/kv-a`;

  it("uses RBAC, purge protection, 90-day soft delete, and no deployment back doors", () => {
    expect(vaultRecord().inputs.properties).toMatchObject({
      tenantId: "11111111-1111-1111-1111-111111111111",
      sku: { family: "A", name: "standard" },
      enableRbacAuthorization: true,
      accessPolicies: [],
      enablePurgeProtection: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
    });
  });

  it("is reachable only through its private endpoint: public access off, ACL deny, no bypass", () => {
    expect(vaultRecord().inputs.properties).toMatchObject({
      publicNetworkAccess: "Disabled",
      networkAcls: { defaultAction: "Deny", bypass: "None", ipRules: [], virtualNetworkRules: [] },
    });
    const pe = runtime.one("azure-native:network:PrivateEndpoint", "a-pe");
    expect(pe.inputs.subnet).toMatchObject({ id: SUBNET });
    expect(pe.inputs.privateLinkServiceConnections).toEqual([
      { name: "a-vault", privateLinkServiceId: vaultId, groupIds: ["vault"] },
    ]);
    expect(pe.propertyDependencies.privateLinkServiceConnections).toEqual([vaultRecord().urn]);
    const group = runtime.one("azure-native:network:PrivateDnsZoneGroup", "a-pe-dns");
    expect(group.inputs.privateDnsZoneConfigs).toEqual([{ name: "vault", privateDnsZoneId: ZONE }]);
  });

  it("sends audit logs and metrics to the workspace", () => {
    const diag = runtime.one("azure-native:monitor:DiagnosticSetting", "a-kv-diag");
    expect(diag.propertyDependencies.resourceUri).toEqual([vaultRecord().urn]);
    expect(diag.inputs).toMatchObject({ resourceUri: vaultId, workspaceId: WORKSPACE, logs: [{ categoryGroup: "allLogs", enabled: true }] });
  });

  it("declares a referenced secret once, with a redacted placeholder, in this vault", async () => {
    const first = vault.declareSecret("github-token");
    expect(vault.declareSecret("github-token")).toBe(first);
    await runtime.settle();
    const secrets = runtime.ofType("azure-native:keyvault:Secret").filter((r) => r.name === "a-secret-github-token");
    expect(secrets).toHaveLength(1);
    expect(secrets[0].inputs).toMatchObject({
      secretName: "github-token",
      vaultName: "kv-a",
      properties: { value: "[secret]", contentType: "text/plain; placeholder", attributes: { enabled: true } },
    });
    expect(secrets[0].propertyDependencies.vaultName).toEqual([vaultRecord().urn]);
    expect(() => vault.declareSecret("not_valid")).toThrow(/secret name "not_valid" is invalid/);
  });

  it("creates the lock after the private endpoint, so replacing the endpoint never meets the lock first", () => {
    const lock = runtime.one("azure-native:authorization:ManagementLockByScope", "a-kv-lock");
    expect(lock.dependencies).toContain(runtime.one("azure-native:network:PrivateEndpoint", "a-pe").urn);
  });

  it("has a CanNotDelete lock on the vault itself", () => {
    const lock = runtime.one("azure-native:authorization:ManagementLockByScope", "a-kv-lock");
    expect(lock.inputs).toMatchObject({ scope: vaultId, level: "CanNotDelete" });
    expect(lock.propertyDependencies.scope).toEqual([vaultRecord().urn]);
  });

  it("grants read roles on this vault only, one assignment per grant", () => {
    expectSingleResourceGrant(runtime, "a-server-a-key-vault-secrets-user", {
      scope: vaultId,
      principalId: "p-server-a",
      roleGuid: "4633458b-17de-408a-b874-0445c86b69e6",
    });
    expectSingleResourceGrant(runtime, "a-gateway-key-vault-certificate-user", {
      scope: vaultId,
      principalId: "p-gateway",
      roleGuid: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
    });
    const secrets = runtime.one("azure-native:authorization:RoleAssignment", "a-server-a-key-vault-secrets-user");
    expect(secrets.parent).toContain("SecureVault");
    expect(secrets.propertyDependencies.scope).toEqual([vaultRecord().urn]);
  });

  it("refuses a reused grant name and a duplicate grant to the same principal", () => {
    expect(() => vault.grantSecretsRead("server-a", { principalId: "p-other" })).toThrow(
      'SecureVault "a": a "Key Vault Secrets User" grant named "server-a" already exists; give each grant its own name.',
    );
    expect(() => vault.grantSecretsRead("again", { principalId: "p-server-a" })).toThrow(
      'SecureVault "a": "Key Vault Secrets User" is already granted to this principal (grant "server-a")',
    );
    expect(() => vault.grantSecretsRead("bad name", { principalId: "p-x" })).toThrow(
      'SecureVault "a": grant name "bad name" must be letters, digits and hyphens',
    );
  });

  it("exposes the vault URI", async () => {
    const uri = await new Promise<string>((resolve) => vault.vaultUri.apply(resolve));
    expect(uri).toBe("https://kv-a.vault.azure.net/");
  });
});

describe("SecureVault options", () => {
  it("opens the trusted-services bypass, premium SKU and no lock only when asked", async () => {
    newVault("b", { allowTrustedAzureServices: true, sku: "premium", skipDeleteLock: true, protect: false });
    await runtime.settle();
    expect(runtime.one("azure-native:keyvault:Vault", "b-kv").inputs.properties).toMatchObject({
      sku: { family: "A", name: "premium" },
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
      publicNetworkAccess: "Disabled",
    });
    expect(runtime.ofType("azure-native:authorization:ManagementLockByScope").some((l) => l.name === "b-kv-lock")).toBe(false);
  });

  it("protects the vault by default", () => {
    expect(resolveVaultDefaults({ vaultName: "kv-x" })).toEqual({ sku: "standard", bypass: "None", deleteLock: true, protect: true });
  });
});

describe("validateVaultName", () => {
  it("accepts valid names", () => {
    for (const name of ["kv1", "kv-mcp-prod-weu-001", "A".repeat(24)]) expect(() => validateVaultName(name)).not.toThrow();
  });

  it.each([
    ["kv", 'vaultName: "kv" is 2 characters long. Use 3 to 24.'],
    ["k".repeat(25), `vaultName: "${"k".repeat(25)}" is 25 characters long. Use 3 to 24.`],
    ["kv_mcp", 'vaultName: "kv_mcp" has characters other than letters, digits and hyphens. Use only those.'],
    ["1kv", 'vaultName: "1kv" does not start with a letter. Start it with a letter.'],
    ["kv-", 'vaultName: "kv-" ends with a hyphen. End it with a letter or digit.'],
    ["kv--mcp", 'vaultName: "kv--mcp" has consecutive hyphens. Use single hyphens.'],
  ])("refuses %s", (name, message) => {
    expect(() => validateVaultName(name)).toThrow(message);
  });
});
