/**
 * The official MCP SDK client and server through the emulated gateway (the kit's generated policy documents,
 * C# under mono), authorized by the Entra stand-in: every legitimate flow passes for each protocol version
 * the SDK and the kit both speak; the refusals are the gateway's, and the backend never sees them.
 */
import { type Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPError, type StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { INJECTION } from "./injection";
import { PublicClientProvider, connect, sdkClient, type Connected } from "./oauthClients";
import { compileStacks, DAEMON_CLIENT, E2E_VARIANTS, DAEMON_SECRET, SIBLING_APP, startStack, TENANT, URLS, USERS, VSCODE_CLIENT, VSCODE_REDIRECT, type Stack } from "./stack";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(compileStacks(Object.values(E2E_VARIANTS)), E2E_VARIANTS.custom);
});

afterAll(async () => {
  await stack?.close();
});

/** A transport that asks for `version` at initialize (the SDK asks for its latest), as an older client would. */
function pinVersion(version: string): (t: StreamableHTTPClientTransport) => StreamableHTTPClientTransport {
  return (t) => {
    const send = t.send.bind(t);
    t.send = (message: JSONRPCMessage | JSONRPCMessage[], options) => {
      const m = message as { method?: string; params?: Record<string, unknown> };
      if (m.method === "initialize" && m.params) return send({ ...(message as JSONRPCMessage), params: { ...m.params, protocolVersion: version } } as JSONRPCMessage, options);
      return send(message, options);
    };
    return t;
  };
}

interface Session extends Connected {
  provider: PublicClientProvider;
}

/** VS Code-like: pre-authorized public client, PKCE, no `resource` parameter; with sampling, elicitation and roots. */
async function vscodeAs(user: keyof typeof USERS, version?: string, makeClient: () => Client = richClient): Promise<Session> {
  stack.entra.signIn(USERS[user].oid);
  const provider = new PublicClientProvider({ clientId: VSCODE_CLIENT, redirectUrl: VSCODE_REDIRECT, sendResource: false, fetch: stack.fetch });
  const c = await connect(URLS.mcpUrl, provider, stack.fetch, makeClient, version ? pinVersion(version) : undefined);
  return { ...c, provider };
}

function richClient(): Client {
  const client = sdkClient({ sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { city: "Paris" } }));
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: "assistant", content: { type: "text", text: "Mild and dry." }, model: "e2e-model" }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: "file:///home/alice/project", name: "project" }] }));
  return client;
}

/** A request straight through the gateway (what a hijacker or a confused client would send). */
async function rawPost(token: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return stack.fetch(URLS.mcpUrl, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25", ...headers },
    body: JSON.stringify(body),
  });
}

const backendSawTool = (name: string): boolean => stack.backend.events.some((e) => e.kind === "http" && (e.detail as { params?: { name?: string } } | undefined)?.params?.name === name);

describe("discovery, initialize and tools/list", () => {
  it("follows 401 -> PRM -> Entra metadata -> authorize (PKCE, no resource) -> token, then initializes and lists tools", async () => {
    const start = stack.log.length;
    const { client, transport } = await vscodeAs("alice");
    expect(stack.log.slice(start, start + 5)).toEqual([
      `POST ${URLS.mcpUrl}`,
      `GET ${URLS.prmUrl}`,
      `GET https://login.microsoftonline.com/.well-known/oauth-authorization-server/${TENANT}/v2.0`,
      `GET https://login.microsoftonline.com/.well-known/openid-configuration/${TENANT}/v2.0`,
      `GET https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    ]);
    const authorize = stack.entra.requests.filter((r) => r.endpoint === "authorize").at(-1)!.params;
    expect(authorize).toMatchObject({ client_id: VSCODE_CLIENT, code_challenge_method: "S256", scope: `${URLS.resource}/mcp.invoke` });
    expect(authorize.resource).toBeUndefined();
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["ask_user", "delete_all", "get_forecast", "summarize", "wait_for_cancel"]));
    await client.close();
  });

  it("tools/list shows only the tools the gateway approved", async () => {
    const { client } = await vscodeAs("alice");
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    await client.close();
    expect(tools).toEqual(["ask_inline", "ask_user", "delete_all", "fetch_page", "get_forecast", "summarize", "wait_for_cancel"]);
  });

  it("never passes the user's token to the backend: it gets the gateway's managed-identity token and the caller's identity headers", async () => {
    const { client, provider } = await vscodeAs("alice");
    await client.callTool({ name: "get_forecast", arguments: { city: "Oslo" } });
    const seen = stack.backend.events.filter((e) => e.kind === "http" && e.method === "POST").at(-1)!.headers!;
    const userToken = provider.tokens()!.access_token;
    expect(JSON.stringify(seen)).not.toContain(userToken);
    const mi = JSON.parse(Buffer.from(String(seen.authorization).split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(mi.aud).toBe("api://weather-backend");
    expect(seen["x-mcp-caller-oid"]).toBe(USERS.alice.oid);
    expect(seen["x-mcp-caller-tenant"]).toBe(TENANT);
    expect(seen["x-mcp-client-app"]).toBe(VSCODE_CLIENT);
    await client.close();
  });
});

describe.each(["2025-11-25", "2025-06-18"])("protocol %s: legitimate flows pass", (version) => {
  let s: Session;
  beforeAll(async () => {
    s = await vscodeAs("alice", version);
  });
  afterAll(async () => {
    await s.client.close();
  });

  it("negotiates the version and sends it on every later request", async () => {
    expect(s.transport.protocolVersion).toBe(version);
    await s.client.ping();
    const last = stack.backend.events.filter((e) => e.kind === "http").at(-1)!;
    expect(last.headers!["mcp-protocol-version"]).toBe(version);
  });

  it("calls an approved tool and gets its progress notifications", async () => {
    const progress: number[] = [];
    const r = await s.client.callTool({ name: "get_forecast", arguments: { city: "Oslo" } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(r.content).toEqual([{ type: "text", text: "Sunny in Oslo" }]);
    expect(progress).toEqual([1, 2, 3]);
  });

  it("cancels a running call: notifications/cancelled reaches the server", async () => {
    // The call's answer is buffered for result screening, so its progress cannot be the cue: cancel once it runs.
    const mark = stack.backend.events.length;
    const abort = new AbortController();
    const call = s.client.callTool({ name: "wait_for_cancel", arguments: {} }, undefined, { signal: abort.signal });
    await stack.backend.waitFor((e) => e.kind === "tool" && (e.detail as { name?: string }).name === "wait_for_cancel", mark);
    abort.abort("user pressed stop");
    await expect(call).rejects.toThrow();
    await stack.backend.waitFor((e) => e.kind === "cancelled", mark);
  });

  it("answers the server's elicitation request during a screened tool call (the request travels on the GET stream)", async () => {
    const r = await s.client.callTool({ name: "ask_user", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "accept:Paris" }]);
  });

  it("answers the server's sampling request during a screened tool call (the request travels on the GET stream)", async () => {
    const r = await s.client.callTool({ name: "summarize", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "Mild and dry." }]);
  });

  it("roots/list_changed reaches the server, which then lists the client's roots", async () => {
    const mark = stack.backend.events.length;
    await s.client.sendRootsListChanged();
    const e = await stack.backend.waitFor((x) => x.kind === "roots", mark);
    expect(e.detail).toEqual(["file:///home/alice/project"]);
  });
});

describe("result screening, on by default (resultScreening: block)", () => {
  let s: Session;
  beforeAll(async () => {
    s = await vscodeAs("alice");
  });
  afterAll(async () => {
    stack.shields.unavailableFor = undefined;
    await s.client.close();
  });

  it("screens a tool result with Prompt Shields before the client gets it", async () => {
    const mark = stack.shields.calls.length;
    const r = await s.client.callTool({ name: "fetch_page", arguments: { url: "https://example.com/notes" } });
    expect(r.content).toEqual([{ type: "text", text: "Release notes: bug fixes." }]);
    expect(stack.shields.calls.slice(mark).some((c) => (c.documents ?? []).some((d) => d.includes("Release notes: bug fixes.")))).toBe(true);
  });

  it("replaces a flagged result with a JSON-RPC error: the injected text never reaches the client", async () => {
    const mark = stack.backend.events.length;
    const e = await s.client.callTool({ name: "fetch_page", arguments: { url: "https://example.com/poisoned" } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(McpError);
    expect((e as McpError).code).toBe(-32030);
    expect((e as McpError).message).toContain("Tool result blocked by content safety.");
    expect(JSON.stringify(e)).not.toContain(INJECTION);
    // The server did run the tool: it is its answer the gateway stopped.
    expect(stack.backend.events.slice(mark).some((x) => x.kind === "http" && (x.detail as { params?: { name?: string } } | undefined)?.params?.name === "fetch_page")).toBe(true);
  });

  it("fails closed when Prompt Shields cannot screen the result", async () => {
    stack.shields.unavailableFor = "Release notes";
    const e = await s.client.callTool({ name: "fetch_page", arguments: { url: "https://example.com/notes" } }).catch((x: unknown) => x);
    stack.shields.unavailableFor = undefined;
    expect(e).toBeInstanceOf(McpError);
    expect((e as McpError).code).toBe(-32030);
    expect((e as McpError).message).toContain("Tool result could not be screened; try again later.");
  });

  it("answers a server request sent inside the screened call's own stream with an error that names the fix", async () => {
    const elicited: unknown[] = [];
    s.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      elicited.push(req);
      return { action: "accept", content: { city: "Paris" } };
    });
    const e = await s.client.callTool({ name: "ask_inline", arguments: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(McpError);
    expect((e as McpError).code).toBe(-32603);
    expect((e as McpError).message).toContain("inside this tool call's stream");
    expect((e as McpError).message).toContain("GET stream");
    // The request the client could no longer answer in time is not delivered late.
    expect(elicited).toEqual([]);
  });
});

describe("refusals are the gateway's", () => {
  let alice: Session;
  beforeAll(async () => {
    alice = await vscodeAs("alice");
  });
  afterAll(async () => {
    await alice.client.close();
  });

  it("refuses a tool the gateway has not approved, before the backend", async () => {
    const e = await alice.client.callTool({ name: "hidden_tool", arguments: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StreamableHTTPError);
    expect((e as StreamableHTTPError).code).toBe(403);
    expect((e as Error).message).toContain(`{"jsonrpc":"2.0","id":null,"error":{"code":-32003,"message":"Tool not permitted."}}`);
    expect(backendSawTool("hidden_tool")).toBe(false);
  });

  it("refuses a tool that needs a role the caller lacks with a plain 403 (no sign-in loop), and lets a caller holding it through", async () => {
    // Roles are assignments, not scopes a client can request: no insufficient_scope challenge, so the SDK does
    // not try to step up (it would sign in again and again); it surfaces the JSON-RPC error.
    const authorizeBefore = stack.entra.requests.filter((r) => r.endpoint === "authorize").length;
    const e = await alice.client.callTool({ name: "delete_all", arguments: {} }).catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(UnauthorizedError);
    expect(e).toBeInstanceOf(StreamableHTTPError);
    expect((e as StreamableHTTPError).code).toBe(403);
    expect((e as Error).message).toContain(`"error":{"code":-32003,"message":"This tool needs an app role assignment the caller does not have."}`);
    expect(stack.entra.requests.filter((r) => r.endpoint === "authorize")).toHaveLength(authorizeBefore);
    expect(backendSawTool("delete_all")).toBe(false);
    // The session still works: the client was not sent round a new sign-in.
    expect((await alice.client.callTool({ name: "get_forecast", arguments: { city: "Rome" } })).content).toEqual([{ type: "text", text: "Sunny in Rome" }]);
    const root = await vscodeAs("root");
    const r = await root.client.callTool({ name: "delete_all", arguments: {} });
    expect(r.content).toEqual([{ type: "text", text: "deleted" }]);
    await root.client.close();
  });

  it("answers 404 to a second user presenting the first user's session id", async () => {
    const bob = await vscodeAs("bob");
    const r = await rawPost(bob.provider.tokens()!.access_token, { jsonrpc: "2.0", id: 7, method: "tools/list" }, { "Mcp-Session-Id": alice.transport.sessionId! });
    expect(r.status).toBe(404);
    await bob.client.close();
  });

  it("answers 401 invalid_token to a token issued for another server of the tenant", async () => {
    const t = await stack.fetch(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: DAEMON_CLIENT, client_secret: DAEMON_SECRET, scope: `api://${SIBLING_APP}/.default` }),
    });
    expect(t.status).toBe(200);
    const token = ((await t.json()) as { access_token: string }).access_token;
    const r = await rawPost(token, { jsonrpc: "2.0", id: 1, method: "tools/list" }, { "Mcp-Session-Id": alice.transport.sessionId! });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
  });
});

describe("the GET stream and the end of a session", () => {
  it("delivers server notifications on the GET stream and resumes it with Last-Event-ID after a dropped connection", async () => {
    const s = await vscodeAs("alice", undefined, () => sdkClient());
    const received: string[] = [];
    const waiters: (() => void)[] = [];
    s.client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => {
      received.push(String(n.params.data));
      waiters.splice(0).forEach((w) => w());
    });
    const until = async (n: number): Promise<void> => {
      while (received.length < n) await new Promise<void>((r) => waiters.push(r));
    };
    const sid = s.transport.sessionId!;
    await stack.backend.waitFor((e) => e.kind === "http" && e.method === "GET" && e.headers!["mcp-session-id"] === sid, 0);
    await stack.backend.notify(sid, "one");
    await until(1);
    stack.front.dropStreams();
    await stack.backend.notify(sid, "two");
    await until(2);
    expect(received).toEqual(["one", "two"]);
    const resumed = stack.backend.events.filter((e) => e.kind === "http" && e.method === "GET" && e.headers!["mcp-session-id"] === sid).at(-1)!;
    expect(resumed.headers!["last-event-id"]).toMatch(/^_GET_stream_\d+$/);
    await s.client.close();
  });

  it("ends the session with DELETE: the server forgets it and the gateway answers 404 afterwards", async () => {
    const s = await vscodeAs("alice");
    const sid = s.transport.sessionId!;
    const token = s.provider.tokens()!.access_token;
    await s.transport.terminateSession();
    expect(stack.backend.events.some((e) => e.kind === "http" && e.method === "DELETE" && e.headers!["mcp-session-id"] === sid)).toBe(true);
    expect(stack.backend.sessionIds()).not.toContain(sid);
    const r = await rawPost(token, { jsonrpc: "2.0", id: 2, method: "tools/list" }, { "Mcp-Session-Id": sid });
    expect(r.status).toBe(404);
    await s.client.close();
  });
});
