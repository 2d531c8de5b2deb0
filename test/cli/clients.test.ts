/**
 * `hardened-mcp clients`: what it prints from a stack's outputs and config file, and how it fails.
 * The printed mcp-remote and VS Code configurations are run through the gateway in test/e2e/discovery.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/main";

const APP = "2b8e3c4d-1111-4c2a-9e55-3c1f0d6a7b01";
const CLI = "5c6d7e8f-3333-4b1a-8c2d-9e0f1a2b3c03";

const outputs = (applicationIdUri: string, mcpUrl: string): string =>
  JSON.stringify({ gatewayUrl: "https://x", servers: { weather: { mcpUrl, prmUrl: "p", entraClientId: APP, applicationIdUri, backendUrl: "b", identityPrincipalId: "i" } } });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "clients-verb-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: hardened-mcp\nruntime: nodejs\n");
  fs.writeFileSync(
    path.join(dir, "Pulumi.prod.yaml"),
    [
      "config:",
      "  hardened-mcp:tenantId: 7a1c0c5e-5d3f-4f57-9d7e-0c2b2f1e9a10",
      "  hardened-mcp:entra:",
      "    preAuthorizedClientIds: [aebc6443-996d-45c2-90f0-388ff96faa56]",
      `    allowedClientAppIds: [${CLI}]`,
      "  hardened-mcp:servers:",
      "    - name: weather",
      "      tools:",
      "        - { name: get_forecast, roles: [Forecast.Read] }",
      "        - { name: delete_all, roles: [Tools.Admin] }",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "custom.json"), outputs("https://mcp.contoso.com/weather/mcp", "https://mcp.contoso.com/weather/mcp"));
  fs.writeFileSync(path.join(dir, "default.json"), outputs(`api://${APP}`, "https://apim-mcp.azure-api.net/weather/mcp"));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  try {
    const code = await main(["clients", ...argv]);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The first fenced-free JSON block following a heading. */
function jsonAfter(text: string, heading: string): Record<string, unknown> {
  const start = text.indexOf("{", text.indexOf(heading));
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "{") depth++;
    if (text[i] === "}" && --depth === 0) return JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>;
  }
  throw new Error(`no JSON after ${heading}`);
}

describe("hardened-mcp clients", () => {
  it("prints a VS Code mcp.json, the Claude Code command, an mcp-remote block and a daemon example for a custom domain", async () => {
    const r = await run("--stack", "prod", "--dir", dir, "--outputs", path.join(dir, "custom.json"), "--client-id", CLI);
    expect(r.code).toBe(0);
    expect(jsonAfter(r.out, "### Visual Studio Code")).toEqual({ servers: { weather: { type: "http", url: "https://mcp.contoso.com/weather/mcp" } } });
    expect(r.out).toContain(`claude mcp add --transport http --client-id ${CLI} --callback-port 3334 weather https://mcp.contoso.com/weather/mcp`);
    const remote = jsonAfter(r.out, "### mcp-remote") as { mcpServers: { weather: { command: string; args: string[] } } };
    expect(remote.mcpServers.weather).toEqual({
      command: "npx",
      args: ["-y", "mcp-remote", "https://mcp.contoso.com/weather/mcp", "3334", "--static-oauth-client-info", `{"client_id":"${CLI}"}`],
    });
    expect(r.out).toContain('const scope = "https://mcp.contoso.com/weather/mcp/.default";');
    expect(r.out).toContain("roles: mcp.user, Forecast.Read, Tools.Admin");
    expect(r.out).toContain("VS Code is pre-authorized for the scope");
    expect(r.out).not.toContain("AADSTS9010010): use mcp-remote");
    expect(r.out).not.toContain("not on the gateway's client allowlist");
  });

  it("without a custom domain: mcp-remote omits the resource parameter and Claude Code is flagged with the fix", async () => {
    const r = await run("--stack", "prod", "--dir", dir, "--outputs", path.join(dir, "default.json"), "--client-id", CLI);
    expect(r.code).toBe(0);
    const remote = jsonAfter(r.out, "### mcp-remote") as { mcpServers: { weather: { args: string[] } } };
    expect(remote.mcpServers.weather.args.at(-1)).toBe("--disable-resource-parameter");
    expect(r.out).toContain("Claude Code sends the resource parameter, which Entra refuses without a custom domain (AADSTS9010010)");
    expect(r.out).toContain("Fix: publish the gateway on a custom domain (gateway.customDomain)");
    expect(r.out).toContain(`const scope = "api://${APP}/.default";`);
  });

  it("says per server whether the gateway publishes authorization server metadata, and how to turn it on", async () => {
    const off = await run("--stack", "prod", "--dir", dir, "--outputs", path.join(dir, "custom.json"));
    expect(off.out).toContain("Authorization server metadata: Entra's own, which omits code_challenge_methods_supported");
    expect(off.out).toContain("Fix: set servers[].serveAuthServerMetadata: true");
    fs.writeFileSync(
      path.join(dir, "Pulumi.asm.yaml"),
      ["config:", "  hardened-mcp:servers:", "    - name: weather", "      serveAuthServerMetadata: true", "      tools: [{ name: get_forecast, roles: [Forecast.Read] }]", ""].join("\n"),
    );
    const on = await run("--stack", "asm", "--dir", dir, "--outputs", path.join(dir, "custom.json"));
    expect(on.out).toContain("Authorization server metadata: published by the gateway (Entra's endpoints, S256 declared)");
    expect(on.out).not.toContain("Fix: set servers[].serveAuthServerMetadata: true");
  });

  it("warns when a client id is not on the gateway's allowlist", async () => {
    const other = "9f9f9f9f-0000-4000-8000-000000000009";
    const r = await run("--stack", "prod", "--dir", dir, "--outputs", path.join(dir, "custom.json"), "--client-id", other);
    expect(r.out).toContain(`Client ${other} is not on the gateway's client allowlist: add it to entra.allowedClientAppIds`);
  });

  it("reads the outputs from stdin with --outputs -", async () => {
    const { runClientsCommand } = await import("../../cli/clients");
    const out: string[] = [];
    const log = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    try {
      const code = await runClientsCommand(["--stack", "prod", "--dir", dir, "--outputs", "-"], () => fs.readFileSync(path.join(dir, "custom.json"), "utf8"));
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(out.join("\n")).toContain("claude mcp add --transport http --client-id <cli-client-id>");
  });

  it("answers --help with the usage and exit 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("usage: hardened-mcp clients --stack <name> --outputs <file|->");
  });

  it.each([
    [["--stack", "prod"], "--stack and --outputs are required"],
    [["--stack", "prod", "--outputs", "/nonexistent/out.json"], "/nonexistent/out.json"],
    [["--stack", "prod", "--outputs", "PLACEHOLDER_BAD"], "the outputs are not JSON"],
    [["--stack", "prod", "--outputs", "PLACEHOLDER_CUSTOM", "--client-id", "claude"], '--client-id "claude" is not an application (client) id'],
    [["--stack", "prod", "--outputs", "PLACEHOLDER_CUSTOM", "--server", "payroll"], '--server "payroll" is not in the outputs (servers: weather)'],
    [["--stack", "prod", "--outputs", "PLACEHOLDER_CUSTOM", "--callback-port", "80"], "must be a port number from 1024 to 65535"],
  ])("exits 2 on bad usage or input: %j", async (argv, message) => {
    fs.writeFileSync(path.join(dir, "bad.json"), "{ not json");
    const args = argv.map((a) => (a === "PLACEHOLDER_BAD" ? path.join(dir, "bad.json") : a === "PLACEHOLDER_CUSTOM" ? path.join(dir, "custom.json") : a));
    const r = await run(...args, "--dir", dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("notes a missing stack file and still prints the configurations", async () => {
    const r = await run("--stack", "staging", "--dir", dir, "--outputs", path.join(dir, "custom.json"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("Pulumi.staging.yaml not found");
    expect(r.out).toContain("Tenant, allowlist and role checks are skipped.");
    expect(r.out).toContain("### Claude Code");
  });
});
