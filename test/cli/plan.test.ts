import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlanCommand } from "../../cli/plan";
import { captureConsole } from "../support/console";

/** `hardened-mcp plan` end to end: exit status, messages, the plan file. */
let dir: string;
const { errors, logs } = captureConsole();

const oneServerStack = `config:
  azure-native:location: westeurope
  hardened-mcp:tenantId: 00000000-0000-0000-0000-000000000000
  hardened-mcp:gateway:
    publisherEmail: ops@contoso.com
    publisherName: Contoso
  hardened-mcp:servers:
    - name: weather
      image: contoso.azurecr.io/mcp/weather@sha256:${"e".repeat(64)}
      registry:
        server: contoso.azurecr.io
        resourceId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared-acr/providers/Microsoft.ContainerRegistry/registries/contoso
      tools:
        - name: forecast
          roles: [Weather.Read]
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-command-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: hardened-mcp\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "Pulumi.ok.yaml"), oneServerStack);
  fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "environment:\n  - platform/shared\n" + oneServerStack.replace(/@sha256:e+/, ":latest").replace("westeurope", "northeurope"));
});



describe("hardened-mcp plan", () => {
  it("fails a bad config with exit 1, every problem listed, no stack trace and no plan file", async () => {
    const out = path.join(dir, "bad.json");
    const code = await runPlanCommand(["--dir", dir, "--stack", "bad", "--out", out]);
    expect(code).toBe(1);
    const message = errors.join("\n");
    expect(message).toContain("Pulumi.bad.yaml: Invalid stack configuration (2 problems); nothing was deployed:");
    expect(message).toMatch(/hardened-mcp:servers\[0\]\.image: .*is not pinned by digest/);
    expect(message).toMatch(/hardened-mcp:location: .*Prompt Shields is not available in "northeurope"/);
    expect(message).not.toMatch(/\n\s+at /);
    // ESC imports cannot be opened offline: said, not silently dropped.
    expect(message).toMatch(/warning: Pulumi\.bad\.yaml imports the Pulumi ESC environment platform\/shared, which only the Pulumi CLI can open/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("refuses a missing stack file and unknown options with exit 2", async () => {
    expect(await runPlanCommand(["--dir", dir, "--stack", "nope"])).toBe(2);
    expect(errors.join("\n")).toMatch(/Pulumi\.nope\.yaml not found/);
    expect(await runPlanCommand(["--bogus"])).toBe(2);
    expect(await runPlanCommand(["--help"])).toBe(0);
    expect(logs.join("\n")).toMatch(/^usage: hardened-mcp plan/);
  });

  it("plans a good config: tree, counts and the plan file", async () => {
    const out = path.join(dir, "ok.json");
    const code = await runPlanCommand(["--dir", dir, "--stack", "ok", "--out", out]);
    expect(code).toBe(0);
    const printed = logs.join("\n");
    // The engine's tree: the stack is the root, the platform component its child.
    expect(printed).toMatch(/^\+ hardened-mcp-ok {2}\(pulumi:pulumi:Stack\)\n {2}\+ mcp {2}\(hardened-mcp:azure:HardenedMcpPlatform\)/);
    expect(printed).toMatch(/Resources by type:\n/);
    expect(printed).toMatch(/azure-native:app:ContainerApp\s+1/);
    // The summary ends the output (before the one-line total) and is kept in the plan file.
    expect(printed).toMatch(/Settings:\n {2}region westeurope; gateway StandardV2 x1/);
    expect(printed).toContain("Weakenings: none");
    expect(printed).toMatch(/Estimated monthly price: an estimate from list prices .*not a quote/);
    expect(printed).toMatch(/API Management StandardV2 \(1 unit\)\s+\$734\.00/);
    expect(printed).toMatch(/First deployment: about 15-23 minutes/);
    expect(errors.join("\n")).not.toContain("ESC");
    const plan = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(plan).toMatchObject({ version: 1, project: "hardened-mcp", stack: "ok" });
    expect(plan.summary).toMatchObject({ weakenings: [], price: { read: "2026-12-02" }, firstDeploy: { minutes: [15, 23] } });
    expect(plan.resources.some((r: { type: string }) => r.type === "azure-native:apimanagement:ApiManagementService")).toBe(true);
  });
});
