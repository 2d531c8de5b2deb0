import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCheckCommand } from "../../../policies/offline/command";
import { readSnapshotFile } from "../../../policies/offline/readers";
import type { SnapshotFormat } from "../../../policies/offline/snapshot";
import { checkFindings, packFindings, PackSession, preparePackFolder, type CheckJson, type Findings, type PackFolder } from "../../../testing/analyzer";
import { kitPlanFile } from "../../support/plans";

/**
 * The pack as `pulumi preview --policy-pack ./policies --policy-pack-config FILE` runs it: installed, launched
 * through run-policy-pack as the nodejs language host launches it, driven over the Analyzer gRPC protocol in
 * the engine's order (testing/analyzer). Whatever it reports must agree, finding for finding, with
 * `hardened-mcp check` on the same input and config file.
 */

const ROOT = path.join(__dirname, "../../..");
const FIXTURES = path.join(ROOT, "test/fixtures");
const EXAMPLE_CONFIG = path.join(ROOT, "policies/config/example.json");
const REASON = "Break-glass assignment kept for the migration, tracked in SEC-7.";
/** Exemptions through both of the engine's channels (not-applicable, advisory note), one expired, and a level. */
const EXEMPTING_CONFIG = {
  "azure-storage-no-shared-key": "advisory",
  "azure-rbac-no-privileged-roles": { exemptions: [{ rule: "azure-rbac-no-privileged-roles[Owner]", resource: "mcp-app-owner", reason: REASON }] },
  "azure-apim-portals-disabled": { exemptions: [{ rule: "azure-apim-portals-disabled[LegacyPortal]", resource: "apim", reason: REASON }] },
  "azure-keyvault-purge-protection": { exemptions: [{ rule: "azure-keyvault-purge-protection", resource: "kv-mcp", reason: REASON, expires: "2026-01-01" }] },
};
const STACK = { organization: "organization", project: "hardened-mcp", stack: "dev", dryRun: true, config: {} };

let folder: PackFolder;
let scratch: string;
const sessions = new Map<string, PackSession>();

beforeAll(async () => {
  folder = preparePackFolder();
  scratch = mkdtempSync(path.join(os.tmpdir(), "engine-parity-"));
  writeFileSync(path.join(scratch, "exempting.json"), JSON.stringify(EXEMPTING_CONFIG));
  const example = JSON.parse(readFileSync(EXAMPLE_CONFIG, "utf8")) as unknown;
  const [withExample, withExemptions] = await Promise.all([PackSession.start(folder.dir, STACK, example), PackSession.start(folder.dir, STACK, EXEMPTING_CONFIG)]);
  sessions.set(EXAMPLE_CONFIG, withExample);
  sessions.set(path.join(scratch, "exempting.json"), withExemptions);
});

afterAll(async () => {
  await Promise.all([...sessions.values()].map((s) => s.stop()));
  folder?.dispose();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** `hardened-mcp check --<format> FILE --config CONFIG --format json`, in process. */
async function check(format: SnapshotFormat, file: string, config: string): Promise<{ findings: Findings; exit: number }> {
  const out = path.join(scratch, `check-${path.basename(file)}-${path.basename(config)}.json`);
  const exit = await runCheckCommand([`--${format}`, file, "--config", config, "--format", "json", "-o", out]);
  const report = JSON.parse(readFileSync(out, "utf8")) as CheckJson;
  expect(report.errors).toEqual([]);
  return { findings: checkFindings(report), exit };
}

async function both(format: SnapshotFormat, file: string, config: string) {
  const session = sessions.get(config) as PackSession;
  const analysis = await session.analyze(readSnapshotFile(format, file));
  return { engine: packFindings(analysis), offline: await check(format, file, config), analysis };
}

it("starts from its compiled build, silently, and describes itself as the engine sees it", () => {
  const session = sessions.get(EXAMPLE_CONFIG) as PackSession;
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "policies/package.json"), "utf8")) as { version: string };
  expect(session.name).toBe("hardened-mcp-azure");
  expect(session.version).toBe(pkg.version);
  expect(session.policies.length).toBeGreaterThanOrEqual(90);
  expect(session.pluginVersion).toMatch(/^\d+\.\d+\.\d+/);
  // A stale or missing build would announce its slower fallback here; a rule module failing to load would too.
  expect(session.stderr()).toBe("");
});

it("agrees with hardened-mcp check on the kit's own plan under the shipped config: nothing open, the two documented exemptions", async () => {
  const { engine, offline, analysis } = await both("plan", await kitPlanFile(), EXAMPLE_CONFIG);
  expect(engine).toEqual(offline.findings);
  expect(engine.violations).toEqual([]);
  expect(engine.deferred).toEqual([]);
  expect(engine.exempted.map((e) => e.split(" ")[0])).toEqual(["azure-apim-public-network-disabled", "azure-keyvault-secret-expiry"]);
  expect(analysis.analyzeCalls).toBeGreaterThan(100);
  expect(offline.exit).toBe(0);
});

it("agrees with hardened-mcp check on the insecure stack export, mandatory findings included", async () => {
  const { engine, offline } = await both("stack-export", path.join(FIXTURES, "insecure-stack-export.json"), EXAMPLE_CONFIG);
  expect(engine).toEqual(offline.findings);
  expect(engine.violations.filter((v) => v.startsWith("mandatory ")).length).toBeGreaterThan(10);
  expect(engine.violations).toContainEqual(expect.stringMatching(/^mandatory azure-apim-gateway-tls12\[Tls10\] \S+::apim :: /));
  expect(offline.exit).toBe(1);
});

it("agrees on exemptions through both engine channels, an expired one, and a changed level", async () => {
  const { engine, offline } = await both("stack-export", path.join(FIXTURES, "insecure-stack-export.json"), path.join(scratch, "exempting.json"));
  expect(engine).toEqual(offline.findings);
  expect(engine.exempted.map((e) => e.split(" ")[0])).toEqual(["azure-apim-portals-disabled[LegacyPortal]", "azure-rbac-no-privileged-roles[Owner]"]);
  expect(engine.violations).toContainEqual(expect.stringMatching(/^mandatory azure-keyvault-purge-protection .*exemption expired 2026-01-01/));
  expect(engine.violations).toContainEqual(expect.stringMatching(/^advisory azure-storage-no-shared-key /));
});

it("agrees on a preview's unknowns: the same checks deferred, none passed", async () => {
  const { engine, offline } = await both("preview", path.join(FIXTURES, "preview-unknowns.json"), path.join(scratch, "exempting.json"));
  expect(engine).toEqual(offline.findings);
  expect(engine.deferred.length).toBeGreaterThan(0);
});
