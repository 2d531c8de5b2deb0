import { checkExistingVault } from "../../../cli/preflight/checks/existingVault";
import type { PreflightNeeds } from "../../../cli/preflight/needs";
import { AzureRest } from "../../../cli/preflight/rest";
import { defaultState, FakeAzure, fakeJwt, startFakeAzure, stubCredential } from "./fakeAzure";

/** The brought vault (keyVault.existing) read over the local fake ARM: each property the kit would set can fail. */
const VAULT = "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-shared-kv/providers/microsoft.keyvault/vaults/kv-landing";
let fake: FakeAzure;

beforeAll(async () => {
  fake = await startFakeAzure();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.state = defaultState();
});

async function run(existingVault?: { id: string }) {
  const rest = new AzureRest(stubCredential(fakeJwt({ idtyp: "user", tid: "00000000-0000-0000-0000-000000000000" })), { arm: fake.url, graph: fake.url, authorityHost: fake.url });
  return checkExistingVault({ rest, needs: { ...(existingVault ? { existingVault } : {}) } as PreflightNeeds });
}
const hardened = { enableRbacAuthorization: true, enablePurgeProtection: true, publicNetworkAccess: "Disabled" };

describe("preflight: a brought vault", () => {
  it("passes a vault in RBAC mode, with purge protection and no public access, and checks nothing without one", async () => {
    fake.state.resources[VAULT] = { properties: hardened };
    expect((await run({ id: VAULT })).map((r) => `${r.check} ${r.subject} ${r.status}`)).toEqual([
      "existing-vault vault kv-landing pass",
      "existing-vault vault kv-landing pass",
      "existing-vault vault kv-landing pass",
    ]);
    expect(await run()).toEqual([]);
  });

  it("fails each property the kit would have set, with the command that fixes it", async () => {
    fake.state.resources[VAULT] = { properties: { enableRbacAuthorization: false, enablePurgeProtection: null, publicNetworkAccess: "Enabled" } };
    expect((await run({ id: VAULT })).map((r) => [r.status, r.why, r.fix])).toEqual([
      [
        "fail",
        "the vault uses access policies, not Azure RBAC: the stack's role assignments would grant nothing, and its access policies grant beside them",
        "move its access policies to role assignments, then az keyvault update --name kv-landing --enable-rbac-authorization true",
      ],
      ["fail", "purge protection is off: a deleted vault and its secrets can be purged at once", "az keyvault update --name kv-landing --enable-purge-protection true (it cannot be turned off again)"],
      ["fail", "public network access is Enabled: the vault is reachable from outside its private endpoints", "az keyvault update --name kv-landing --public-network-access Disabled"],
    ]);
  });

  it("fails a vault that is not there, and reports one it cannot read as unknown, never as passed", async () => {
    expect(await run({ id: VAULT })).toEqual([
      expect.objectContaining({ status: "fail", why: `${VAULT} does not exist or is not visible to you`, fix: "check keyVault.existing.id" }),
    ]);
    const unreachable = new AzureRest(stubCredential(fakeJwt({ idtyp: "user" })), { arm: "http://127.0.0.1:1", graph: fake.url, authorityHost: fake.url });
    expect((await checkExistingVault({ rest: unreachable, needs: { existingVault: { id: VAULT } } as PreflightNeeds }))[0].status).toBe("unknown");
  });
});

describe("preflight names with a brought vault", () => {
  it("checks no Key Vault name of the kit's when the vault is brought (only the gateway's)", async () => {
    const { checkNames } = await import("../../../cli/preflight/checks/names");
    const rest = new AzureRest(stubCredential(fakeJwt({ idtyp: "user" })), { arm: fake.url, graph: fake.url, authorityHost: fake.url });
    const needs = { subscriptionId: "11111111-1111-1111-1111-111111111111", location: "westeurope", resourceGroup: { name: "rg-mcp-dev", id: "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-mcp-dev", create: true }, names: { apiManagement: "apim-mcp-dev-abcde" } };
    const rows = await checkNames({ rest, needs: needs as unknown as PreflightNeeds });
    expect(rows.map((r) => r.subject)).toEqual(["API Management apim-mcp-dev-abcde"]);
    const withVault = await checkNames({ rest, needs: { ...needs, names: { ...needs.names, keyVault: "kv-mcp-dev-abcde" } } as unknown as PreflightNeeds });
    expect(withVault.map((r) => r.subject)).toEqual(["Key Vault kv-mcp-dev-abcde", "API Management apim-mcp-dev-abcde"]);
  });
});
