import * as path from "path";
import { runPreflight } from "../../../cli/preflight";
import { renderTable } from "../../../cli/preflight/report";
import type { PreflightNeeds } from "../../../cli/preflight/needs";
import type { CheckResult } from "../../../cli/preflight/result";
import { defaultState, FakeAzure, fakeJwt, startFakeAzure, stubCredential } from "./fakeAzure";
import { captureConsole } from "../../support/console";

/** `hardened-mcp preflight` end to end on the default stack (Pulumi.dev.yaml), against the local fake. */
const root = path.resolve(__dirname, "..", "..", "..");
const SUB = "11111111-2222-3333-4444-555555555555";
const TOKEN = fakeJwt({ idtyp: "user", scp: "Directory.AccessAsUser.All", tid: "00000000-0000-0000-0000-000000000000" });
const REGISTRY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-shared-acr/providers/microsoft.containerregistry/registries/contoso";

let fake: FakeAzure;
const { errors, logs } = captureConsole();

beforeAll(async () => {
  fake = await startFakeAzure();
});
afterAll(() => fake.close());

beforeEach(() => {
  fake.state = defaultState();
  fake.state.resources[REGISTRY] = { properties: { publicNetworkAccess: "Enabled" } };
  fake.requests.length = 0;
});

const endpoints = () => ["--arm-endpoint", fake.url, "--graph-endpoint", fake.url, "--authority-host", fake.url];

describe("hardened-mcp preflight", () => {
  it("derives the needs from the stack's plan, checks them, and exits 1 on a blocker", async () => {
    fake.state.providers["microsoft.app"] = "NotRegistered";
    const scopes: string[] = [];
    const code = await runPreflight(["--stack", "dev", "--dir", root, "--subscription", SUB, "--format", "json", ...endpoints()], { credential: stubCredential(TOKEN, scopes) });
    expect(errors).toEqual([]);
    expect(code).toBe(1);
    const out = JSON.parse(logs.join("\n")) as { needs: PreflightNeeds; results: CheckResult[] };
    // Read off the plan: every provider it writes to, Microsoft.Web for Standard v2's subnet delegation.
    expect(out.needs.providers).toEqual([
      "Microsoft.ApiManagement",
      "Microsoft.App",
      "Microsoft.CognitiveServices",
      "Microsoft.Insights",
      "Microsoft.KeyVault",
      "Microsoft.ManagedIdentity",
      "Microsoft.Network",
      "Microsoft.OperationalInsights",
      "Microsoft.Web",
    ]);
    const [group, registry] = out.needs.scopes;
    expect(group.label).toBe("resource group rg-mcp-dev");
    expect(group.actions).toEqual(
      expect.arrayContaining([
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/locks/write",
        "Microsoft.KeyVault/vaults/write",
        "Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action",
        "Microsoft.Network/virtualNetworks/subnets/join/action",
        "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
        "Microsoft.Resources/subscriptions/resourceGroups/write",
      ]),
    );
    expect(group.dayTwoActions).toEqual(expect.arrayContaining(["Microsoft.Authorization/locks/delete", "Microsoft.Authorization/roleAssignments/delete", "Microsoft.App/containerApps/delete"]));
    expect(group.dayTwoActions).not.toContain("Microsoft.Resources/subscriptions/resourceGroups/delete");
    expect(registry).toMatchObject({ label: "registry contoso", actions: ["Microsoft.Authorization/roleAssignments/write"] });
    expect(out.needs.graph).toEqual({ creates: ["AppRoleAssignment", "Application", "ApplicationIdentifierUri", "ApplicationPreAuthorized", "ServicePrincipal"], assignsAppRoles: true });
    expect(out.needs.names.keyVault).toMatch(/^kv-mcp-dev-[a-z0-9]{5}$/);
    // The one blocker, and everything else passing.
    const blockers = out.results.filter((r) => r.status === "fail" || r.status === "unknown");
    expect(blockers).toEqual([expect.objectContaining({ check: "provider", subject: "Microsoft.App", fix: `az provider register --namespace Microsoft.App --subscription ${SUB} --wait` })]);
    expect(out.results.filter((r) => r.status === "pass").length).toBe(out.results.length - 1);
    // Tokens for the overridden endpoints only.
    expect([...new Set(scopes)].sort()).toEqual([`${fake.url}/.default`]);
  }, 180_000); // synthesizes the default plan, like the other plan tests

  it("without credentials prints the reason, checks nothing and exits 2", async () => {
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (/^(AZURE_|ARM_|IDENTITY_|MSI_)/.test(key)) delete process.env[key];
    try {
      const code = await runPreflight(["--stack", "dev", "--dir", root, "--subscription", SUB, ...endpoints()]);
      expect(code).toBe(2);
      expect(errors.join("\n")).toMatch(/no Azure credentials, so nothing was checked \(.+\)\. Sign in with az login/);
      expect(fake.requests).toEqual([]);
    } finally {
      process.env = saved;
    }
  });

  it("answers --help, and refuses bad usage with exit 2", async () => {
    expect(await runPreflight(["--help"])).toBe(0);
    expect(logs.join("\n")).toMatch(/usage: hardened-mcp preflight --stack <name>/);
    expect(await runPreflight([])).toBe(2);
    expect(errors.pop()).toMatch(/--stack is required/);
    expect(await runPreflight(["--stack", "dev", "--arm-endpoint", "http://management.example.com"])).toBe(2);
    expect(errors.pop()).toMatch(/must use https \(plain http only on 127\.0\.0\.1/);
    expect(await runPreflight(["--stack", "nope", "--dir", root])).toBe(2);
    expect(errors.pop()).toMatch(/Pulumi\.nope\.yaml not found/);
  });
});

describe("the table", () => {
  it("shows each row's status and why, the fix under a failure, and whether pulumi up may go ahead", () => {
    const rows: CheckResult[] = [
      { check: "provider", subject: "Microsoft.App", status: "pass", why: "registered" },
      { check: "name", subject: "Key Vault kv-x", status: "fail", why: "soft-deleted", fix: "az keyvault recover --name kv-x" },
      { check: "rights (later deployments)", subject: "resource group rg", status: "warn", why: "missing locks/delete" },
    ];
    const table = renderTable(rows).split("\n");
    expect(table[0]).toMatch(/^STATUS\s+CHECK\s+SUBJECT\s+WHY$/);
    expect(table[1]).toMatch(/^PASS\s+provider\s+Microsoft\.App\s+registered$/);
    expect(table[2]).toMatch(/^FAIL\s+name\s+Key Vault kv-x\s+soft-deleted$/);
    expect(table[3]).toMatch(/^\s+fix: az keyvault recover --name kv-x$/);
    expect(table[table.length - 1]).toBe("1 blocker (FAIL or UNKNOWN) of 3 checks: fix them before pulumi up.");
    expect(renderTable([rows[0], rows[2]]).split("\n").pop()).toBe("Ready for pulumi up: 2 checks, 1 warning.");
  });
});
