import { BuiltInRoles } from "../../baseline/roles";
import type { EngineResource } from "../../testing/engine/records";
import { ProgramRunRecord, sharedRun } from "../support/programRuns";

/**
 * The consumer example (another team's stack importing the kit by its package name) keeps the platform's
 * guarantees when run as `pulumi up` runs it: the shared run of examples/consumer with Pulumi.prod.yaml,
 * launched as the nodejs language host launches it against the engine stand-in (test/support/programRuns.ts).
 * The root type check compiles it.
 */
let run: ProgramRunRecord;

beforeAll(async () => {
  run = await sharedRun("consumer-up");
});

const ofType = (type: string): EngineResource[] => run.resources.filter((r) => r.type === type);
function one(type: string): EngineResource {
  const found = ofType(type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

describe("examples/consumer", () => {
  it("builds the platform with the team's names and server", () => {
    expect(one("azure-native:keyvault:Vault").inputs.vaultName).toMatch(/^kv-payments-prod-[a-z0-9]{5}$/);
    expect(one("azure-native:app:ContainerApp").inputs.containerAppName).toBe("ca-ledger");
  });

  it("keeps every grant on a single resource, the operators' group included", () => {
    const vault = one("azure-native:keyvault:Vault");
    const grants = ofType("azure-native:authorization:RoleAssignment");
    const operators = grants.find((g) => g.inputs.principalId === "55555555-5555-5555-5555-555555555555");
    expect(operators?.inputs).toMatchObject({ principalType: "Group" });
    expect(String(operators?.inputs.roleDefinitionId)).toMatch(new RegExp(`${BuiltInRoles.KeyVaultSecretsUser.id}$`));
    // The vault's id is built from its name (known at preview), so the scope also carries the resource group.
    expect(operators?.propertyDependencies.scope).toContain(vault.urn);
    expect(String(operators?.inputs.scope)).toMatch(new RegExp(`/providers/Microsoft\\.KeyVault/vaults/${String(vault.inputs.vaultName)}$`));
    for (const grant of grants) expect(String(grant.inputs.scope)).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+\/.+/);
  });

  it("publishes the server only through the gateway: internal environment, gateway-subnet-only ingress, https APIs", () => {
    expect(one("azure-native:app:ManagedEnvironment").inputs).toMatchObject({ publicNetworkAccess: "Disabled", vnetConfiguration: { internal: true } });
    const ingress = (one("azure-native:app:ContainerApp").inputs.configuration as { ingress: { ipSecurityRestrictions: unknown[] } }).ingress;
    expect(ingress.ipSecurityRestrictions).toEqual([expect.objectContaining({ action: "Allow", ipAddressRange: "10.60.0.0/24" })]);
    for (const api of ofType("azure-native:apimanagement:Api")) expect(api.inputs.protocols).toEqual(["https"]);
  });
});
