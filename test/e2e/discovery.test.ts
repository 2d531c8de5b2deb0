/**
 * Each client configuration the kit supports (docs/clients.md), run through the emulated gateway with the
 * discovery steps the client itself takes: 401 -> WWW-Authenticate resource_metadata -> Protected Resource
 * Metadata -> authorization server metadata -> authorize (PKCE) or client credentials -> token -> MCP.
 * With and without a custom domain, and with the gateway's own authorization server metadata for clients that
 * follow the 2025-11-25 PKCE rule to the letter.
 */
import { discoverAuthorizationServerMetadata } from "@modelcontextprotocol/sdk/client/auth.js";
import { mcpRemoteArgs, renderClientConfigs } from "../../cli/clients";
import { DaemonProvider, PublicClientProvider, connect, sdkClient } from "./oauthClients";
import type { Fetch } from "./network";
import {
  CLI_CLIENT,
  CLI_REDIRECT,
  compileStacks,
  DAEMON_CLIENT,
  E2E_VARIANTS,
  DAEMON_SECRET,
  SERVER_APP,
  startStack,
  TENANT,
  URLS,
  USERS,
  VSCODE_CLIENT,
  VSCODE_REDIRECT,
  type Stack,
} from "./stack";

const stacks: Record<string, Stack> = {};

beforeAll(async () => {
  const pool = compileStacks(Object.values(E2E_VARIANTS));
  for (const [k, v] of Object.entries(E2E_VARIANTS)) stacks[k] = await startStack(pool, v);
});

afterAll(async () => {
  for (const s of Object.values(stacks)) await s.close();
});

const ENTRA = `https://login.microsoftonline.com/${TENANT}`;

/** What an interactive client requested on the network, from the first MCP POST to the token. */
function discoverySteps(stack: Stack, from: number): string[] {
  return stack.log.slice(from).map((l) => l.replace(/\?.*$/, ""));
}

async function interactive(stack: Stack, o: { clientId: string; redirectUrl: string; sendResource: boolean; url?: string }): Promise<{ provider: PublicClientProvider; tools: string[] }> {
  stack.entra.signIn(USERS.alice.oid);
  const provider = new PublicClientProvider({ clientId: o.clientId, redirectUrl: o.redirectUrl, sendResource: o.sendResource, fetch: stack.fetch });
  const { client } = await connect(o.url ?? URLS.mcpUrl, provider, stack.fetch, () => sdkClient());
  const tools = (await client.listTools()).tools.map((t) => t.name);
  await client.close();
  return { provider, tools };
}

const lastRequest = (stack: Stack, endpoint: "authorize" | "token"): Record<string, string> => stack.entra.requests.filter((r) => r.endpoint === endpoint).at(-1)!.params;

/**
 * What `hardened-mcp clients` prints for this stack's server (its outputs as `pulumi stack output --json` has them,
 * the e2e tenant's client lists), read back the way a user pastes it: the VS Code mcp.json, the Claude Code command
 * and the daemon's scope and URL.
 */
function printed(stack: Stack): { text: string; vscodeUrl: string; claude: { clientId: string; port: number; url: string }; daemon: { scope: string; url: string } } {
  const server = { mcpUrl: URLS.mcpUrl, entraClientId: SERVER_APP, applicationIdUri: stack.applicationIdUri };
  const facts = { tenantId: TENANT, preAuthorizedClientIds: [VSCODE_CLIENT], allowedClientAppIds: [CLI_CLIENT, DAEMON_CLIENT], toolRoles: { weather: ["Forecast.Read", "Tools.Admin"] } };
  const text = renderClientConfigs({ weather: server }, facts, { clientId: CLI_CLIENT, daemonClientId: DAEMON_CLIENT, callbackPort: 3334 });
  const vscode = /### Visual Studio Code \(\.vscode\/mcp\.json\)\n\n(\{[\s\S]*?\n\})\n/.exec(text)![1]!;
  const claude = /^claude mcp add --transport http --client-id (\S+) --callback-port (\d+) weather (\S+)$/m.exec(text)!;
  const daemonUrl = /new URL\(\n\s+"([^"]+)"\)/.exec(text)![1]!;
  return {
    text,
    vscodeUrl: (JSON.parse(vscode) as { servers: { weather: { type: string; url: string } } }).servers.weather.url,
    claude: { clientId: claude[1]!, port: Number(claude[2]), url: claude[3]! },
    daemon: { scope: /const scope = "([^"]+)"/.exec(text)![1]!, url: daemonUrl },
  };
}

describe.each([
  ["with a custom domain", "custom"],
  ["without a custom domain", "noCustom"],
])("%s", (_label, key) => {
  const stack = (): Stack => stacks[key]!;

  it("a pre-authorized public client (VS Code-like, no resource parameter) with the printed mcp.json discovers Entra through the PRM and connects", async () => {
    const s = stack();
    const from = s.log.length;
    const { vscodeUrl } = printed(s);
    const { tools } = await interactive(s, { clientId: VSCODE_CLIENT, redirectUrl: VSCODE_REDIRECT, sendResource: false, url: vscodeUrl });
    expect(tools).toContain("get_forecast");
    const steps = discoverySteps(s, from);
    // Entra answers only the OIDC path-appended URI; the SDK tries the RFC 8414 forms first.
    expect(steps.slice(0, 6)).toEqual([
      `POST ${URLS.mcpUrl}`,
      `GET ${URLS.prmUrl}`,
      `GET https://login.microsoftonline.com/.well-known/oauth-authorization-server/${TENANT}/v2.0`,
      `GET https://login.microsoftonline.com/.well-known/openid-configuration/${TENANT}/v2.0`,
      `GET ${ENTRA}/v2.0/.well-known/openid-configuration`,
      `GET ${ENTRA}/oauth2/v2.0/authorize`,
    ]);
    // After the redirect the SDK discovers again (it keeps no discovery state here), then redeems the code.
    expect(steps.indexOf(`POST ${ENTRA}/oauth2/v2.0/token`)).toBeGreaterThan(5);
    expect(lastRequest(s, "authorize").scope).toBe(`${s.applicationIdUri}/mcp.invoke`);
    expect(lastRequest(s, "token").resource).toBeUndefined();
  });

  it("mcp-remote with the flags `hardened-mcp clients` prints connects", async () => {
    const s = stack();
    const server = { mcpUrl: URLS.mcpUrl, entraClientId: SERVER_APP, applicationIdUri: s.applicationIdUri };
    const args = mcpRemoteArgs(server, CLI_CLIENT, 3334);
    const info = JSON.parse(args[args.indexOf("--static-oauth-client-info") + 1]!) as { client_id: string };
    // mcp-remote's redirect URI: http://localhost:<port argument>/oauth/callback (its README).
    const redirectUrl = `http://localhost:${args[3]}/oauth/callback`;
    expect(redirectUrl).toBe(CLI_REDIRECT);
    const { tools } = await interactive(s, { clientId: info.client_id, redirectUrl, sendResource: !args.includes("--disable-resource-parameter") });
    expect(tools).toContain("get_forecast");
    expect(lastRequest(s, "authorize").client_id).toBe(CLI_CLIENT);
    expect(lastRequest(s, "authorize").resource).toBe(key === "custom" ? URLS.resource : undefined);
  });

  it("a daemon with client credentials and the printed scope requests /.default, gets its app role and calls a tool", async () => {
    const s = stack();
    const { daemon } = printed(s);
    const provider = new DaemonProvider({ clientId: DAEMON_CLIENT, clientSecret: DAEMON_SECRET, scope: daemon.scope });
    const { client } = await connect(daemon.url, provider, s.fetch, () => sdkClient());
    const r = await client.callTool({ name: "get_forecast", arguments: { city: "Lima" } });
    expect(r.content).toEqual([{ type: "text", text: "Sunny in Lima" }]);
    expect(lastRequest(s, "token")).toMatchObject({ grant_type: "client_credentials", scope: `${s.applicationIdUri}/.default` });
    expect(lastRequest(s, "token").resource).toBeUndefined();
    const seen = s.backend.events.filter((e) => e.kind === "http").at(-1)!.headers!;
    expect(seen["x-mcp-client-app"]).toBe(DAEMON_CLIENT);
    expect(seen["x-mcp-caller-roles"]).toContain("Forecast.Read");
    await client.close();
  });
});

/** Claude Code's redirect for `--callback-port <port>`: http://localhost:<port>/callback (Claude Code MCP docs). */
const claudeRedirect = (port: number): string => `http://localhost:${port}/callback`;

describe("a client that sends the RFC 8707 resource parameter (the SDK's default, Claude Code)", () => {
  it("connects with a custom domain with the printed Claude Code command: the resource equals the application ID URI", async () => {
    const s = stacks.custom!;
    const { claude, text } = printed(s);
    expect(text).toContain("Custom domain: yes.");
    const { tools } = await interactive(s, { clientId: claude.clientId, redirectUrl: claudeRedirect(claude.port), sendResource: true, url: claude.url });
    expect(tools).toContain("get_forecast");
    expect(lastRequest(s, "authorize").resource).toBe(URLS.resource);
    expect(lastRequest(s, "token").resource).toBe(URLS.resource);
  });

  it("is refused by Entra without a custom domain (AADSTS9010010), before any token exists, as the printed warning says", async () => {
    const s = stacks.noCustom!;
    const { claude, text } = printed(s);
    expect(text).toContain("Claude Code sends the resource parameter, which Entra refuses without a custom domain (AADSTS9010010): use mcp-remote below");
    const tokensBefore = s.entra.requests.filter((r) => r.endpoint === "token").length;
    await expect(interactive(s, { clientId: claude.clientId, redirectUrl: claudeRedirect(claude.port), sendResource: true, url: claude.url })).rejects.toThrow(
      "authorization failed: invalid_target: AADSTS9010010: The resource parameter provided in the request doesn't match with the requested scopes.",
    );
    expect(lastRequest(s, "authorize").resource).toBe(URLS.resource);
    expect(s.entra.requests.filter((r) => r.endpoint === "token").length).toBe(tokensBefore);
  });
});

/**
 * The 2025-11-25 rule ("Authorization Server Metadata Discovery"): without `code_challenge_methods_supported`
 * (or without S256 in it) a client MUST refuse to proceed. The SDK (1.x) does not enforce it; clients that do
 * (claude.ai connectors, per anthropics/claude-ai-mcp#786) stop at Entra's metadata.
 */
async function strictMetadata(fetchFn: Fetch, prmUrl: string): Promise<{ issuer: string; authorization_endpoint: string }> {
  const prm = (await (await fetchFn(prmUrl)).json()) as { authorization_servers: string[] };
  const as = prm.authorization_servers[0]!;
  const metadata = await discoverAuthorizationServerMetadata(as, { fetchFn });
  if (!metadata) throw new Error(`no authorization server metadata for ${as}`);
  if (!metadata.code_challenge_methods_supported?.includes("S256")) throw new Error(`refusing to proceed: ${as} does not declare PKCE S256`);
  return metadata;
}

describe("a client that enforces the 2025-11-25 PKCE metadata rule", () => {
  it("stops at Entra's own metadata, which omits code_challenge_methods_supported", async () => {
    await expect(strictMetadata(stacks.custom!.fetch, URLS.prmUrl)).rejects.toThrow(`refusing to proceed: ${ENTRA}/v2.0 does not declare PKCE S256`);
  });

  it("proceeds with the gateway's authorization server metadata, which points at Entra's endpoints and declares S256", async () => {
    const s = stacks.gatewayAs!;
    const metadata = await strictMetadata(s.fetch, URLS.prmUrl);
    expect(metadata.issuer).toBe(URLS.resource);
    expect(metadata.authorization_endpoint).toBe(`${ENTRA}/oauth2/v2.0/authorize`);
  });

  it("the SDK client signs in at Entra through it, and no token request ever reaches the gateway", async () => {
    const s = stacks.gatewayAs!;
    const from = s.log.length;
    const { tools } = await interactive(s, { clientId: VSCODE_CLIENT, redirectUrl: VSCODE_REDIRECT, sendResource: false });
    expect(tools).toContain("get_forecast");
    const steps = discoverySteps(s, from);
    expect(steps.slice(0, 4)).toEqual([
      `POST ${URLS.mcpUrl}`,
      `GET ${URLS.prmUrl}`,
      "GET https://mcp.contoso.com/.well-known/oauth-authorization-server/weather/mcp",
      `GET ${ENTRA}/oauth2/v2.0/authorize`,
    ]);
    expect(steps.indexOf(`POST ${ENTRA}/oauth2/v2.0/token`)).toBeGreaterThan(3);
    expect(steps.filter((l) => l.includes("mcp.contoso.com") && /authorize|token/.test(l.replace(/oauth-authorization-server/, "")))).toEqual([]);
  });
});
