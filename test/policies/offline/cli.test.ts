import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Log } from "sarif";
import { runCheckCommand } from "../../../policies/offline/command";

const ROOT = path.join(__dirname, "../../..");
const FIXTURE = "test/fixtures/insecure-stack-export.json";
const PREVIEW = "test/fixtures/preview-unknowns.json";
const REASON = "Accepted for the insecure demo fixture only; never deployed.";
const tmp = mkdtempSync(path.join(tmpdir(), "hardened-mcp-check-"));
const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
};

/** Every problem planted in the insecure fixture: the granular finding and the resource it is on. */
const PLANTED: readonly [string, string][] = [
  ["azure-keyvault-purge-protection", "kv-mcp"],
  ["azure-keyvault-public-network-disabled", "kv-mcp"],
  ["azure-keyvault-firewall-default-deny", "kv-mcp"],
  ["azure-keyvault-rbac-authorization[AccessPolicies]", "kv-mcp"],
  ["azure-keyvault-private-endpoint", "kv-mcp"],
  ["azure-keyvault-diagnostic-settings[Missing]", "kv-mcp"],
  ["azure-rbac-no-privileged-roles[Owner]", "mcp-app-owner"],
  ["azure-rbac-no-broad-scope[subscription]", "mcp-app-owner"],
  ["azure-apim-gateway-tls12[Tls10]", "apim"],
  ["azure-apim-portals-disabled[DeveloperPortal]", "apim"],
  ["azure-apim-mcp-token-validation[mcp-weather]", "mcp-weather-policy"],
  ["azure-apim-mcp-strip-authorization[mcp-weather]", "mcp-weather-policy"],
  ["azure-containerapps-ingress-restricted[AnySource]", "ca-weather"],
  ["azure-containerapps-no-insecure-ingress", "ca-weather"],
  ["azure-containerapps-image-digest[weather]", "ca-weather"],
  ["azure-containerapps-secrets-keyvault[backend-api-key]", "ca-weather"],
  ["azure-cognitive-local-auth-disabled", "content-safety"],
  ["azure-storage-no-blob-public-access", "mcpstate"],
  ["azure-network-nsg-no-internet-management-ports[allow-rdp:3389]", "nsg-mcp"],
];

interface JsonReport {
  violations: { policy: string; id: string; urn: string | null; enforcementLevel: string }[];
  summary: { byLevel: { mandatory: number }; deferred: number; exempted: number };
}

/** Runs the command in-process, capturing what it writes. */
async function check(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      return { code: await runCheckCommand(argv), stdout, stderr };
    } finally {
      process.chdir(cwd);
    }
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Runs the real `hardened-mcp` entry point in a child process. */
function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "cli/main.ts", "check", ...argv], { cwd: ROOT, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("hardened-mcp check", () => {
  it("reports every problem planted in the insecure stack export and exits 1", async () => {
    const { code, stdout } = await check("--stack-export", FIXTURE, "--format", "json");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    const found = report.violations.map((v) => `${v.id} @ ${v.urn?.split("::").pop()}`);
    for (const [id, name] of PLANTED) expect(found).toContain(`${id} @ ${name}`);
    expect(report.summary.byLevel.mandatory).toBeGreaterThanOrEqual(PLANTED.length);
  });

  it("exits 0 when config leaves nothing mandatory, and an exemption in the config shows up with its reason", async () => {
    const config = file(
      "advisory.json",
      JSON.stringify({ all: "advisory", "azure-rbac-no-privileged-roles": { exemptions: [{ rule: "azure-rbac-no-privileged-roles[Owner]", resource: "mcp-app-owner", reason: REASON }] } }),
    );
    const { code, stdout } = await check("--stack-export", FIXTURE, "--config", config, "--format", "json");
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport & { exempted: { id: string; reason: string }[] };
    expect(report.summary.byLevel.mandatory).toBe(0);
    expect(report.exempted).toEqual([expect.objectContaining({ id: "azure-rbac-no-privileged-roles[Owner]", reason: REASON })]);
    expect(report.violations.some((v) => v.id === "azure-rbac-no-privileged-roles[Owner]")).toBe(false);
  });

  it("shows unknown values in a preview as deferred", async () => {
    const { stdout } = await check("--preview", PREVIEW, "--format", "json");
    const report = JSON.parse(stdout) as JsonReport & { deferred: { policy: string; urn: string }[] };
    expect(report.deferred).toContainEqual(expect.objectContaining({ policy: "azure-rbac-no-privileged-roles", urn: expect.stringContaining("mcp-id-secrets-user") }));
    expect(report.deferred).toContainEqual(expect.objectContaining({ policy: "azure-keyvault-public-network-disabled" }));
    expect(report.violations.some((v) => v.policy === "azure-rbac-no-privileged-roles")).toBe(false);
  });

  it("writes SARIF with a region for each located finding", async () => {
    const { code, stdout } = await check("--stack-export", FIXTURE, "--format", "sarif");
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Log;
    const results = log.runs[0].results ?? [];
    expect(results.length).toBeGreaterThan(PLANTED.length);
    expect(results.every((r) => (r.locations?.[0]?.physicalLocation?.region?.startLine ?? 0) > 0)).toBe(true);
  });

  it.each([
    [["--stack-export", "test/fixtures/missing.json"], /cannot read --stack-export file test\/fixtures\/missing.json: no such file/],
    [["--plan", FIXTURE], /not a hardened-mcp plan file/],
    [["--stack-export", FIXTURE, "--format", "xml"], /--format must be table, json or sarif/],
    [["--stack-export", FIXTURE, "--preview", PREVIEW], /give one input/],
    [[], /give an input/],
    [["--stack-export", FIXTURE, "--bogus"], /Unknown option '--bogus'/],
    [["--stack-export", FIXTURE, "--config", "CONFIG_UNKNOWN_RULE"], /Unknown rule "azure-keyvault-purge"/],
    [["--stack-export", FIXTURE, "--config", "CONFIG_NO_REASON"], /needs "reason"/],
    [["--stack-export", "CONFIG_NOT_JSON"], /is not valid JSON/],
  ])("exits 2 with one line and no stack trace for %j", async (argv, message) => {
    const files: Record<string, string> = {
      CONFIG_UNKNOWN_RULE: file("unknown.json", JSON.stringify({ "azure-keyvault-purge": "mandatory" })),
      CONFIG_NO_REASON: file("noreason.json", JSON.stringify({ "azure-storage-no-shared-key": { exemptions: [{ resource: "*" }] } })),
      CONFIG_NOT_JSON: file("broken.json", "{ not json"),
    };
    const { code, stdout, stderr } = await check(...argv.map((a) => files[a] ?? a));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("lists the rules as json", async () => {
    const { code, stdout } = await check("--list-rules", "--format", "json");
    expect(code).toBe(0);
    const { rules } = JSON.parse(stdout) as { rules: { name: string; remediation: string }[] };
    expect(rules.map((r) => r.name)).toContain("azure-keyvault-purge-protection");
    expect(rules.every((r) => r.remediation.length > 0)).toBe(true);
  });

  it("the real CLI entry point wires the command: exit 1 on the fixture, 0 on --help, 2 without a stack trace on bad input", async () => {
    const [insecure, help, missing] = await Promise.all([
      cli("--stack-export", FIXTURE, "--format", "json"),
      cli("--help"),
      cli("--preview", "test/fixtures/missing.json"),
    ]);
    expect(insecure.code).toBe(1);
    expect((JSON.parse(insecure.stdout) as JsonReport).violations.length).toBeGreaterThan(0);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--stack-export FILE");
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^hardened-mcp check: cannot read --preview file test\/fixtures\/missing.json: no such file\.$/m);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("hardened-mcp check: what a user reads", () => {
  const emptyExport = () => file("empty.json", JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack" }] } }));

  it("refuses to pass an input with nothing to check (exit 2, says why and what to run)", async () => {
    const { code, stdout, stderr } = await check("--stack-export", emptyExport());
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/empty\.json holds no resources to check, so no rule can pass or fail .*check its preview instead \(`--preview`\)\.\n$/);
    const preview = file("empty-preview.json", JSON.stringify({ steps: [] }));
    expect((await check("--preview", preview)).stderr).toMatch(/run `pulumi preview --json --show-sames` on a stack whose program declares resources/);
  });

  it("lists every --config problem at once, each naming the entry and the fix", async () => {
    const config = file(
      "many.json",
      JSON.stringify({ "azure-keyvault-purge": "mandatory", all: "loud", "azure-storage-no-shared-key": { exemptions: [{ resource: "*" }] }, exemptions: [] }),
    );
    const { code, stderr } = await check("--stack-export", FIXTURE, "--config", config);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--config .*many\.json: 4 problems:\n/);
    expect(stderr).toMatch(/ {2}- put exemptions under the rule they exempt/);
    expect(stderr).toMatch(/ {2}- Unknown rule "azure-keyvault-purge" .*did you mean "azure-keyvault-purge-protection"/);
    expect(stderr).toMatch(/ {2}- Setting "all": enforcement level "loud" is not one of advisory, mandatory, remediate, disabled/);
    expect(stderr).toMatch(/ {2}- .*needs "reason"/);
  });

  it("describes a malformed input in its own words, with the command that writes a good one (no zod text)", async () => {
    const plan = file("bad-plan.json", JSON.stringify({ version: 1, resources: [{ urn: 5, type: "t" }] }));
    const { code, stderr } = await check("--plan", plan);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a hardened-mcp plan file \(version 1\): resources\[0\]\.urn should be a string but is number 5; write it with `hardened-mcp plan --out FILE`\.\n$/);
    expect(stderr).not.toMatch(/Invalid input|received|expected string/);
    const exported = file("bad-export.json", JSON.stringify({ version: 2, deployment: {} }));
    expect((await check("--stack-export", exported)).stderr).toMatch(/version should be 3 but is number 2; write it with `pulumi stack export > FILE`/);
  });

  it("says when a stack export's secrets are encrypted, and prints the fix under each finding", async () => {
    const { stdout, stderr } = await check("--stack-export", FIXTURE);
    expect(stderr).toMatch(/^hardened-mcp check: warning: 4 secret values are encrypted in this export .*rules see them only as set/m);
    expect(stdout).toMatch(/azure-keyvault-purge-protection {2}kv-mcp \(azure-native:keyvault:Vault\)\n {19}.*\n {19}fix: \S/);
  });

  it("writes SARIF code scanning can file per stack: tool and rule links, rule names, automation id, the stack file as location", async () => {
    const { stdout } = await check("--stack-export", FIXTURE, "--format", "sarif");
    const run = (JSON.parse(stdout) as Log).runs[0];
    expect(run.tool.driver.informationUri).toBe("https://www.npmjs.com/package/hardened-mcp-azure");
    expect(run.automationDetails?.id).toMatch(/^hardened-mcp\/[\w-]+\/[\w-]+\/$/);
    const purge = run.tool.driver.rules?.find((r) => r.id === "azure-keyvault-purge-protection");
    expect(purge?.name).toBe("AzureKeyvaultPurgeProtection");
    expect(purge?.helpUri).toMatch(/^https:\/\//);
    for (const rule of run.tool.driver.rules ?? []) expect(rule.helpUri).toMatch(/^https:\/\/[^\s]+[^.,;:]$/);
    // The insecure fixture's stack has no stack file here: results point at the input file, line by line.
    expect(run.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(FIXTURE);

    // A dev stack checked in a checkout with Pulumi.dev.yaml: results point at the stack file, which the repository has.
    const devExport = file(
      "dev-export.json",
      JSON.stringify({
        version: 3,
        deployment: { resources: [{ urn: "urn:pulumi:dev::hardened-mcp::azure-native:keyvault:Vault::kv", type: "azure-native:keyvault:Vault", custom: true, inputs: { properties: {} } }] },
      }),
    );
    const dev = (JSON.parse((await check("--stack-export", devExport, "--format", "sarif")).stdout) as Log).runs[0];
    expect(dev.automationDetails?.id).toBe("hardened-mcp/hardened-mcp/dev/");
    expect(dev.results?.[0]?.locations?.[0]?.physicalLocation).toEqual({ artifactLocation: { uri: "Pulumi.dev.yaml", index: 0 }, region: { startLine: 1 } });
  });
});
