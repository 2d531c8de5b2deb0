import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeKeyVault, startFakeKeyVault } from "./fakeKeyVault";
import { runAgainst } from "./harness";

const VAULT = "https://kv-mcp-dev-abc123.vault.azure.net";
let vault: FakeKeyVault;

beforeAll(async () => {
  vault = await startFakeKeyVault();
});
beforeEach(() => vault.reset());
afterAll(async () => {
  await vault.close();
});

describe("secrets seed", () => {
  it("writes every value with its content type and expiry, from env, file and stdin", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
    const file = path.join(dir, "token");
    fs.writeFileSync(file, "file-value\n");
    const run = await runAgainst(
      vault,
      ["seed", "--vault-url", VAULT, "--secret", "weather-api-key=env:WEATHER_KEY", "--secret", "github-token=file:" + file,
        "--secret", "docs-key=stdin", "--secret", "short-form=SHORT", "--expires-in-days", "30"],
      { env: { WEATHER_KEY: "env-value", SHORT: "short-value" }, stdin: "stdin-value\n" },
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const exp = Date.parse("2026-07-01T00:00:00Z") / 1000;
    expect(vault.secrets.get("weather-api-key")).toMatchObject({ value: "env-value", contentType: "text/plain", enabled: true, exp });
    expect(vault.secrets.get("github-token")).toMatchObject({ value: "file-value", exp });
    expect(vault.secrets.get("docs-key")).toMatchObject({ value: "stdin-value", exp });
    expect(vault.secrets.get("short-form")).toMatchObject({ value: "short-value" });
    expect(run.out).toContain("set weather-api-key from environment variable WEATHER_KEY (content type text/plain, expires 2026-07-01)");
    expect(run.out).not.toMatch(/env-value|file-value|stdin-value/);
    expect(run.connected[0]).toMatchObject({ cloud: "public", url: VAULT });
  });

  it("writes nothing when any input is bad, and names every problem at once", async () => {
    const run = await runAgainst(
      vault,
      ["seed", "--vault-url", VAULT, "--secret", "first=env:SET", "--secret", "second=env:UNSET", "--secret", "third=s3cr3t-value!",
        "--secret", "fourth=file:/nonexistent/x", "--secret", "fifth=env:BLANK", "--expires-in-days", "0"],
      { env: { SET: "value", BLANK: "  " } },
    );
    expect(run.code).toBe(2);
    expect(vault.requests).toEqual([]);
    expect(run.connected).toEqual([]);
    expect(run.err).toContain("nothing was written; 5 problems:");
    expect(run.err).toContain("secret second: environment variable UNSET is unset");
    expect(run.err).toContain('--secret "third=…": the value source must be env:VARIABLE, file:PATH or stdin; a value is never taken from the command line.');
    expect(run.err).not.toContain("s3cr3t-value!");
    expect(run.err).toContain("secret fourth: file /nonexistent/x does not exist");
    expect(run.err).toContain("secret fifth: environment variable BLANK is empty");
    expect(run.err).toContain('--expires-in-days "0" must be a whole number of days from 1 to 730.');
  });

  it.each([
    [["seed", "--vault-url", VAULT], /--secret is required at least once/],
    [["seed", "--secret", "a=env:A"], /--vault-url is required/],
    [["seed", "--vault-url", "https://kv.vault.azure.us", "--secret", "a=env:A"], /did you mean vault\.usgovcloudapi\.net/],
    [["seed", "--vault-url", VAULT, "--secret", "a=stdin", "--secret", "b=-"], /only one secret can read standard input/],
    [["seed", "--vault-url", VAULT, "--secret", "a=env:A", "--secret", "A=env:A"], /named twice/],
    [["seed", "--vault-url", VAULT, "--secret", "a=env:A", "--content-type", "text/plain; placeholder"], /marks a placeholder/],
    [["seed", "--vault-url", VAULT, "--secret", "a=env:PH"], /holds the kit's placeholder text/],
    [["seed", "--vault-url", VAULT, "--secret", "a=env:BIG"], /holds 25601 bytes; Key Vault takes at most 25600/],
    [["seed", "--vault-url", VAULT, "--value", "x"], /Unknown option '--value'/],
  ])("refuses %j before connecting", async (argv, message) => {
    const env = { A: "a", PH: "placeholder: seed the real value with `hardened-mcp secrets seed`", BIG: "x".repeat(25601) };
    const run = await runAgainst(vault, argv, { env });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.connected).toEqual([]);
  });

  it("answers --help with exit 0 and no vault", async () => {
    const run = await runAgainst(vault, ["seed", "--help"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("usage: hardened-mcp secrets seed --vault-url <uri> --secret <name>=<source>");
    expect(run.connected).toEqual([]);
  });

  it("explains a firewall 403 as network line of sight and reports what was and was not written", async () => {
    vault.failFrom(1, { status: 403, code: "Forbidden", inner: "ForbiddenByFirewall", message: "Client address is not authorized and caller is not a trusted service." });
    const run = await runAgainst(vault, ["seed", "--vault-url", VAULT, "--secret", "one=env:A", "--secret", "two=env:A"], { env: { A: "v" } });
    expect(run.code).toBe(1);
    expect(run.err).toContain("could not write two: network: vault kv-mcp-dev-abc123 refused this machine's address (403 ForbiddenByFirewall)");
    expect(run.err).toContain("Run this from inside the VNet");
    expect(run.err).toContain("nslookup kv-mcp-dev-abc123.vault.azure.net");
    expect(run.err).toContain("written: one; not written: two.");
  });

  it("explains an RBAC 403 as the missing role", async () => {
    vault.failFrom(0, { status: 403, code: "Forbidden", inner: "ForbiddenByRbac", message: "Caller is not authorized to perform action on resource." });
    const run = await runAgainst(vault, ["seed", "--vault-url", VAULT, "--secret", "one=env:A"], { env: { A: "v" } });
    expect(run.code).toBe(1);
    expect(run.err).toContain('permission: vault kv-mcp-dev-abc123 refused the signed-in identity (403 ForbiddenByRbac). The signed-in identity needs the "Key Vault Secrets Officer" role on vault kv-mcp-dev-abc123');
    expect(run.err).toContain("written: none; not written: one.");
  });

  it("names both causes when a 403 carries no inner code", async () => {
    vault.failFrom(0, { status: 403, code: "Forbidden", message: "Forbidden" });
    const run = await runAgainst(vault, ["seed", "--vault-url", VAULT, "--secret", "one=env:A"], { env: { A: "v" } });
    expect(run.err).toMatch(/Either the network: .* Or permission: /);
  });
});

describe("secrets list and check", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const at = (iso: string) => Date.parse(iso) / 1000;

  beforeEach(() => {
    const updated = at("2026-05-01T00:00:00Z");
    vault.secrets.set("unseeded", { value: "p", contentType: "text/plain; placeholder", enabled: true, updated });
    vault.secrets.set("stale", { value: "v", contentType: "text/plain", enabled: true, exp: at("2026-05-20T00:00:00Z"), updated });
    vault.secrets.set("soon", { value: "v", contentType: "text/plain", enabled: true, exp: at("2026-06-11T00:00:00Z"), updated });
    vault.secrets.set("fine", { value: "v", contentType: "text/plain", enabled: true, exp: at("2026-09-01T00:00:00Z"), updated });
    vault.secrets.set("forever", { value: "v", contentType: "text/plain", enabled: true, updated });
    vault.secrets.set("off", { value: "v", contentType: "text/plain", enabled: false, exp: at("2026-09-01T00:00:00Z"), updated });
    vault.secrets.set("tls-cert", { value: "v", contentType: "application/x-pkcs12", enabled: true, managed: true, updated });
  });

  it("lists each secret's state without reading values, and exits 0", async () => {
    const run = await runAgainst(vault, ["list", "--vault-url", VAULT], { now });
    expect(run.code).toBe(0);
    expect(vault.requests).toEqual(["GET /secrets"]);
    const lines = run.out.split("\n");
    expect(lines[0]).toMatch(/^SECRET\s+STATE\s+EXPIRES\s+CONTENT TYPE\s+WHAT TO DO$/);
    expect(lines.find((l) => l.startsWith("unseeded"))).toMatch(/placeholder .*seed the real value with `hardened-mcp secrets seed`/);
    expect(lines.find((l) => l.startsWith("stale"))).toMatch(/expired\s+2026-05-20 .*expired on 2026-05-20/);
    expect(lines.find((l) => l.startsWith("soon"))).toMatch(/expiring\s+2026-06-11 .*expires in 10 days/);
    expect(lines.find((l) => l.startsWith("fine"))).toMatch(/^fine\s+ok\s+2026-09-01\s+text\/plain$/);
    expect(lines.find((l) => l.startsWith("forever"))).toMatch(/no-expiry/);
    expect(lines.find((l) => l.startsWith("off"))).toMatch(/disabled/);
    expect(run.out).not.toContain("tls-cert");
    expect(run.out).toContain("6 secrets in https://kv-mcp-dev-abc123.vault.azure.net: 1 fine, 5 need attention.");
  });

  it("check exits 1 on any finding and 0 when every secret is fine", async () => {
    expect((await runAgainst(vault, ["check", "--vault-url", VAULT], { now })).code).toBe(1);
    for (const name of ["unseeded", "stale", "soon", "forever", "off"]) vault.secrets.delete(name);
    expect((await runAgainst(vault, ["check", "--vault-url", VAULT], { now })).code).toBe(0);
  });

  it("check honours --within-days and reports expected secrets that are missing", async () => {
    for (const name of ["unseeded", "stale", "forever", "off"]) vault.secrets.delete(name);
    const run = await runAgainst(vault, ["check", "--vault-url", VAULT, "--within-days", "5", "--expect", "soon", "--expect", "github-token"], { now });
    expect(run.code).toBe(1);
    expect(run.out).toContain("missing: github-token is not in the vault");
    expect(run.out).toMatch(/^soon\s+ok/m);
  });

  it("prints JSON for tools", async () => {
    const run = await runAgainst(vault, ["list", "--vault-url", VAULT, "--json"], { now });
    const parsed = JSON.parse(run.out) as { secrets: { name: string; state: string }[] };
    expect(Object.fromEntries(parsed.secrets.map((s) => [s.name, s.state]))).toEqual({
      fine: "ok", forever: "no-expiry", off: "disabled", soon: "expiring", stale: "expired", unseeded: "placeholder",
    });
  });

  it("explains a firewall 403 on list and exits 1 (a check that cannot run never passes)", async () => {
    vault.failFrom(0, { status: 403, code: "Forbidden", inner: "ForbiddenByConnection", message: "Public network access is disabled and request is not from a trusted service nor via an approved private link." });
    const run = await runAgainst(vault, ["check", "--vault-url", VAULT], { now });
    expect(run.code).toBe(1);
    expect(run.err).toContain("network: vault kv-mcp-dev-abc123 refused this machine's address (403 ForbiddenByConnection)");
  });

  it("asks for the reader role on an RBAC 403", async () => {
    vault.failFrom(0, { status: 403, code: "Forbidden", inner: "ForbiddenByRbac", message: "Caller is not authorized to perform action on resource." });
    const run = await runAgainst(vault, ["list", "--vault-url", VAULT], { now });
    expect(run.err).toContain('needs the "Key Vault Reader (or Key Vault Secrets Officer)" role on vault kv-mcp-dev-abc123');
  });

  it.each([
    [["list"], /--vault-url is required/],
    [["list", "--vault-url", VAULT, "--within-days", "soon"], /--within-days "soon" must be a whole number/],
    [["list", "--vault-url", VAULT, "--expect", "x"], /--expect belongs to `secrets check`/],
    [["check", "--vault-url", VAULT, "--expect", "bad_name"], /--expect "bad_name" is not a Key Vault secret name/],
    [["rotate"], /unknown subcommand "rotate"/],
    [[], /usage: hardened-mcp secrets <seed\|list\|check>/],
  ])("usage error %j exits 2", async (argv, message) => {
    const run = await runAgainst(vault, argv, { now });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.connected).toEqual([]);
  });

  it.each([["list"], ["check"], []])("answers --help for %j", async (...sub) => {
    const run = await runAgainst(vault, [...sub, "--help"], { now });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^usage: hardened-mcp secrets/);
  });
});
