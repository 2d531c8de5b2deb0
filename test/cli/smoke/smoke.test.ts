import { runSmoke } from "../../../cli/smoke";
import { Break, FakeGateway, GOOD_TOKEN, SERVER, startFakeGateway } from "./fakeGateway";

let gateway: FakeGateway;
beforeAll(async () => {
  gateway = await startFakeGateway();
});
beforeEach(() => {
  gateway.breaks.clear();
  gateway.tokens.length = 0;
});
afterAll(async () => {
  await gateway.close();
});

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly scopes: string[];
}

async function smoke(argv: string[], options: { noCredential?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const scopes: string[] = [];
  const code = await runSmoke(argv, {
    env: options.env ?? {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tokens: async (scope) => {
      scopes.push(scope);
      if (options.noCredential) throw new Error("DefaultAzureCredential failed to retrieve a token from the included credentials.\nmore");
      return `token-for:${scope}`;
    },
  });
  return { code, out: out.join("\n"), err: err.join("\n"), scopes };
}

const args = () => ["--gateway-url", gateway.url, "--server", SERVER, "--call", "search_issues", "--arguments", '{"query":"status"}'];

describe("hardened-mcp smoke against a local gateway", () => {
  it("passes every check against a gateway that does its job, through the MCP SDK client", async () => {
    const run = await smoke(args());
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.scopes).toEqual(["api://mcp-github-tools/.default", "https://management.azure.com/.default"]);
    expect(gateway.tokens).toContain(GOOD_TOKEN);
    expect(gateway.tokens).toContain("token-for:https://management.azure.com/.default");
    const lines = run.out.split("\n");
    expect(lines[0]).toBe(`hardened-mcp smoke: ${gateway.url}/${SERVER}/mcp`);
    for (const step of [
      "anonymous call challenged",
      "protected-resource metadata",
      "token in the URL refused",
      "foreign browser origin refused",
      "token for another audience refused",
      "session opened",
      "tools listed",
      "tool search_issues called",
    ]) {
      expect(lines.some((l) => l.startsWith(`  ok    ${step}`))).toBe(true);
    }
    expect(run.out).toContain("2 tools: search_issues, failing_tool.");
    expect(run.out).toContain("8 of 8 checks passed.");
  });

  it.each<[Break, string, string, number?]>([
    ["challenge-open", "anonymous call challenged", "anyone can use this server"],
    ["challenge-no-metadata", "anonymous call challenged", "MCP clients cannot discover where to sign in"],
    ["metadata-missing", "protected-resource metadata", "got 404, so there is no API at this path"],
    ["metadata-cookie-bearer", "protected-resource metadata", 'bearer_methods_supported must be ["header"]'],
    ["query-token-accepted", "token in the URL refused", "Tokens in URLs leak into logs"],
    ["origin-ignored", "foreign browser origin refused", "the Origin is not checked before authentication"],
    ["audience-ignored", "token for another audience refused", "the gateway does not check the audience"],
    ["no-tools", "tools listed", "tools/list answered with no tools", 2],
    ["call-refused", "tool search_issues called", "tools/call was refused"],
  ])("fails when the gateway breaks %s, saying what it means", async (broken, step, meaning, failures = 1) => {
    gateway.breaks.add(broken);
    const run = await smoke(args());
    expect(run.code).toBe(1);
    const line = run.out.split("\n").find((l) => l.startsWith(`  FAIL  ${step}`));
    expect(line).toContain(meaning);
    expect(run.out).toMatch(new RegExp(`checks passed, ${failures} failed`));
  });

  it("fails the call check, without calling, when the tool is not listed", async () => {
    const run = await smoke(["--gateway-url", gateway.url, "--server", SERVER, "--call", "delete_repo"]);
    expect(run.code).toBe(1);
    expect(run.out).toContain("delete_repo is not in tools/list");
  });

  it("fails the call check when the tool answers with an error", async () => {
    const run = await smoke(["--gateway-url", gateway.url, "--server", SERVER, "--call", "failing_tool"]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/FAIL {2}tool failing_tool called +the gateway let the call through but the tool answered with an error/);
  });

  it("without a credential, runs the anonymous checks, says why it stopped and exits 2", async () => {
    const run = await smoke(args(), { noCredential: true });
    expect(run.code).toBe(2);
    expect(run.out).toContain("4 of 4 checks passed.");
    expect(run.out).toContain("cannot run the signed-in checks: no token (DefaultAzureCredential failed to retrieve a token from the included credentials.). Sign in");
  });

  it("reports an unreachable gateway as failed checks (exit 1), not a crash", async () => {
    const run = await smoke(["--gateway-url", "http://127.0.0.1:9", "--server", SERVER, "--no-call"], { noCredential: true });
    expect(run.out).toMatch(/FAIL {2}anonymous call challenged +no answer from the gateway/);
    expect(run.code).toBe(1);
  });

  it("takes the target from the environment, the scope from --scope, and says when the call is skipped", async () => {
    const run = await smoke(["--no-call", "--scope", "api://mcp-github-tools/.default", "--json"], {
      env: { HARDENED_MCP_GATEWAY_URL: gateway.url, HARDENED_MCP_SERVER: SERVER },
    });
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.out) as { results: { step: string; outcome: string }[] };
    expect(parsed.results.at(-1)).toEqual({ step: "tool called", outcome: "not run", detail: "skipped with --no-call." });
    expect(parsed.results.filter((r) => r.outcome === "pass")).toHaveLength(7);
  });

  it.each([
    [[], /--gateway-url is required.*\n.*--server is required.*\n.*name a tool the signed-in identity may call/],
    [["--gateway-url", "http://apim.azure-api.net", "--server", SERVER, "--no-call"], /must use https \(plain http is accepted only for 127\.0\.0\.1\/localhost\)/],
    [["--gateway-url", "https://apim.azure-api.net", "--server", "GitHub", "--no-call"], /--server "GitHub" is not a valid MCP server name/],
    [["--gateway-url", "https://apim.azure-api.net", "--server", SERVER, "--call", "x", "--arguments", "[1]"], /--arguments must be a JSON object/],
    [["--gateway-url", "https://apim.azure-api.net", "--server", SERVER, "--call", "x", "--no-call"], /exclude each other/],
    [["--gateway-url", "https://apim.azure-api.net", "--server", SERVER, "--no-call", "--cloud", "germany"], /--cloud "germany" is not one of public, china, usgovernment/],
    [["--token", "x"], /Unknown option '--token'/],
  ])("usage error %j exits 2 before any request", async (argv, message) => {
    const run = await smoke(argv);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.scopes).toEqual([]);
  });

  it("signs in at the gateway's cloud: a US Government gateway gets a US Government ARM token for the audience check", async () => {
    // The gateway host decides the cloud; nothing answers there, so only the scopes requested are checked.
    const run = await smoke(["--gateway-url", "https://127.0.0.1:9", "--server", SERVER, "--no-call", "--cloud", "usgovernment", "--scope", "api://x/.default"]);
    expect(run.scopes).toEqual(["api://x/.default", "https://management.usgovcloudapi.net/.default"]);
  });

  it("answers --help with exit 0", async () => {
    const run = await smoke(["--help"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^usage: hardened-mcp smoke --gateway-url <url> --server <name>/);
  });
});
