import { spawnSync } from "child_process";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

/** The package's `bin`, as `npx hardened-mcp` runs it from a source checkout (no build). */
function hardenedMcp(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, "bin", "hardened-mcp.js"), ...args], { cwd: root, encoding: "utf8" });
}

describe("the hardened-mcp command", () => {
  it("lists the policy rules through the bin entry point", () => {
    const run = hardenedMcp("check", "--list-rules", "--format", "json");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const { rules } = JSON.parse(run.stdout) as { rules: { name: string }[] };
    expect(rules.length).toBeGreaterThanOrEqual(55);
  });

  it("answers an unknown command with usage and exit code 2", () => {
    const run = hardenedMcp("deploy");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command "deploy"/);
  });
});
