import * as fs from "fs";
import { parseStackFile } from "../../testing/launcher/stackFile";
import type { Plan, PlanResource } from "../../testing/planFile";
import { kitPlan, kitPlanFile, sharedPlan } from "../support/plans";

let plan: Plan;
let planModule: typeof import("../../testing/planFile");

const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
const one = (type: string): PlanResource => {
  const found = ofType(type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};
const byUrn = (urn: string) => plan.resources.find((r) => r.urn === urn);
const idOf = (r: PlanResource) => r.urn; // cross-references are checked through property dependencies

beforeAll(async () => {
  planModule = await import("../../testing/planFile");
  plan = await kitPlan();
});

describe("stack file reader", () => {
  it("turns YAML values into the engine's strings and redacts secure values", () => {
    const parsed = parseStackFile(
      [
        "config:",
        "  azure-native:location: westeurope",
        "  hardened-mcp:monitoring:",
        "    retentionInDays: 60",
        "  hardened-mcp:token:",
        "    secure: AAABAKxyz",
        "  hardened-mcp:nested:",
        "    inner:",
        "      secure: AAABAKabc",
        "  plainKey: 5",
      ].join("\n"),
      "hardened-mcp",
    );
    expect(parsed.config["azure-native:location"]).toBe("westeurope");
    expect(JSON.parse(parsed.config["hardened-mcp:monitoring"])).toEqual({ retentionInDays: 60 });
    expect(parsed.config["hardened-mcp:token"]).toBe("[secret]");
    expect(JSON.parse(parsed.config["hardened-mcp:nested"])).toEqual({ inner: "[secret]" });
    expect(parsed.config["hardened-mcp:plainKey"]).toBe("5");
    expect(parsed.secretKeys).toEqual(["hardened-mcp:nested", "hardened-mcp:token"]);
    expect(JSON.stringify(parsed)).not.toContain("AAABAK");
  });

  it("refuses a file that is not a Pulumi stack file", () => {
    expect(() => parseStackFile("config: [1, 2]", "p", "Pulumi.x.yaml")).toThrow(/Pulumi.x.yaml: "config" must be a mapping/);
  });
});

describe("the default plan (Pulumi.dev.yaml)", () => {
  it("is deterministic: two runs give byte-identical plan files", async () => {
    // The two shared plans of Pulumi.dev.yaml were synthesized in different processes (test/support/globalSetup.ts).
    const again = await sharedPlan("kit-dev-again");
    expect(planModule.planToJson(again)).toBe(fs.readFileSync(await kitPlanFile(), "utf8"));
    const json = JSON.parse(planModule.planToJson(plan));
    expect(json.version).toBe(1);
    expect(json.project).toBe("hardened-mcp");
    expect(json.stack).toBe("dev");
    for (const key of ["urn", "type", "name", "parent", "inputs", "dependencies", "propertyDependencies"]) {
      expect(json.resources[0]).toHaveProperty(key);
    }
  });

  it("contains every kind of resource the platform composes", () => {
    const kinds = [
      "hardened-mcp:azure:HardenedMcpPlatform",
      "azure-native:resources:ResourceGroup",
      "azure-native:network:VirtualNetwork",
      "azure-native:network:Subnet",
      "azure-native:network:NetworkSecurityGroup",
      "azure-native:privatedns:PrivateZone",
      "azure-native:operationalinsights:Workspace",
      "azure-native:applicationinsights:Component",
      "azure-native:keyvault:Vault",
      "azure-native:network:PrivateEndpoint",
      "azure-native:cognitiveservices:Account",
      "azure-native:managedidentity:UserAssignedIdentity",
      "azure-native:authorization:RoleAssignment",
      "azure-native:apimanagement:ApiManagementService",
      "azure-native:apimanagement:Policy",
      "azure-native:app:ManagedEnvironment",
      "azure-native:app:ContainerApp",
      "azure-native:app:ContainerAppsAuthConfig",
      "azure-native:apimanagement:Api",
      "azure-native:apimanagement:ApiPolicy",
      "azure-native:monitor:DiagnosticSetting",
      "azuread:index/application:Application",
    ];
    for (const kind of kinds) expect(ofType(kind).length).toBeGreaterThan(0);
    // Two servers, each with its app and its API.
    expect(ofType("azure-native:app:ContainerApp").map((r) => r.inputs.containerAppName).sort()).toEqual(["ca-docs-search", "ca-github-tools"]);
    expect(ofType("hardened-mcp:azure:McpServerApi")).toHaveLength(2);
  });

  it.each(["github-tools", "docs-search"])("publishes server %s with its API, operations, PRM, named values, backend and policy", (server) => {
    const apiId = `mcp-${server}`;
    const api = ofType("azure-native:apimanagement:Api").find((r) => r.inputs.apiId === apiId);
    expect(api?.inputs).toMatchObject({ path: server, protocols: ["https"], subscriptionRequired: false });
    const operations = (id: string) =>
      ofType("azure-native:apimanagement:ApiOperation")
        .filter((r) => r.inputs.apiId === id)
        .map((r) => `${r.inputs.method} ${r.inputs.urlTemplate}`)
        .sort();
    expect(operations(apiId)).toEqual(["DELETE /mcp", "GET /mcp", "POST /mcp"]);
    const prm = ofType("azure-native:apimanagement:Api").find((r) => r.inputs.apiId === `${apiId}-prm`);
    expect(prm?.inputs).toMatchObject({ path: `.well-known/oauth-protected-resource/${server}`, subscriptionRequired: false });
    expect(operations(`${apiId}-prm`)).toEqual(["GET /mcp"]);
    const prmPolicy = ofType("azure-native:apimanagement:ApiOperationPolicy").find((r) => r.inputs.apiId === `${apiId}-prm`);
    expect(String(prmPolicy?.inputs.value)).toContain("authorization_servers");
    const namedValues = ofType("azure-native:apimanagement:NamedValue").filter((r) => String(r.inputs.namedValueId).startsWith(`${apiId}-`));
    expect(namedValues.length).toBeGreaterThan(5);
    expect(namedValues.every((r) => r.inputs.secret === false)).toBe(true);
    const backend = ofType("azure-native:apimanagement:Backend").find((r) => r.inputs.backendId === apiId);
    expect(backend?.inputs.tls).toEqual({ validateCertificateChain: true, validateCertificateName: true });
    const policy = ofType("azure-native:apimanagement:ApiPolicy").find((r) => r.inputs.apiId === apiId);
    expect(String(policy?.inputs.value)).toContain("<validate-jwt");
  });

  it("parents every resource under the platform component", () => {
    const platform = one("hardened-mcp:azure:HardenedMcpPlatform");
    expect(platform.parent).toBeNull();
    for (const r of plan.resources) {
      if (r === platform) continue;
      let cursor: PlanResource | undefined = r;
      while (cursor && cursor.parent && cursor.parent !== platform.urn) cursor = byUrn(cursor.parent);
      expect(cursor?.parent).toBe(platform.urn);
    }
  });

  it("carries the hardened settings into the resource inputs", () => {
    const vault = one("azure-native:keyvault:Vault").inputs.properties as Record<string, unknown>;
    expect(vault).toMatchObject({ enableRbacAuthorization: true, enablePurgeProtection: true, publicNetworkAccess: "Disabled" });
    const cs = one("azure-native:cognitiveservices:Account").inputs.properties as Record<string, unknown>;
    expect(cs).toMatchObject({ disableLocalAuth: true, publicNetworkAccess: "Disabled" });
    const env = one("azure-native:app:ManagedEnvironment").inputs;
    expect(env).toMatchObject({ publicNetworkAccess: "Disabled", vnetConfiguration: { internal: true } });
    for (const appResource of ofType("azure-native:app:ContainerApp")) {
      const ingress = (appResource.inputs.configuration as { ingress: Record<string, unknown> }).ingress;
      expect(ingress.allowInsecure).toBe(false);
      // Only the gateway subnet may reach the app.
      expect(ingress.ipSecurityRestrictions).toEqual([expect.objectContaining({ action: "Allow", ipAddressRange: "10.20.0.0/24" })]);
      const image = ((appResource.inputs.template as { containers: { image: string }[] }).containers[0]).image;
      expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
    const apim = one("azure-native:apimanagement:ApiManagementService").inputs;
    expect(apim.developerPortalStatus).toBe("Disabled");
    for (const api of ofType("azure-native:apimanagement:Api")) expect(api.inputs.protocols).toEqual(["https"]);
    for (const auth of ofType("azure-native:app:ContainerAppsAuthConfig")) {
      expect(auth.inputs.globalValidation).toEqual({ unauthenticatedClientAction: "Return401" });
    }
  });

  it("has no secret values, and the server's secret is a Key Vault reference to the platform vault", () => {
    const text = planModule.planToJson(plan);
    // No connection string, and no input named like a credential that holds anything but "[secret]".
    expect(text).not.toMatch(/InstrumentationKey=/i);
    expect(text).not.toMatch(/"(password|sharedKey|clientSecret)"\s*:\s*"(?!\[secret\])/i);
    expect(text).not.toContain("placeholder: seed the real value");
    const github = ofType("azure-native:app:ContainerApp").find((r) => r.inputs.containerAppName === "ca-github-tools")!;
    const secrets = (github.inputs.configuration as { secrets: { keyVaultUrl: string; value?: string }[] }).secrets;
    const vaultName = one("azure-native:keyvault:Vault").inputs.vaultName as string;
    expect(secrets).toEqual([expect.objectContaining({ keyVaultUrl: `https://${vaultName}.vault.azure.net/secrets/github-app-private-key` })]);
    expect(secrets[0].value).toBeUndefined();
  });

  it("gives mocked resources ARM-shaped ids in cross-references", () => {
    const pe = ofType("azure-native:network:PrivateEndpoint");
    const links = pe.map((r) => (r.inputs.privateLinkServiceConnections as { privateLinkServiceId: string }[])[0].privateLinkServiceId);
    expect(links).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/subscriptions\/[0-9a-f-]+\/resourceGroups\/rg-mcp-dev\/providers\/Microsoft\.KeyVault\/vaults\/kv-mcp-dev-[a-z0-9]{5}$/),
        expect.stringMatching(/\/providers\/Microsoft\.CognitiveServices\/accounts\/cs-mcp-dev-[a-z0-9]{5}$/),
      ]),
    );
    expect(idOf(pe[0])).toContain("PrivateEndpoint");
  });

  it("prints a tree (components, then their children) and a count by type", () => {
    const tree = planModule.renderPlanTree(plan);
    expect(tree.split("\n")[0]).toBe("+ mcp  (hardened-mcp:azure:HardenedMcpPlatform)");
    expect(tree).toMatch(/\n {2}\+ mcp-vault {2}\(hardened-mcp:azure:SecureVault\)\n {4}mcp-vault-kv {2}\(azure-native:keyvault:Vault\)/);
    const counts = new Map(planModule.countByType(plan));
    expect(counts.get("azure-native:app:ContainerApp")).toBe(2);
    expect(counts.has("hardened-mcp:azure:McpServer")).toBe(false);
  });
});
