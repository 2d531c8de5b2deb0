/**
 * The MCP server behind the gateway in end-to-end tests: the official SDK's McpServer on its Streamable HTTP
 * server transport (one transport per session, resumable through an in-memory event store), on a node HTTP
 * server at 127.0.0.1. Its tools exercise what real servers do: progress, cancellation, elicitation and
 * sampling (sent on the session's GET stream, which a gateway screening results never buffers; `ask_inline` asks
 * on the call's own stream instead), roots, notifications on the GET stream, a result carrying an injection. Everything it sees is recorded for assertions.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport, type EventStore } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { RootsListChangedNotificationSchema, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { INJECTION } from "./injection";
import { handle2026, PROTOCOL_2026 } from "./server2026";

/** Tools the server offers; `hidden_tool` is deliberately not on the gateway's approved list. */
export const BACKEND_TOOLS = ["get_forecast", "delete_all", "wait_for_cancel", "ask_user", "summarize", "fetch_page", "ask_inline", "hidden_tool"] as const;

export interface BackendEvent {
  kind: "http" | "cancelled" | "roots" | "tool";
  /** For http: method and the headers the backend received (lower case). */
  method?: string;
  headers?: http.IncomingHttpHeaders;
  detail?: unknown;
}

export interface McpBackend {
  readonly url: string;
  readonly events: BackendEvent[];
  /** Resolves with the first matching event recorded at index `from` or later (already recorded or coming). */
  waitFor(match: (e: BackendEvent) => boolean, from: number): Promise<BackendEvent>;
  /** Sends a log notification on a session's standalone GET stream (or stores it for replay). */
  notify(sessionId: string, text: string): Promise<void>;
  /** Sessions the server holds. */
  sessionIds(): string[];
  close(): Promise<void>;
}

/** Events kept per stream so a client can resume after `Last-Event-ID` (the SDK's EventStore contract). */
function memoryEventStore(): EventStore {
  const events: { id: string; streamId: string; message: JSONRPCMessage }[] = [];
  return {
    storeEvent: async (streamId, message) => {
      const id = `${streamId}_${events.length}`;
      events.push({ id, streamId, message });
      return id;
    },
    replayEventsAfter: async (lastEventId, { send }) => {
      const at = events.findIndex((e) => e.id === lastEventId);
      if (at < 0) return "";
      const streamId = events[at]!.streamId;
      for (const e of events.slice(at + 1)) if (e.streamId === streamId) await send(e.id, e.message);
      return streamId;
    },
  };
}

export async function startMcpBackend(): Promise<McpBackend> {
  const events: BackendEvent[] = [];
  const waiters: { match: (e: BackendEvent) => boolean; resolve: (e: BackendEvent) => void }[] = [];
  const record = (e: BackendEvent): void => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.match(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  };
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; mcp: McpServer }>();

  const newServer = (): McpServer => {
    const mcp = new McpServer({ name: "weather", version: "1.0.0" }, { capabilities: { logging: {} } });
    mcp.registerTool("get_forecast", { description: "Forecast for a city", inputSchema: { city: z.string() } }, async ({ city }, extra) => {
      const token = extra._meta?.progressToken;
      if (token !== undefined) {
        for (let progress = 1; progress <= 3; progress++) {
          await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, total: 3 } });
        }
      }
      record({ kind: "tool", detail: { name: "get_forecast", city } });
      return { content: [{ type: "text", text: `Sunny in ${city}` }] };
    });
    mcp.registerTool("delete_all", { description: "Deletes everything (admins only)" }, async () => ({ content: [{ type: "text", text: "deleted" }] }));
    mcp.registerTool("hidden_tool", { description: "Not approved at the gateway" }, async () => ({ content: [{ type: "text", text: "should never run" }] }));
    mcp.registerTool("wait_for_cancel", { description: "Reports progress once, then waits until cancelled" }, async (extra) => {
      record({ kind: "tool", detail: { name: "wait_for_cancel" } });
      const token = extra._meta?.progressToken;
      await new Promise<void>((resolve) => {
        extra.signal.addEventListener("abort", () => {
          record({ kind: "cancelled", detail: extra.requestId });
          resolve();
        });
        if (token !== undefined) void extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: 1 } });
      });
      return { content: [{ type: "text", text: "cancelled" }] };
    });
    mcp.registerTool("ask_user", { description: "Asks the user for a city (elicitation)" }, async () => {
      const answer = await mcp.server.elicitInput({
        message: "Which city?",
        requestedSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      });
      return { content: [{ type: "text", text: `${answer.action}:${String(answer.content?.city ?? "")}` }] };
    });
    mcp.registerTool("summarize", { description: "Asks the client's model for a summary (sampling)" }, async () => {
      const r = await mcp.server.createMessage({ messages: [{ role: "user", content: { type: "text", text: "Summarize the forecast" } }], maxTokens: 50 });
      return { content: [{ type: "text", text: r.content.type === "text" ? r.content.text : r.content.type }] };
    });
    mcp.registerTool("fetch_page", { description: "Returns a web page's text", inputSchema: { url: z.string() } }, async ({ url }) => ({
      content: [{ type: "text", text: url.endsWith("/poisoned") ? `Release notes. ${INJECTION}.` : "Release notes: bug fixes." }],
    }));
    // Asks on the call's OWN stream (relatedRequestId), as the Python SDK's ctx.elicit() does; a gateway that
    // buffers the call's answer cannot deliver it, so the server gives up after a short wait.
    mcp.registerTool("ask_inline", { description: "Asks the user on the call's own stream" }, async (extra) => {
      const answer = await mcp.server.elicitInput(
        { message: "Which city?", requestedSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
        { relatedRequestId: extra.requestId, timeout: 300 },
      );
      return { content: [{ type: "text", text: `${answer.action}` }] };
    });
    mcp.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
      const roots = await mcp.server.listRoots();
      record({ kind: "roots", detail: roots.roots.map((r) => r.uri) });
    });
    return mcp;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body: unknown = text ? JSON.parse(text) : undefined;
    record({ kind: "http", method: req.method, headers: req.headers, detail: body });
    if (req.headers["mcp-protocol-version"] === PROTOCOL_2026) return handle2026(req, res, body, (kind, detail) => record({ kind, detail }));
    const sid = req.headers["mcp-session-id"];
    const existing = typeof sid === "string" ? sessions.get(sid) : undefined;
    if (existing) return existing.transport.handleRequest(req, res, body);
    if (sid !== undefined || (body as { method?: string } | undefined)?.method !== "initialize") {
      res.writeHead(sid !== undefined ? 404 : 400, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: sid !== undefined ? "Session not found" : "Bad Request: no session" } }));
      return;
    }
    const mcp = newServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: memoryEventStore(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, mcp }),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    waitFor: (match, from) => {
      const seen = events.slice(from).find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    notify: async (sessionId, text) => {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      await s.mcp.server.sendLoggingMessage({ level: "info", data: text });
    },
    sessionIds: () => [...sessions.keys()],
    close: async () => {
      for (const s of sessions.values()) await s.mcp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
