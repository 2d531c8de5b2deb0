import type { PreflightNeeds } from "../../../cli/preflight/needs";
import { AzureRest } from "../../../cli/preflight/rest";
import type { Check, CheckResult } from "../../../cli/preflight/result";
import { checkProviders } from "../../../cli/preflight/checks/providers";
import { checkRights } from "../../../cli/preflight/checks/rights";
import { checkGraph } from "../../../cli/preflight/checks/graph";
import { checkNames } from "../../../cli/preflight/checks/names";
import { checkGatewaySku, checkPromptShields } from "../../../cli/preflight/checks/availability";
import { checkRegistries } from "../../../cli/preflight/checks/registry";
import { CONTRIBUTOR, defaultState, FakeAzure, fakeJwt, startFakeAzure, stubCredential } from "./fakeAzure";

/**
 * Each preflight check against the local fake ARM/Graph: passing by default, and failing for each
 * reason it exists for. No plan is synthesized here: `preflight.test.ts` derives the needs from one.
 */
const SUB = "11111111-2222-3333-4444-555555555555";
const TENANT = "00000000-0000-0000-0000-000000000000";
const USER_TOKEN = fakeJwt({ idtyp: "user", scp: "Directory.AccessAsUser.All", tid: TENANT });
const REGISTRY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-shared-acr/providers/microsoft.containerregistry/registries/contoso";

/** What the default stack's plan needs (the CLI test derives the real one from the plan). */
const needs: PreflightNeeds = {
  subscriptionId: SUB,
  tenantId: TENANT,
  location: "westeurope",
  resourceGroup: { name: "rg-mcp-dev", id: `/subscriptions/${SUB}/resourceGroups/rg-mcp-dev`, create: true },
  providers: ["Microsoft.ApiManagement", "Microsoft.App", "Microsoft.CognitiveServices", "Microsoft.Insights", "Microsoft.KeyVault", "Microsoft.ManagedIdentity", "Microsoft.Network", "Microsoft.OperationalInsights", "Microsoft.Web"],
  scopes: [
    {
      label: "resource group rg-mcp-dev",
      id: `/subscriptions/${SUB}/resourceGroups/rg-mcp-dev`,
      actions: ["Microsoft.Authorization/locks/write", "Microsoft.Authorization/roleAssignments/write", "Microsoft.KeyVault/vaults/write", "Microsoft.Resources/subscriptions/resourceGroups/write"],
      dayTwoActions: ["Microsoft.App/containerApps/delete", "Microsoft.Authorization/locks/delete", "Microsoft.Authorization/roleAssignments/delete"],
    },
    { label: "registry contoso", id: REGISTRY.replace("resourcegroups", "resourceGroups"), actions: ["Microsoft.Authorization/roleAssignments/write"], dayTwoActions: ["Microsoft.Authorization/roleAssignments/delete"] },
  ],
  names: { keyVault: "kv-mcp-dev-abcde", apiManagement: "apim-mcp-dev-abcde", contentSafety: "cs-mcp-dev-abcde" },
  gateway: { sku: "StandardV2", capacity: 1 },
  contentSafety: { location: "westeurope" },
  graph: { creates: ["AppRoleAssignment", "Application", "ServicePrincipal"], assignsAppRoles: true },
  registries: [{ id: REGISTRY, privateEndpoint: false, servers: ["github-tools", "docs-search"] }],
  registryZoneLinked: false,
};
let fake: FakeAzure;

beforeAll(async () => {
  fake = await startFakeAzure();
});

afterAll(() => fake.close());

beforeEach(() => {
  fake.state = defaultState();
  fake.requests.length = 0;
});

function run(check: Check, overrides: Partial<PreflightNeeds> = {}, token = USER_TOKEN, url = fake.url): Promise<CheckResult[]> {
  const rest = new AzureRest(stubCredential(token), { arm: url, graph: url, authorityHost: url });
  return check({ rest, needs: { ...needs, ...overrides } });
}

const only = (results: CheckResult[], subject: string | RegExp) => {
  const hit = results.filter((r) => (typeof subject === "string" ? r.subject === subject : subject.test(r.subject)));
  expect(hit).toHaveLength(1);
  return hit[0];
};

describe("resource providers", () => {
  it("passes when every provider is registered", async () => {
    const results = await run(checkProviders);
    expect(results.every((r) => r.status === "pass")).toBe(true);
    expect(results).toHaveLength(9);
  });

  it("fails an unregistered provider with the exact command", async () => {
    fake.state.providers["microsoft.app"] = "NotRegistered";
    fake.state.providers["microsoft.web"] = "Registering";
    const results = await run(checkProviders);
    const app = only(results, "Microsoft.App");
    expect(app.status).toBe("fail");
    expect(app.fix).toBe(`az provider register --namespace Microsoft.App --subscription ${SUB} --wait`);
    expect(only(results, "Microsoft.Web")).toMatchObject({ status: "fail", why: expect.stringMatching(/still registering/) });
    expect(results.filter((r) => r.status === "pass")).toHaveLength(7);
  });
});

describe("rights on every scope", () => {
  const groupId = `/subscriptions/${SUB}/resourcegroups/rg-mcp-dev`;

  it("reads the subscription's permissions while the resource group does not exist", async () => {
    fake.state.resources[REGISTRY] = {};
    const results = await run(checkRights);
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(fake.requests).toContain(`GET /subscriptions/${SUB}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`);
  });

  it("fails Contributor alone: no role assignments, no locks", async () => {
    fake.state.resources[groupId] = {};
    fake.state.permissions[groupId] = CONTRIBUTOR;
    const group = (await run(checkRights)).filter((r) => r.subject === "resource group rg-mcp-dev");
    expect(group[0].status).toBe("fail");
    expect(group[0].why).toContain("Microsoft.Authorization/locks/write");
    expect(group[0].why).toContain("Microsoft.Authorization/roleAssignments/write");
    expect(group[0].fix).toMatch(/Owner, or Contributor plus Role Based Access Control Administrator/);
    expect(group[1]).toMatchObject({ check: "rights (later deployments)", status: "warn" });
  });

  it("warns when only the later deployments' deletes are missing", async () => {
    fake.state.resources[groupId] = {};
    fake.state.permissions[groupId] = [{ actions: ["*"], notActions: ["Microsoft.Authorization/locks/delete"] }];
    const group = (await run(checkRights)).filter((r) => r.subject === "resource group rg-mcp-dev");
    expect(group.map((r) => r.status)).toEqual(["pass", "warn"]);
    expect(group[1].why).toMatch(/Microsoft.Authorization\/locks\/delete: removing a server or replacing an identity would fail/);
  });

  it("fails a missing resource group that the stack says exists", async () => {
    const results = await run(checkRights, { resourceGroup: { ...needs.resourceGroup, create: false } });
    expect(only(results, "resource group rg-mcp-dev")).toMatchObject({ status: "fail", why: expect.stringMatching(/useExisting is true/) });
  });

  it("fails the registry scope without role-assignment rights there", async () => {
    fake.state.resources[REGISTRY] = {};
    fake.state.permissions[REGISTRY] = [{ actions: ["Microsoft.ContainerRegistry/registries/read"], notActions: [] }];
    const registry = (await run(checkRights)).filter((r) => r.subject === "registry contoso" && r.check === "rights")[0];
    expect(registry.status).toBe("fail");
    expect(registry.why).toBe("missing Microsoft.Authorization/roleAssignments/write");
  });

  it("fails the registry scope without the right to approve the stack's private endpoint, naming the one action to grant", async () => {
    const approval = "Microsoft.ContainerRegistry/registries/privateEndpointConnectionsApproval/action";
    fake.state.resources[REGISTRY] = {};
    fake.state.permissions[REGISTRY] = [{ actions: ["Microsoft.Authorization/roleAssignments/write"], notActions: [] }];
    const scopes = needs.scopes.map((scope) => (scope.label === "registry contoso" ? { ...scope, actions: [...scope.actions, approval] } : scope));
    const registry = (await run(checkRights, { scopes })).filter((r) => r.subject === "registry contoso" && r.check === "rights")[0];
    expect(registry).toMatchObject({ status: "fail", why: `missing ${approval}` });
    expect(registry.fix).toContain(`or a custom role with ${approval} and .../read on it`);
  });

  it("reports unreadable permissions as unknown, never as passed", async () => {
    fake.state.resources[groupId] = {};
    fake.state.permissions[groupId] = 403;
    expect(only(await run(checkRights), "resource group rg-mcp-dev")).toMatchObject({ status: "unknown", why: expect.stringMatching(/AuthorizationFailed/) });
  });

  it("checks the vault of an earlier deployment, where the lock lives", async () => {
    const vault = `${groupId}/providers/microsoft.keyvault/vaults/${needs.names.keyVault}`;
    fake.state.resources[groupId] = {};
    fake.state.resources[vault] = {};
    fake.state.permissions[vault] = [{ actions: ["*"], notActions: ["Microsoft.Authorization/locks/*"] }];
    const rows = (await run(checkRights)).filter((r) => r.subject === `vault ${needs.names.keyVault}`);
    expect(rows[0]).toMatchObject({ status: "fail", why: "missing Microsoft.Authorization/locks/write" });
  });
});

describe("Microsoft Graph rights", () => {
  it("passes a user with an active Application Administrator role", async () => {
    expect((await run(checkGraph))[0]).toMatchObject({ status: "pass", why: "active directory role Application Administrator" });
  });

  it("fails a user without a directory role that can create applications and assign app roles", async () => {
    fake.state.directoryRoles = [{ roleTemplateId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", displayName: "Directory Readers" }];
    const [row] = await run(checkGraph);
    expect(row.status).toBe("fail");
    expect(row.why).toMatch(/you hold Directory Readers/);
  });

  it("checks a service principal's application permissions from its token", async () => {
    const ok = fakeJwt({ idtyp: "app", roles: ["Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All", "Application.Read.All"], tid: TENANT });
    expect((await run(checkGraph, {}, ok))[0].status).toBe("pass");
    const short = fakeJwt({ idtyp: "app", roles: ["Application.ReadWrite.OwnedBy"], tid: TENANT });
    const [row] = await run(checkGraph, {}, short);
    expect(row.status).toBe("fail");
    expect(row.why).toContain("appRoleAssignments: AppRoleAssignment.ReadWrite.All + Application.Read.All");
  });

  it("fails a token from another tenant and cannot judge a token it cannot read", async () => {
    expect((await run(checkGraph, {}, fakeJwt({ idtyp: "user", scp: "x", tid: "99999999-9999-9999-9999-999999999999" })))[0]).toMatchObject({ status: "fail", fix: expect.stringContaining(`az login --tenant ${TENANT}`) });
    expect((await run(checkGraph, {}, "opaque-token"))[0].status).toBe("unknown");
  });
});

describe("globally unique names", () => {
  it("passes free names, and names this stack already holds", async () => {
    expect((await run(checkNames)).map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
    fake.state.resources[`/subscriptions/${SUB}/resourcegroups/rg-mcp-dev/providers/microsoft.keyvault/vaults/${needs.names.keyVault}`] = {};
    fake.state.vaultNameAvailable = { nameAvailable: false, reason: "AlreadyExists" };
    expect((await run(checkNames))[0]).toMatchObject({ status: "pass", why: expect.stringMatching(/updated in place/) });
  });

  it("fails a soft-deleted vault with its purge date and the two ways out", async () => {
    fake.state.deletedVaults[needs.names.keyVault!] = { properties: { deletionDate: "2026-11-30T10:00:00Z", scheduledPurgeDate: "2027-02-28T10:00:00Z" } };
    const [vault] = await run(checkNames);
    expect(vault.status).toBe("fail");
    expect(vault.why).toBe("soft-deleted on 2026-11-30; purge protection keeps the name until 2027-02-28");
    expect(vault.fix).toContain(`az keyvault recover --name ${needs.names.keyVault}`);
    expect(vault.fix).toContain("hardened-mcp:nameSuffix");
  });

  it("fails a vault name held elsewhere", async () => {
    fake.state.vaultNameAvailable = { nameAvailable: false, reason: "AlreadyExists" };
    expect((await run(checkNames))[0]).toMatchObject({ status: "fail", why: expect.stringMatching(/^taken \(AlreadyExists\)/) });
  });

  it("fails a soft-deleted or taken API Management name", async () => {
    fake.state.deletedServices[needs.names.apiManagement] = { properties: { deletionDate: "2026-12-01T08:00:00Z", scheduledPurgeDate: "2026-12-03T08:00:00Z" } };
    const apim = (await run(checkNames))[1];
    expect(apim.status).toBe("fail");
    expect(apim.fix).toContain(`az apim deletedservice purge --service-name ${needs.names.apiManagement} --location westeurope`);
    fake.state.deletedServices = {};
    fake.state.apimNameAvailable = { nameAvailable: false, reason: "AlreadyExists", message: "in use" };
    expect((await run(checkNames))[1]).toMatchObject({ status: "fail", why: "taken (AlreadyExists: in use)" });
  });

  it("fails a soft-deleted Content Safety account and a taken subdomain", async () => {
    fake.state.deletedAccounts[needs.names.contentSafety ?? ""] = { properties: { deletionDate: "2026-12-01" } };
    expect((await run(checkNames))[2]).toMatchObject({ status: "fail", fix: expect.stringContaining("az cognitiveservices account purge") });
    fake.state.deletedAccounts = {};
    fake.state.subdomainAvailable = { isSubdomainAvailable: false, reason: "Subdomain name is already taken" };
    expect((await run(checkNames))[2]).toMatchObject({ status: "fail", why: expect.stringMatching(/custom subdomain is taken/) });
  });
});

describe("regions and tiers", () => {
  it("passes Prompt Shields in the default region and fails it where it is not offered", async () => {
    expect((await run(checkPromptShields))[0].status).toBe("pass");
    expect((await run(checkPromptShields, { contentSafety: { location: "northeurope" } }))[0]).toMatchObject({ status: "fail", why: "Prompt Shields is not offered in this region" });
  });

  it("fails Prompt Shields when the subscription has no ContentSafety SKU in the region, or a restricted one", async () => {
    fake.state.cognitiveSkus = [];
    expect((await run(checkPromptShields))[0].status).toBe("fail");
    fake.state.cognitiveSkus = [{ kind: "ContentSafety", name: "S0", locations: ["WESTEUROPE"], restrictions: [{ type: "Location", values: ["westeurope"], reasonCode: "NotAvailableForSubscription" }] }];
    expect((await run(checkPromptShields))[0].why).toMatch(/NotAvailableForSubscription/);
  });

  it("fails a gateway tier not offered, restricted, or over its capacity", async () => {
    expect((await run(checkGatewaySku))[0].status).toBe("pass");
    expect((await run(checkGatewaySku, { gateway: { sku: "StandardV2", capacity: 11 } }))[0]).toMatchObject({ status: "fail", why: "11 units exceed the tier's maximum of 10" });
    fake.state.apimSkus = [];
    expect((await run(checkGatewaySku))[0].why).toBe("StandardV2 is not offered in westeurope to this subscription");
    fake.state.apimSkus = [{ name: "StandardV2", locations: ["West Europe"], restrictions: [{ type: "Location", values: ["West Europe"], reasonCode: "QuotaId" }] }];
    expect((await run(checkGatewaySku))[0]).toMatchObject({ status: "fail", why: "StandardV2 is restricted in westeurope (QuotaId)" });
  });
});

describe("registries", () => {
  const privately = { registries: [{ ...needs.registries[0], privateEndpoint: true }], registryZoneLinked: true };
  const registry = (sku: string, properties: Record<string, unknown>) => ({ sku: { name: sku }, properties });
  const connection = (endpointId: string, status: string) => ({
    name: "conn-1",
    properties: { privateEndpoint: { id: endpointId }, privateLinkServiceConnectionState: { status } },
  });

  it("fails a missing registry and a private-only one, warns on a firewall that denies by default", async () => {
    expect((await run(checkRegistries))[0]).toMatchObject({ status: "fail", why: expect.stringMatching(/does not exist/) });
    fake.state.resources[REGISTRY] = { properties: { publicNetworkAccess: "Disabled" } };
    expect((await run(checkRegistries))[0]).toMatchObject({ status: "fail", why: expect.stringMatching(/public network access is disabled/) });
    fake.state.resources[REGISTRY] = { properties: { publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny" } } };
    expect((await run(checkRegistries))[0].status).toBe("warn");
    fake.state.resources[REGISTRY] = { properties: { publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Allow" } } };
    expect((await run(checkRegistries))[0].status).toBe("pass");
  });

  it("refuses a private-only registry without a private path, with the setting that fixes it (or the tier it needs first)", async () => {
    fake.state.resources[REGISTRY] = registry("Premium", { publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny" } });
    expect((await run(checkRegistries))[0]).toMatchObject({
      status: "fail",
      fix: "set servers[github-tools, docs-search].registry.privateEndpoint: true, or enable public access and allow the egress IP (az acr update --name contoso --public-network-enabled true)",
    });
    fake.state.resources[REGISTRY] = registry("Standard", { publicNetworkAccess: "Disabled" });
    expect((await run(checkRegistries))[0].fix).toBe(
      "the registry is Standard: private endpoints need Premium (az acr update --name contoso --sku Premium), then set servers[github-tools, docs-search].registry.privateEndpoint: true",
    );
  });

  it("passes a private-only Premium registry the stack gives a private endpoint", async () => {
    fake.state.resources[REGISTRY] = registry("Premium", { publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny" } });
    expect((await run(checkRegistries, privately))[0]).toMatchObject({ status: "pass", why: expect.stringMatching(/^Premium: the apps pull over the stack's private endpoint/) });
  });

  it("fails a private endpoint asked for on a registry that is not Premium", async () => {
    fake.state.resources[REGISTRY] = registry("Standard", { publicNetworkAccess: "Enabled" });
    expect((await run(checkRegistries, privately))[0]).toMatchObject({
      status: "fail",
      why: "servers[github-tools, docs-search].registry.privateEndpoint is true, but the registry is Standard and private endpoints need Premium",
      fix: expect.stringMatching(/^az acr update --name contoso --sku Premium, or remove/),
    });
  });

  it("fails when the registry's owner has not approved (or has rejected) the stack's endpoint from an earlier deployment", async () => {
    const ours = `${needs.resourceGroup.id}/providers/Microsoft.Network/privateEndpoints/mcp-acr-contoso-pe1234`;
    const theirs = "/subscriptions/99999999-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Network/privateEndpoints/pe";
    fake.state.resources[REGISTRY] = registry("Premium", { publicNetworkAccess: "Disabled", privateEndpointConnections: [connection(theirs, "Approved"), connection(ours, "Rejected")] });
    expect((await run(checkRegistries, privately))[0]).toMatchObject({
      status: "fail",
      why: "the stack's private endpoint connection is Rejected, so the apps cannot pull through it",
      fix: "the registry's owner approves it: az acr private-endpoint-connection approve --registry-name contoso --name conn-1",
    });
    fake.state.resources[REGISTRY] = registry("Premium", { publicNetworkAccess: "Disabled", privateEndpointConnections: [connection(ours, "Approved")] });
    expect((await run(checkRegistries, privately))[0]).toMatchObject({ status: "pass", why: expect.stringMatching(/connection approved/) });
  });

  it("fails a registry pulled over the egress path whose name the stack's privatelink.azurecr.io zone would hide", async () => {
    const other = "/subscriptions/99999999-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Network/privateEndpoints/pe";
    fake.state.resources[REGISTRY] = registry("Premium", { publicNetworkAccess: "Enabled", privateEndpointConnections: [connection(other, "Approved")] });
    expect((await run(checkRegistries))[0].status).toBe("pass");
    expect((await run(checkRegistries, { registryZoneLinked: true }))[0]).toMatchObject({
      status: "fail",
      why: expect.stringMatching(/resolves through privatelink\.azurecr\.io, and the stack links that zone to its VNet without this registry's records/),
      fix: "set servers[github-tools, docs-search].registry.privateEndpoint: true (one endpoint serves the VNet)",
    });
  });
});

it("reports an endpoint that does not answer as unknown for every check", async () => {
  const closed = await startFakeAzure();
  await closed.close();
  for (const check of [checkProviders, checkRights, checkNames, checkGatewaySku, checkPromptShields, checkRegistries, checkGraph]) {
    const results = await run(check, {}, USER_TOKEN, closed.url);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.status === "unknown")).toBe(true);
  }
});
