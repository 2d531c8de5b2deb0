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
