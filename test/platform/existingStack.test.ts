import * as fs from "fs";
import * as path from "path";
import type { Checkpoint } from "../../testing/engine/checkpoint";
import { previewProgram, ProgramPreview } from "../../testing/engine/previewProgram";

/**
 * `pulumi up` on a stack the kit deployed before the platform created each server's identity itself (until
 * 2026-12 `McpServer` made it as its own child, with AcrPull, and took the vault grant through a callback).
 * The prior state is that deployment's checkpoint of the servers' resources and the vault's grants and secrets
 * (test/fixtures/servers-checkpoint-2026-12-01.json, from the default program's update on the engine stand-in
 * at commit 3a59d84). The program runs as the Pulumi CLI runs it, against that state: the identities, now
 * under a `WorkloadIdentity`, must be taken over through their aliases, and nothing a server runs on may be
 * replaced or deleted: a replaced identity is an outage (deleted first, every grant re-created).
 */
const repo = path.join(__dirname, "..", "..");
const prior = JSON.parse(fs.readFileSync(path.join(repo, "test", "fixtures", "servers-checkpoint-2026-12-01.json"), "utf8")) as Checkpoint;

let second: ProgramPreview;
beforeAll(async () => {
  second = await previewProgram({ dir: repo, stack: "dev", mode: "up", update: { prior } });
});

const steps = () => (second.run.deployment.update as NonNullable<typeof second.run.deployment.update>).steps;
const stepOf = (urn: string) => steps().filter((s) => s.urn === urn);
const ID = "azure-native:managedidentity:UserAssignedIdentity";
const PLATFORM = "urn:pulumi:dev::hardened-mcp::hardened-mcp:azure:HardenedMcpPlatform";

it("runs clean against the earlier state: nothing refused, nothing logged", () => {
  expect(second.run.problems).toEqual([]);
});

it.each(["github-tools", "docs-search"])("keeps %s's identity: taken over by its alias, not replaced", (server) => {
  const moved = `${PLATFORM}$hardened-mcp:azure:WorkloadIdentity$${ID}::mcp-${server}-id`;
  expect(stepOf(moved)).toEqual([{ op: "same", urn: moved, detail: `aliased from ${PLATFORM}$hardened-mcp:azure:McpServer$${ID}::mcp-${server}-id` }]);
});

it("replaces, creates or deletes nothing the servers had: identities, grants, apps, auth, secrets", () => {
  const touched = steps().filter((s) => s.op !== "same" && prior.resources.some((r) => r.urn === s.urn || s.detail?.endsWith(r.urn)));
  expect(touched).toEqual([]);
  const deleted = steps().filter((s) => s.op === "delete" || s.op === "delete-replaced");
  expect(deleted).toEqual([]);
  for (const r of prior.resources.filter((p) => p.custom)) {
    expect([r.name, steps().some((s) => s.urn === r.urn || s.detail === `aliased from ${r.urn}`)]).toEqual([r.name, true]);
  }
});
