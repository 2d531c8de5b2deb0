/**
 * MCP 2026-07-28 through the emulated gateway, in its default configuration (Content Safety on, result screening
 * `block`): every flow the revision has for a tools server passes with no false block. The revision dropped
 * initialize, sessions, the GET stream and `notifications/cancelled` over HTTP, and moved sampling and elicitation
 * into results (MRTR), so its flows are: discovery and sign-in, server/discover, tools/list (filtered), approved
 * and refused tools/call, progress, cancellation by closing the stream, elicitation and sampling as input requests
 * (screened) answered by retrying the call, a flagged result, a token for another server.
 */
import { INJECTION } from "./injection";
import { listenHeaders, meta2026, rpc2026, signIn2026 } from "./client2026";
import { compileStacks, DAEMON_CLIENT, DAEMON_SECRET, E2E_VARIANTS, SIBLING_APP, startStack, TENANT, URLS, type Stack } from "./stack";

let stack: Stack;
let alice: string;

beforeAll(async () => {
  stack = await startStack(compileStacks(Object.values(E2E_VARIANTS)), E2E_VARIANTS.custom);
  alice = await signIn2026(stack, "alice");
});

afterAll(async () => {
  await stack?.close();
});

const sawTool = (name: string, from = 0): boolean => stack.backend.events.slice(from).some((e) => e.kind === "tool" && (e.detail as { name?: string }).name === name);

describe("protocol 2026-07-28: legitimate flows pass", () => {
  it("discovers authorization from the gateway's 401 (PRM, Entra, PKCE without resource) and calls server/discover", async () => {
    const authorize = stack.entra.requests.filter((r) => r.endpoint === "authorize").at(-1)!.params;
    expect(authorize.code_challenge_method).toBe("S256");
    expect(authorize.resource).toBeUndefined();
    const r = await rpc2026(stack, alice, "server/discover", {});
    expect(r.status).toBe(200);
    expect(r.response?.result).toMatchObject({ resultType: "complete", supportedVersions: ["2026-07-28"] });
    const seen = stack.backend.events.filter((e) => e.kind === "http").at(-1)!;
    expect(seen.headers!["mcp-protocol-version"]).toBe("2026-07-28");
    expect(seen.headers!["mcp-session-id"]).toBeUndefined();
  });

  it("lists only the approved tools", async () => {
    const r = await rpc2026(stack, alice, "tools/list", {});
    const names = ((r.response?.result?.tools ?? []) as { name: string }[]).map((t) => t.name).sort();
    expect(names).toEqual(["ask_user", "delete_all", "fetch_page", "get_forecast", "summarize", "wait_for_cancel"]);
  });

  it("calls an approved tool; its progress arrives with the screened result", async () => {
    const r = await rpc2026(stack, alice, "tools/call", { name: "get_forecast", arguments: { city: "Oslo" } }, { progressToken: "p1" });
    expect(r.messages.filter((m) => m.method === "notifications/progress").map((m) => (m.params as { progress: number }).progress)).toEqual([1, 2, 3]);
    expect(r.response?.result).toEqual({ resultType: "complete", content: [{ type: "text", text: "Sunny in Oslo" }] });
  });

  it("cancels a call by closing its stream", async () => {
    const mark = stack.backend.events.length;
    const abort = new AbortController();
    const call = rpc2026(stack, alice, "tools/call", { name: "wait_for_cancel", arguments: {} }, { signal: abort.signal });
    await stack.backend.waitFor((e) => e.kind === "tool" && (e.detail as { name?: string }).name === "wait_for_cancel", mark);
    abort.abort();
    await expect(call).rejects.toThrow();
    await stack.backend.waitFor((e) => e.kind === "cancelled", mark);
  });

  it.each([
    ["ask_user", "city", { action: "accept", content: { city: "Paris" } }, "accept:Paris", "Which city?"],
    ["summarize", "summary", { role: "assistant", content: { type: "text", text: "Mild and dry." }, model: "e2e-model" }, "Mild and dry.", "Summarize the forecast"],
  ])("%s: the server's input request comes back as a screened result, and the retry with the answer completes", async (name, key, answer, text, asked) => {
    const mark = stack.shields.calls.length;
    const first = await rpc2026(stack, alice, "tools/call", { name, arguments: {} });
    const result = first.response!.result!;
    expect(result.resultType).toBe("input_required");
    expect(JSON.stringify(result.inputRequests)).toContain(asked);
    // The input request (text for the user or the client's model) was screened like any result.
    expect(stack.shields.calls.slice(mark).some((c) => (c.documents ?? []).some((d) => d.includes(asked)))).toBe(true);
    const retry = await rpc2026(stack, alice, "tools/call", { name, arguments: {}, inputResponses: { [key]: answer }, requestState: result.requestState });
    expect(retry.response?.result).toEqual({ resultType: "complete", content: [{ type: "text", text }] });
  });


  it("opens a subscriptions/listen stream and receives its notifications as they come (never buffered)", async () => {
    const abort = new AbortController();
    const r = await stack.fetch(URLS.mcpUrl, {
      method: "POST",
      headers: listenHeaders(alice),
      body: JSON.stringify({ jsonrpc: "2.0", id: "listen-1", method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: meta2026() } }),
      signal: abort.signal,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/event-stream/);
    // The stream stays open: read events as they arrive, then hang up.
    const reader = r.body!.getReader();
    let text = "";
    while ((text.match(/\n\n/g) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const methods = text.split("\n\n").filter((e) => e.startsWith("data:")).map((e) => (JSON.parse(e.slice(5)) as { method: string }).method);
    expect(methods).toEqual(["notifications/subscriptions/acknowledged", "notifications/tools/list_changed"]);
  });
});

describe("protocol 2026-07-28: the gateway's refusals and screening", () => {
  it("refuses an unapproved tool before the backend", async () => {
    const mark = stack.backend.events.length;
    const r = await rpc2026(stack, alice, "tools/call", { name: "hidden_tool", arguments: {} });
    expect(r.status).toBe(403);
    expect(sawTool("hidden_tool", mark)).toBe(false);
  });

  it("refuses a role-gated tool with a plain 403 (no scope challenge)", async () => {
    const r = await rpc2026(stack, alice, "tools/call", { name: "delete_all", arguments: {} });
    expect(r.status).toBe(403);
    expect(r.headers.get("www-authenticate")).toBeNull();
    const root = await signIn2026(stack, "root");
    const ok = await rpc2026(stack, root, "tools/call", { name: "delete_all", arguments: {} });
    expect(ok.response?.result).toEqual({ resultType: "complete", content: [{ type: "text", text: "deleted" }] });
  });

  it("replaces a flagged result with a JSON-RPC error", async () => {
    const r = await rpc2026(stack, alice, "tools/call", { name: "fetch_page", arguments: { url: "https://example.com/poisoned" } });
    expect(r.response?.error).toEqual({ code: -32030, message: "Tool result blocked by content safety." });
    expect(JSON.stringify(r.messages)).not.toContain(INJECTION);
  });

  it("answers 401 invalid_token to a token issued for another server of the tenant", async () => {
    const t = await stack.fetch(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: DAEMON_CLIENT, client_secret: DAEMON_SECRET, scope: `api://${SIBLING_APP}/.default` }),
    });
    const token = ((await t.json()) as { access_token: string }).access_token;
    const r = await rpc2026(stack, token, "tools/list", {});
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
  });
});
