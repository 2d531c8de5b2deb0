import { broughtResources } from "../../infra/config/brought";
import { parsePlatformConfig } from "../../infra/config/parse";
import { devRawConfig } from "./fixtures";

/** The `existing` settings: a landing zone's workspace, network, vault and gateway identity instead of the kit's. */
const HUB = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub";
const LAW = `${HUB}/providers/Microsoft.OperationalInsights/workspaces/law-central`;
const IDENTITY = `${HUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-apim`;
const context = { project: "hardened-mcp", stack: "dev" };

/** The config error's lines, for a config `change` makes to Pulumi.dev.yaml. */
function problemsOf(change: (raw: Record<string, any>) => void): string[] {
  const raw = devRawConfig();
  change(raw);
  try {
    parsePlatformConfig(raw, context);
  } catch (err) {
    return (err as Error).message.split("\n").slice(1);
  }
  throw new Error("the config was accepted");
}

describe("monitoring.existing and gateway.identity.existing", () => {
  const raw = devRawConfig();
  delete raw.monitoring.retentionInDays;
  raw.monitoring.existing = { workspaceId: LAW };
  raw.gateway.identity = { existing: { id: IDENTITY, clientId: "22222222-2222-2222-2222-222222222222", principalId: "33333333-3333-3333-3333-333333333333" } };
  const s = parsePlatformConfig(raw, context);

  it("carries the brought ids into the settings as written", () => {
    expect(s.monitoring.existing).toEqual({ workspaceId: LAW });
    expect(s.gateway.identity).toEqual({ existing: { id: IDENTITY, clientId: "22222222-2222-2222-2222-222222222222", principalId: "33333333-3333-3333-3333-333333333333" } });
  });

  it("lists each brought resource with what its owner must guarantee", () => {
    expect(broughtResources(s).map((b) => [b.setting.join("."), b.id])).toEqual([
      ["monitoring.existing", LAW],
      ["gateway.identity.existing", IDENTITY],
    ]);
    expect(broughtResources(s)[0].guarantees).toMatch(/local auth disabled/);
    expect(broughtResources(s)[1].guarantees).toMatch(/no role assignments or app role grants other than the ones this stack makes/);
    expect(broughtResources(parsePlatformConfig(devRawConfig(), context))).toEqual([]);
  });

  it("refuses retention next to a brought workspace, and a workspace id of another type, naming the settings", () => {
    expect(problemsOf((r) => (r.monitoring.existing = { workspaceId: IDENTITY }))).toEqual([
      "  - hardened-mcp:monitoring.retentionInDays: is set, but the workspace is an existing one (its owner sets it). Fix: remove it.",
      `  - hardened-mcp:monitoring.existing.workspaceId: "${IDENTITY}" is the id of a Microsoft.ManagedIdentity/userAssignedIdentities, not of a Microsoft.OperationalInsights/workspaces. Fix: use the workspace's resource id (az monitor log-analytics workspace show --query id).`,
    ]);
  });

  it("refuses a malformed identity id and client ids that are not GUIDs, and a missing principal id", () => {
    expect(problemsOf((r) => (r.gateway.identity = { existing: { id: `${HUB}/id-apim`, clientId: "id-apim" } }))).toEqual([
      "  - hardened-mcp:gateway.identity.existing.principalId: is required but not set. Fix: set the identity's principal id (az identity show --query principalId).",
    ]);
    expect(problemsOf((r) => (r.gateway.identity = { existing: { id: `${HUB}/id-apim`, clientId: "id-apim", principalId: "33333333-3333-3333-3333-333333333333" } }))).toEqual([
      `  - hardened-mcp:gateway.identity.existing.id: "${HUB}/id-apim" is not an ARM resource id (/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>). Fix: use the identity's resource id (az identity show --query id).`,
      '  - hardened-mcp:gateway.identity.existing.clientId: "id-apim" is not a GUID. Fix: use the identity\'s client id (az identity show --query clientId).',
    ]);
  });
});

describe("keyVault.existing and network.existing", () => {
  const VAULT = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-landing";
  const VNET = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke";
  const subnets = {
    gateway: { id: `${VNET}/subnets/snet-apim`, addressPrefix: "10.50.0.0/27" },
    endpoints: { id: `${VNET}/subnets/snet-pe`, addressPrefix: "10.50.1.0/26" },
    apps: { id: `${VNET}/subnets/snet-apps`, addressPrefix: "10.50.2.0/23" },
  };
  const bring = (r: Record<string, any>) => {
    r.keyVault = { existing: { id: VAULT } };
    r.network = { existing: { virtualNetworkId: VNET, subnets } };
  };

  it("derives the vault's name and URI, takes the subnets' CIDRs, and leaves egress to the landing zone", () => {
    const raw = devRawConfig();
    bring(raw);
    const s = parsePlatformConfig(raw, context);
    expect(s.keyVault.existing).toEqual({ id: VAULT, name: "kv-landing", vaultUri: "https://kv-landing.vault.azure.net/", privateEndpoint: true });
    expect(s.network).toEqual({ subnets: { gateway: "10.50.0.0/27", endpoints: "10.50.1.0/26", apps: "10.50.2.0/23" }, egress: { mode: "none" }, existing: { virtualNetworkId: VNET, subnets } });
    const [network, vault] = broughtResources(s);
    expect(network).toMatchObject({ setting: ["network", "existing"], id: VNET, guarantees: expect.stringContaining("the gateway subnet delegated to Microsoft.Web/serverFarms") });
    expect(vault).toMatchObject({ setting: ["keyVault", "existing"], id: VAULT, guarantees: expect.stringMatching(/^Azure RBAC authorization .*purge protection.*public network access disabled \(hardened-mcp preflight reads these three\).*it holds the secrets the servers reference \(github-app-private-key\)/) });
  });

  it("accepts a custom domain's certificate only from the brought vault", () => {
    const cert = (vault: string) => (r: Record<string, any>) => {
      bring(r);
      r.gateway.customDomain = { hostName: "mcp.contoso.com", certificateSecretId: `https://${vault}.vault.azure.net/secrets/gateway-tls` };
    };
    const raw = devRawConfig();
    cert("kv-landing")(raw);
    expect(parsePlatformConfig(raw, context).gateway.customDomain?.certificateSecretId).toBe("https://kv-landing.vault.azure.net/secrets/gateway-tls");
    expect(problemsOf(cert("kv-other"))[0]).toMatch(/^ {2}- hardened-mcp:gateway\.customDomain\.certificateSecretId: the certificate is in vault "kv-other", not the platform's vault "kv-landing"/);
  });

  it("refuses the kit's own network and vault settings next to brought ones, and a subnet outside the brought VNet", () => {
    expect(
      problemsOf((r) => {
        bring(r);
        r.keyVault.allowDestroy = true;
        r.network.addressSpace = "10.20.0.0/16";
        r.network.existing.subnets = { ...subnets, apps: { id: subnets.apps.id.replace("vnet-spoke", "vnet-other"), addressPrefix: "10.50.2.0/23" } };
      }),
    ).toEqual([
      "  - hardened-mcp:keyVault.allowDestroy: is set, but the vault is an existing one: the kit neither locks nor protects it. Fix: remove it.",
      "  - hardened-mcp:network.addressSpace: is set, but the network is an existing one (network.existing): its owner sets it, and routes its egress. Fix: remove it.",
    ]);
    expect(
      problemsOf((r) => {
        bring(r);
        r.network.existing.subnets = { ...subnets, apps: { id: subnets.apps.id.replace("vnet-spoke", "vnet-other"), addressPrefix: "10.50.2.0/23" } };
        r.keyVault.existing.id = VAULT.replace("Microsoft.KeyVault/vaults", "Microsoft.Storage/storageAccounts");
      }),
    ).toEqual([
      `  - hardened-mcp:keyVault.existing.id: "${VAULT.replace("Microsoft.KeyVault/vaults", "Microsoft.Storage/storageAccounts")}" is the id of a Microsoft.Storage/storageAccounts, not of a Microsoft.KeyVault/vaults. Fix: use the vault's resource id (az keyvault show --name <vault> --query id).`,
    ]);
    expect(
      problemsOf((r) => {
        bring(r);
        r.network.existing.subnets = { ...subnets, apps: { id: subnets.apps.id.replace("vnet-spoke", "vnet-other"), addressPrefix: "10.50.2.0/23" } };
      }),
    ).toEqual([
      `  - hardened-mcp:network.existing.subnets.apps.id: "${subnets.apps.id.replace("vnet-spoke", "vnet-other")}" is not a subnet of the VNet ${VNET}. Fix: use a subnet of virtualNetworkId, or the VNet that holds it.`,
    ]);
  });
});
