import * as fs from "fs";
import * as path from "path";
import type { Checkpoint } from "../../../testing/engine/checkpoint";
import { previewProgram, ProgramPreview } from "../../../testing/engine/previewProgram";
import { readProject } from "../../../testing/launcher/project";

/**
 * The library path on an existing stack: a program that uses McpServer without an identity (the convenience default)
 * is run as `pulumi up` against the state the same program left at commit 3a59d84, when McpServer created its
 * identity as a direct child (test/fixtures/library-server-checkpoint-2026-12-01.json). The identity now sits under
 * the component's own WorkloadIdentity; its alias must keep it, and nothing the server has may be replaced.
 */
const repo = path.join(__dirname, "..", "..", "..");
const prior = JSON.parse(fs.readFileSync(path.join(repo, "test", "fixtures", "library-server-checkpoint-2026-12-01.json"), "utf8")) as Checkpoint;

let second: ProgramPreview;
beforeAll(async () => {
  const project = { ...readProject(repo), name: "library", main: "test/fixtures/programs/libraryServer.ts", options: { typescript: false, nodeargs: "--require tsx/cjs" } };
  second = await previewProgram({
    dir: repo,
    project,
    stack: "dev",
    mode: "up",
    config: { config: { "azure-native:location": "westeurope" }, secretKeys: [] },
    update: { prior },
  });
});

it("keeps the identity McpServer made before, through its alias, and changes nothing else", () => {
  expect(second.run.problems).toEqual([]);
  const steps = (second.run.deployment.update as NonNullable<typeof second.run.deployment.update>).steps;
  const ID = "azure-native:managedidentity:UserAssignedIdentity";
  const moved = `urn:pulumi:dev::library::hardened-mcp:azure:McpServer$hardened-mcp:azure:WorkloadIdentity$${ID}::lib-id`;
  expect(steps.filter((s) => s.op !== "same")).toEqual([]);
  expect(steps.find((s) => s.urn === moved)).toEqual({ op: "same", urn: moved, detail: `aliased from urn:pulumi:dev::library::hardened-mcp:azure:McpServer$${ID}::lib-id` });
  // Every resource of the earlier state is still there: nothing was deleted, each custom one was kept.
  for (const r of prior.resources.filter((p) => p.custom)) expect([r.name, steps.some((s) => s.urn === r.urn || s.detail === `aliased from ${r.urn}`)]).toEqual([r.name, true]);
});
