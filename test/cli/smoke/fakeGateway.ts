/**
 * A local stand-in for a deployed MCP gateway on 127.0.0.1: the front checks `smoke` probes (a query string,
 * which the kit's gateway refuses whatever it carries; Origin, bearer challenge, audience) in front of a real MCP
 * SDK server with two tools. Each check can be broken, so every smoke step is shown to fail when the gateway
 * misbehaves.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export const SERVER = "github-tools";
/** What the fake token source hands out for the server's scope, and what the fake accepts. */
export const GOOD_TOKEN = "token-for:api://mcp-github-tools/.default";

export type Break =
  | "challenge-open" // initialize without a token succeeds
  | "challenge-no-metadata" // 401 without resource_metadata
  | "metadata-missing" // PRM 404
  | "metadata-cookie-bearer" // PRM advertises body/query bearer methods
  | "query-token-accepted" // a query string (?access_token=...) not refused
  | "origin-ignored" // Origin not checked before authentication
  | "audience-ignored" // any token accepted
  | "no-tools" // tools/list empty
  | "call-refused"; // tools/call answered 403

export interface FakeGateway {
  readonly url: string;
  readonly breaks: Set<Break>;
  /** Tokens presented, in order. */
  readonly tokens: string[];
  close(): Promise<void>;
}

function mcpServer(breaks: Set<Break>): McpServer {
  const server = new McpServer({ name: "fake-github-tools", version: "1.0.0" });
  const search = server.registerTool("search_issues", { description: "Search issues", inputSchema: { query: z.string() } }, async ({ query }) => ({
    content: [{ type: "text", text: `0 issues match ${query}` }],
  }));
  const failing = server.registerTool("failing_tool", { description: "Always fails" }, async () => ({ content: [{ type: "text", text: "boom" }], isError: true }));
  // Disabled, not absent: the server still offers tools/list, and it answers with an empty list.
  if (breaks.has("no-tools")) for (const tool of [search, failing]) tool.disable();
  return server;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const breaks = new Set<Break>();
  const tokens: string[] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let base = "";
  const prmPath = `/.well-known/oauth-protected-resource/${SERVER}/mcp`;

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
    json(res, status, { jsonrpc: "2.0", id: null, error: { code: -32001, message } }, headers);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", base);
        if (req.method === "GET" && url.pathname === prmPath) {
          if (breaks.has("metadata-missing")) return json(res, 404, { error: "not found" });
          return json(res, 200, {
            resource: `${base}/${SERVER}/mcp`,
            authorization_servers: ["https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0"],
            scopes_supported: ["api://mcp-github-tools/mcp.invoke"],
            bearer_methods_supported: breaks.has("metadata-cookie-bearer") ? ["header", "body"] : ["header"],
          });
        }
        if (url.pathname !== `/${SERVER}/mcp`) return json(res, 404, { error: "no such API" });
        // As the gateway does (refuseQueryString): any query at all, not only credential names.
        if (url.search !== "" && !breaks.has("query-token-accepted")) return refuse(res, 400, "The MCP endpoint takes no query string; send credentials only in the Authorization header.");
        if (req.headers.origin && !breaks.has("origin-ignored")) return refuse(res, 403, "Origin not allowed.");
        const auth = req.headers.authorization;
        if (!auth && !breaks.has("challenge-open")) {
          const metadata = breaks.has("challenge-no-metadata") ? "" : `, resource_metadata="${base}${prmPath}"`;
          return refuse(res, 401, "Unauthorized.", { "www-authenticate": `Bearer scope="api://mcp-github-tools/mcp.invoke"${metadata}` });
        }
        const token = auth?.replace(/^Bearer /, "") ?? "";
        if (auth) tokens.push(token);
        if (auth && token !== GOOD_TOKEN && !breaks.has("audience-ignored")) {
          return refuse(res, 401, "Unauthorized.", { "www-authenticate": 'Bearer error="invalid_token"' });
        }
        const body: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
        if (breaks.has("call-refused") && (body as { method?: string } | undefined)?.method === "tools/call") {
          return refuse(res, 403, "The caller lacks the permission this tool needs.");
        }
        const sessionId = req.headers["mcp-session-id"];
        let transport = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
        if (!transport) {
          const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, created) });
          await mcpServer(breaks).connect(created);
          transport = created;
        }
        await transport.handleRequest(req, res, body);
      })().catch((err: unknown) => {
        if (!res.headersSent) json(res, 500, { error: String(err) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    breaks,
    tokens,
    close: async () => {
      for (const t of sessions.values()) await t.close().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
