import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { deployPrerequisite, describeIf } from "./prerequisites";
import { fetchProtectedResourceMetadata, initialize } from "../../cli/smoke/probes";
import { targetOf } from "../../cli/smoke/target";

/**
 * End-to-end: `pulumi up` of the default program with the Automation API, black-box probes of the
 * deployed gateway, then `pulumi destroy`. Run it deliberately:
 *   HARDENED_MCP_LIVE_DEPLOY=1 HARDENED_MCP_LIVE_STACK=ci ARM_USE_OIDC=true ARM_CLIENT_ID=... \
 *   ARM_TENANT_ID=... ARM_SUBSCRIPTION_ID=... npx jest test/live/deploy
 * The stack's config comes from Pulumi.<HARDENED_MCP_LIVE_STACK>.yaml in the repository root; the test adds
 * keyVault.allowDestroy (a throwaway stack) so the destroy at the end can remove the vault.
 * HARDENED_MCP_LIVE_KEEP=1 leaves the stack up for inspection.
 */
describeIf(deployPrerequisite(), "live deploy test")("live deploy test", () => {
  const minutes = 60_000;
  let stack: Stack;

  beforeAll(async () => {
    stack = await LocalWorkspace.createOrSelectStack({
      stackName: process.env.HARDENED_MCP_LIVE_STACK ?? "ci",
      workDir: path.resolve(__dirname, "..", ".."),
    });
    await stack.setConfig("hardened-mcp:keyVault.allowDestroy", { value: "true" }, true);
    await stack.up({ onOutput: (line) => process.stdout.write(line) });
  }, 90 * minutes);

  afterAll(async () => {
    if (!stack || process.env.HARDENED_MCP_LIVE_KEEP === "1") return;
    await stack.destroy({ onOutput: (line) => process.stdout.write(line) });
  }, 60 * minutes);

  it("publishes every server behind Entra with discoverable metadata", async () => {
    const outputs = await stack.outputs();
    expect(String(outputs.gatewayUrl?.value ?? "")).toMatch(/^https:\/\//);
    const servers = Object.keys((outputs.servers?.value ?? {}) as Record<string, unknown>);
    expect(servers.length).toBeGreaterThan(0);
    for (const server of servers) {
      const target = targetOf(String(outputs.gatewayUrl?.value), server);
      const prm = await fetchProtectedResourceMetadata(target);
      expect(prm.status).toBe(200);
      const anonymous = await initialize(target);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate") ?? "").toContain(`resource_metadata="${target.prmUrl}"`);
    }
  }, 10 * minutes);

  it("leaves no drift after deployment", async () => {
    await stack.preview({ expectNoChanges: true });
  }, 20 * minutes);
});
