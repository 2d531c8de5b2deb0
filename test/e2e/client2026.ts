/**
 * A client written to MCP 2026-07-28 (the SDK's client speaks 2025-11-25 at most): each request is its own POST with
 * MCP-Protocol-Version, Mcp-Method and, for tools/call, Mcp-Name, and `_meta` carrying the protocol version, client
 * info and this request's client capabilities; no initialize, no session, no GET stream. Authorization is the same
 * for every revision, so it uses the SDK's own discovery and sign-in (`auth`): 401 -> PRM -> Entra -> token.
 */
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { PublicClientProvider } from "./oauthClients";
import { PROTOCOL_2026 } from "./server2026";
import { URLS, USERS, VSCODE_CLIENT, VSCODE_REDIRECT, type Stack } from "./stack";

export interface Rpc2026Answer {
  status: number;
  headers: Headers;
  /** Every JSON-RPC message of the answer, in order (one for JSON, each `data:` event for SSE). */
  messages: Record<string, unknown>[];
  /** The message answering the request (with `result` or `error`), if any. */
  response?: { id?: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } };
}

/** Signs `user` in as a VS Code-like public client (PKCE, no `resource`) after meeting the gateway's 401. */
export async function signIn2026(stack: Stack, user: keyof typeof USERS): Promise<string> {
  stack.entra.signIn(USERS[user].oid);
  const first = await rpc2026(stack, undefined, "server/discover", {});
  if (first.status !== 401) throw new Error(`expected the gateway's 401, got ${first.status}`);
  const challenge = first.headers.get("www-authenticate") ?? "";
  const prm = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
  if (!prm) throw new Error(`no resource_metadata in ${challenge}`);
  const provider = new PublicClientProvider({ clientId: VSCODE_CLIENT, redirectUrl: VSCODE_REDIRECT, sendResource: false, fetch: stack.fetch });
  const options = { serverUrl: URLS.mcpUrl, resourceMetadataUrl: new URL(prm), fetchFn: stack.fetch };
  if ((await auth(provider, options)) !== "REDIRECT") throw new Error("expected a sign-in redirect");
  if ((await auth(provider, { ...options, authorizationCode: provider.code() })) !== "AUTHORIZED") throw new Error("sign-in failed");
  return provider.tokens()!.access_token;
}

/** Capabilities this client declares on every request: it can answer elicitation and sampling input requests. */
const CAPABILITIES = { elicitation: { form: {} }, sampling: {} };
let nextId = 1;

/** The `_meta` every 2026-07-28 request carries. */
export function meta2026(): Record<string, unknown> {
  return {
    "io.modelcontextprotocol/protocolVersion": PROTOCOL_2026,
    "io.modelcontextprotocol/clientInfo": { name: "e2e-2026-client", version: "1.0.0" },
    "io.modelcontextprotocol/clientCapabilities": CAPABILITIES,
  };
}

function headers2026(token: string | undefined, method: string): Record<string, string> {
  return {
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
    "MCP-Protocol-Version": PROTOCOL_2026,
    "Mcp-Method": method,
  };
}

/** Headers of a `subscriptions/listen` POST (read as a stream by the caller). */
export function listenHeaders(token: string): Record<string, string> {
  return headers2026(token, "subscriptions/listen");
}

export async function rpc2026(
  stack: Stack,
  token: string | undefined,
  method: string,
  params: Record<string, unknown>,
  o: { signal?: AbortSignal; progressToken?: string } = {},
): Promise<Rpc2026Answer> {
  const _meta = { ...meta2026(), ...(o.progressToken ? { progressToken: o.progressToken } : {}) };
  const name = typeof params.name === "string" ? params.name : undefined;
  const r = await stack.fetch(URLS.mcpUrl, {
    method: "POST",
    headers: { ...headers2026(token, method), ...(name !== undefined ? { "Mcp-Name": name } : {}) },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: { ...params, _meta } }),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const text = await r.text();
  const sse = (r.headers.get("content-type") ?? "").startsWith("text/event-stream");
  const bodies = sse
    ? text.split(/\r?\n\r?\n/).map((ev) => ev.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n"))
    : [text];
  const messages = bodies.filter((b) => b.trim() !== "").flatMap((b) => {
    try {
      return [JSON.parse(b) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  const response = messages.find((m) => m.method === undefined && ("result" in m || "error" in m)) as Rpc2026Answer["response"];
  return { status: r.status, headers: r.headers, messages, ...(response ? { response } : {}) };
}
