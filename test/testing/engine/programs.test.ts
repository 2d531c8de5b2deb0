import * as path from "path";
import { blindChecks } from "../../../cli/blindChecks";
import { previewProgram, ProgramPreview } from "../../../testing/engine/previewProgram";
import { refreshedWithout } from "../../../testing/engine/checkpoint";
import type { Checkpoint } from "../../../testing/engine/checkpoint";
import { readStackFile } from "../../../testing/launcher/stackFile";
import { ProgramRunRecord, sharedRun } from "../../support/programRuns";

/**
 * The kit's default program and the consumer example, run as the Pulumi CLI runs them (the nodejs
 * language host's launch, against the engine stand-in), in preview and update modes. Any warning or
 * error the program logs, any request the stand-in had to refuse, or a failed exit fails the test.
 * The four first runs are launched once per test run and shared (test/support/programRuns.ts).
 */
const repo = path.join(__dirname, "..", "..", "..");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

let kitPreview: ProgramRunRecord;
let kitUp: ProgramRunRecord;
let consumerPreview: ProgramRunRecord;
let consumerUp: ProgramRunRecord;

beforeAll(async () => {
  [kitPreview, kitUp, consumerPreview, consumerUp] = await Promise.all([
    sharedRun("kit-preview"),
    sharedRun("kit-up"),
    sharedRun("consumer-preview"),
    sharedRun("consumer-up"),
  ]);
});

const find = (p: { plan: ProgramPreview["plan"] }, type: string, name?: string) =>
  p.plan.resources.find((r) => r.type === type && (name === undefined || r.name === name));

describe.each([
  ["the default program", () => kitPreview, () => kitUp],
  ["the consumer example", () => consumerPreview, () => consumerUp],
])("%s under the language host", (_name, preview, up) => {
  it("runs clean in preview and in an update: exit 0, no warning, no error, nothing refused", () => {
    expect(preview().problems).toEqual([]);
    expect(up().problems).toEqual([]);
    expect(preview().exitCode).toBe(0);
    expect(up().exitCode).toBe(0);
  });

  it("registers the same resources under the same engine URNs in both modes", () => {
    const urns = (p: ProgramRunRecord) => p.plan.resources.map((r) => r.urn).sort();
    expect(urns(preview())).toEqual(urns(up()));
    expect(preview().plan.resources.filter((r) => r.custom).length).toBeGreaterThan(50);
  });
});

describe("the default program's plan", () => {
  it("parents the platform to the stack and chains every ancestor's type into a URN", () => {
    const stackUrn = "urn:pulumi:dev::hardened-mcp::pulumi:pulumi:Stack::hardened-mcp-dev";
    expect(kitPreview.rootResource).toBe(stackUrn);
    const platform = find(kitPreview, "hardened-mcp:azure:HardenedMcpPlatform");
    expect(platform).toMatchObject({ urn: "urn:pulumi:dev::hardened-mcp::hardened-mcp:azure:HardenedMcpPlatform::mcp", parent: stackUrn });
    const workspace = find(kitPreview, "azure-native:operationalinsights:Workspace");
    expect(workspace?.urn).toBe(
      "urn:pulumi:dev::hardened-mcp::hardened-mcp:azure:HardenedMcpPlatform$hardened-mcp:azure:Monitoring$azure-native:operationalinsights:Workspace::mcp-monitoring-law",
    );
  });

  it("gives every custom resource a default provider of its package", () => {
    const providers = kitPreview.plan.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.urn);
    expect(providers).toEqual(
      expect.arrayContaining([expect.stringMatching(/::pulumi:providers:azure-native::default_\d+_\d+_\d+$/), expect.stringMatching(/::pulumi:providers:azuread::default_\d+_\d+_\d+$/)]),
    );
    const unassigned = kitPreview.plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !r.provider);
    expect(unassigned).toEqual([]);
  });

  it("leaves what Azure computes unknown at preview and fills it in an update", () => {
    const stackOutputs = (p: ProgramRunRecord) => p.stackOutputs;
    expect(stackOutputs(kitPreview).gatewayIdentityPrincipalId).toBe(UNKNOWN);
    expect(stackOutputs(kitUp).gatewayIdentityPrincipalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(stackOutputs(kitUp).logAnalyticsWorkspaceId).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\//);
  });

  it("exports the egress address (a string, never undefined)", () => {
    expect(typeof kitUp.stackOutputs.egressIpAddress).toBe("string");
  });
});

describe("the consumer example", () => {
  it("imports the kit by its package name under the language host (tsx reads the example's own tsconfig)", () => {
    expect(consumerUp.args).toContain("--require");
    expect(find(consumerUp, "hardened-mcp:azure:HardenedMcpPlatform", "payments")).toBeDefined();
    expect(consumerUp.stackOutputs.ledgerMcpUrl).toMatch(/^https:\/\//);
  });
});

/**
 * Day 2 on the same path: a second `pulumi up` against the state the first one left, which removes the
 * github-tools server and rotates docs-search's identity (`--replace`), run as docs/deploy.md section 5
 * says while the vault's delete lock is on: the lock lifted out of band and refreshed away, and the run
 * excludes it. Azure's refusals are modelled (testing/engine/liveAzure.ts): a create over a taken name,
 * a delete under a lock, a secret delete the vault's closed data plane refuses.
 */
describe("a second deployment: remove a server and replace an identity", () => {
  let second: ProgramPreview;
  let before: Checkpoint;
  const urnOf = (c: Checkpoint, type: string, name: string) => c.resources.find((r) => r.type === type && r.name === name)?.urn as string;
  const IDENTITY = "azure-native:managedidentity:UserAssignedIdentity";

  beforeAll(async () => {
    before = kitUp.checkpoint as Checkpoint;
    const lock = urnOf(before, "azure-native:authorization:ManagementLockByScope", "mcp-vault-kv-lock");
    const stack = readStackFile(repo, "dev", "hardened-mcp");
    const servers = (JSON.parse(stack.config["hardened-mcp:servers"]) as { name: string }[]).filter((s) => s.name !== "github-tools");
    second = await previewProgram({
      dir: repo,
      stack: "dev",
      mode: "up",
      config: { config: { ...stack.config, "hardened-mcp:servers": JSON.stringify(servers) }, secretKeys: stack.secretKeys },
      update: {
        prior: refreshedWithout(before, (r) => r.urn === lock),
        replace: [urnOf(before, IDENTITY, "mcp-docs-search-id")],
        exclude: [lock],
      },
    });
  });

  const steps = () => (second.run.deployment.update as NonNullable<typeof second.run.deployment.update>).steps;
  const opsOf = (name: string) => steps().filter((s) => s.urn.endsWith(`::${name}`)).map((s) => s.op);

  it("succeeds: no refusal from Azure or the engine, no warning", () => {
    expect(second.run.problems).toEqual([]);
  });

  it("rotates the identity delete-first, its AcrPull grant deleted before it and created again for the new principal", () => {
    expect(opsOf("mcp-docs-search-acrpull")).toEqual(["delete-replaced", "replace"]);
    expect(opsOf("mcp-docs-search-id")).toEqual(["delete-replaced", "replace"]);
    const order = steps().map((s) => s.urn.split("::").pop());
    expect(order.indexOf("mcp-docs-search-acrpull")).toBeLessThan(order.indexOf("mcp-docs-search-id"));
    const principal = (r: { outputs: Record<string, unknown> } | undefined) => r?.outputs.principalId;
    const oldId = before.resources.find((r) => r.name === "mcp-docs-search-id");
    const newId = second.run.deployment.resources.find((r) => r.name === "mcp-docs-search-id");
    expect(principal(newId)).not.toEqual(principal(oldId));
    const grant = second.run.deployment.resources.find((r) => r.name === "mcp-docs-search-acrpull");
    expect(grant?.inputs.principalId).toBe(principal(newId));
  });

  it("deletes the removed server's resources, keeps its Key Vault secret, and does not create the excluded lock", () => {
    expect(opsOf("mcp-github-tools")).toEqual(["delete"]);
    expect(opsOf("mcp-vault-github-tools-key-vault-secrets-user")).toEqual(["delete"]);
    expect(steps().find((s) => s.urn.endsWith("::mcp-vault-secret-github-app-private-key"))).toEqual({
      op: "delete",
      urn: expect.any(String),
      detail: "retained in Azure (retainOnDelete)",
    });
    expect(opsOf("mcp-vault-kv-lock")).toEqual(["skip-create"]);
    expect(second.run.deployment.resources.filter((r) => r.name.startsWith("mcp-github-tools"))).toEqual([]);
  });

  it("leaves everything else as it was", () => {
    const changed = steps().filter((s) => s.op === "update").map((s) => s.urn.split("::").pop());
    expect(changed).toEqual([]);
  });
});

describe("the pack on the default program's preview", () => {
  // Allowed blind spots: each reads a value Azure or Entra assigns only when the resource is created.
  // - the backends' url: the Container Apps environment's default domain (azure-apim-backend-https, and
  //   azure-apim-policy-https-targets for the backend the API policy routes to);
  // - the named values holding the ids Entra and Azure assign (client ids, ID URIs), which the API policies
  //   reference so that the documents themselves are known.
  const ALLOWED = ["azure-apim-backend-https", "azure-apim-named-value-keyvault", "azure-apim-policy-https-targets"];

  it("leaves at most five checks blind, exactly the allowed ones", async () => {
    const blind = await blindChecks(kitPreview.plan);
    expect(blind.map((b) => b.policy)).toEqual(ALLOWED);
    expect(blind.find((b) => b.policy === "azure-apim-backend-https")?.resources).toBe(2);
    expect(blind.find((b) => b.policy === "azure-apim-named-value-keyvault")?.resources).toBe(8);
  });

  it("can judge everything in an update", async () => {
    expect(await blindChecks(kitUp.plan)).toEqual([]);
  });

  it("publishes the same, fully known policy documents in preview and in an update, ids as named-value references", () => {
    const policies = (p: ProgramRunRecord) =>
      p.plan.resources
        .filter((r) => r.type === "azure-native:apimanagement:ApiPolicy")
        .map((r) => [r.name, r.inputs.value] as const)
        // Registration order between the servers is not fixed (their inputs resolve concurrently).
        .sort(([a], [b]) => a.localeCompare(b));
    const previewed = policies(kitPreview);
    expect(previewed).toHaveLength(2);
    expect(previewed).toEqual(policies(kitUp));
    for (const [, xml] of previewed) {
      expect(xml).not.toBe(UNKNOWN);
      expect(xml).toMatch(/<audience>\{\{mcp-[a-z-]+-client-id\}\}<\/audience>/);
    }
  });
});
