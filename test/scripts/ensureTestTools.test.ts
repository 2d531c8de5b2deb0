import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** `npm test`'s pretest (scripts/ensure-test-tools.js): finds what the gateway tests need, or says how to get it. */
const SCRIPT = path.join(__dirname, "../../scripts/ensure-test-tools.js");
const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [SCRIPT], { env, encoding: "utf8" });

let bin: string;
beforeAll(() => {
  bin = mkdtempSync(path.join(os.tmpdir(), "ensure-tools-"));
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

it("passes silently when mcs, mono and Newtonsoft.Json are there (this machine runs the gateway tests)", () => {
  const result = run(process.env);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});

it("without mono on the PATH, names what it installs (as root on Debian/Ubuntu) or stops with the command", () => {
  symlinkSync("/bin/true", path.join(bin, "apt-get"));
  const result = run({ PATH: bin, HARDENED_MCP_ENSURE_DRY_RUN: "1" });
  const root = process.getuid?.() === 0;
  if (root) {
    expect(result.stderr).toMatch(/^Installing mono-mcs mono-runtime( libnewtonsoft-json-cil-dev)? \(apt-get\)/);
    expect(result.status).toBe(0);
  } else {
    expect(result.stderr).toContain("install -y mono-mcs mono-runtime libnewtonsoft-json-cil-dev");
    expect(result.status).toBe(1);
  }
});
