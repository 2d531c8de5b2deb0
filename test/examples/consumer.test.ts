import { MockRuntime } from "../../testing/mock/mockRuntime";
import { BuiltInRoles } from "../../baseline/roles";

/** The consumer example compiles (root typecheck) and, run as a stack, keeps the platform's guarantees. */
let runtime: MockRuntime;

beforeAll(async () => {
  runtime = await MockRuntime.start({
    project: "mcp-consumer",
    stack: "prod",
    config: {
      "azure-native:location": "swedencentral",
      "mcp-consumer:tenantId": "00000000-0000-0000-0000-000000000000",
      "mcp-consumer:operatorsGroupObjectId": "55555555-5555-5555-5555-555555555555",
    },
  });
  await import("../../examples/consumer");
  await runtime.settle();
});

describe("examples/consumer", () => {
  it("builds the platform with the team's names and server", () => {
    expect(runtime.one("azure-native:keyvault:Vault").inputs.vaultName).toMatch(/^kv-payments-prod-[a-z0-9]{5}$/);
    expect(runtime.one("azure-native:app:ContainerApp").inputs.containerAppName).toBe("ca-ledger");
  });

  it("keeps every grant on a single resource, the operators' group included", () => {
    const vault = runtime.one("azure-native:keyvault:Vault");
    const grants = runtime.ofType("azure-native:authorization:RoleAssignment");
    const operators = grants.find((g) => g.inputs.principalId === "55555555-5555-5555-5555-555555555555");
    expect(operators?.inputs).toMatchObject({ principalType: "Group" });
    expect(String(operators?.inputs.roleDefinitionId)).toMatch(new RegExp(`${BuiltInRoles.KeyVaultSecretsUser.id}$`));
    // The vault's id is built from its name (known at preview), so the scope also carries the resource group.
    expect(operators?.propertyDependencies.scope).toContain(vault.urn);
    expect(String(operators?.inputs.scope)).toMatch(new RegExp(`/providers/Microsoft\\.KeyVault/vaults/${String(vault.inputs.vaultName)}$`));
    for (const grant of grants) expect(String(grant.inputs.scope)).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+\/.+/);
  });

  it("publishes the server only through the gateway: internal environment, gateway-subnet-only ingress, https APIs", () => {
    expect(runtime.one("azure-native:app:ManagedEnvironment").inputs).toMatchObject({ publicNetworkAccess: "Disabled", vnetConfiguration: { internal: true } });
    const ingress = (runtime.one("azure-native:app:ContainerApp").inputs.configuration as { ingress: { ipSecurityRestrictions: unknown[] } }).ingress;
    expect(ingress.ipSecurityRestrictions).toEqual([expect.objectContaining({ action: "Allow", ipAddressRange: "10.60.0.0/24" })]);
    for (const api of runtime.ofType("azure-native:apimanagement:Api")) expect(api.inputs.protocols).toEqual(["https"]);
  });
});
