import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { readProject } from "../../testing/launcher/project";

/**
 * The default program's preload (Pulumi.yaml nodeargs): @pulumi/pulumi loads without TypeScript and
 * @npmcli/arborist, and still serializes a closure (loading them then) when a program asks it to.
 */
const ROOT = path.join(__dirname, "..", "..");
const PRELOAD = "../scripts/runtime/lazy-pulumi-deps.cjs";

const PROBE = `
const pulumi = require("@pulumi/pulumi");
const loaded = (name) => Object.keys(require.cache).some((k) => k.includes("/node_modules/" + name + "/"));
const atLoad = { typescript: loaded("typescript"), arborist: loaded("@npmcli/arborist") };
pulumi.runtime.serializeFunction(() => 6 * 7).then((s) => {
  console.log(JSON.stringify({ atLoad, afterSerialize: loaded("typescript"), serialized: s.text.includes("6 * 7") }));
});`;

function probe(nodeArgs: string[]): unknown {
  // The program's working directory, as the language host starts it: infra/.
  const r = spawnSync(process.execPath, [...nodeArgs, "-e", PROBE], { cwd: path.join(ROOT, "infra"), encoding: "utf8" });
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string);
}

describe("scripts/runtime/lazy-pulumi-deps.cjs", () => {
  it("is among the default program's node arguments", () => {
    expect(readProject(ROOT).options.nodeargs).toBe(`--require tsx/cjs --require ${PRELOAD}`);
  });

  it("defers TypeScript and arborist until a closure is serialized, which then works", () => {
    // Without the preload, @pulumi/pulumi 3.x loads both when it loads (runtime/closure).
    expect(probe(["--require", PRELOAD])).toEqual({ atLoad: { typescript: false, arborist: false }, afterSerialize: true, serialized: true });
  });
});
