/**
 * The backend's answers to MCP 2026-07-28 requests. The official TypeScript SDK (1.x) speaks 2025-11-25 at most, so
 * this is a small server written to the 2026-07-28 revision (modelcontextprotocol/modelcontextprotocol,
 * docs/specification/2026-07-28/basic/transports/streamable-http.mdx and basic/patterns/mrtr.mdx): POST only, no
 * sessions, no GET stream; every request carries `_meta["io.modelcontextprotocol/protocolVersion"]` matching the
 * MCP-Protocol-Version header and Mcp-Method (+ Mcp-Name) headers matching the body; results carry `resultType`;
 * sampling and elicitation come back as `input_required` results (MRTR) and the client retries the call with
 * `inputResponses`; closing a call's SSE stream cancels it; `subscriptions/listen` is the long-lived notification
 * stream. Same tools as the SDK server.
 */
import type * as http from "node:http";
import { INJECTION } from "./injection";

export const PROTOCOL_2026 = "2026-07-28";

type Json = Record<string, unknown>;
type Record2026 = (kind: "tool" | "cancelled", detail: unknown) => void;

const TOOLS = [
  { name: "get_forecast", description: "Forecast for a city", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  { name: "delete_all", description: "Deletes everything (admins only)", inputSchema: { type: "object" } },
  { name: "wait_for_cancel", description: "Waits until cancelled", inputSchema: { type: "object" } },
  { name: "ask_user", description: "Asks the user for a city (elicitation)", inputSchema: { type: "object" } },
  { name: "summarize", description: "Asks the client's model for a summary (sampling)", inputSchema: { type: "object" } },
  { name: "fetch_page", description: "Returns a web page's text", inputSchema: { type: "object", properties: { url: { type: "string" } }, required: ["url"] } },
  { name: "hidden_tool", description: "Not approved at the gateway", inputSchema: { type: "object" } },
];

const INPUT_REQUESTS: Record<string, Json> = {
  ask_user: {
    city: { method: "elicitation/create", params: { mode: "form", message: "Which city?", requestedSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } },
  },
  summarize: {
    summary: { method: "sampling/createMessage", params: { messages: [{ role: "user", content: { type: "text", text: "Summarize the forecast" } }], maxTokens: 50 } },
  },
};

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

const complete = (content: unknown[]): Json => ({ resultType: "complete", content });

/** The final text of an MRTR tool once the client answered its input requests. */
function answered(name: string, responses: Json): Json {
  if (name === "ask_user") {
    const r = responses.city as { action?: string; content?: { city?: string } } | undefined;
    return complete([{ type: "text", text: `${r?.action ?? "none"}:${r?.content?.city ?? ""}` }]);
  }
  const r = responses.summary as { content?: { text?: string } } | undefined;
  return complete([{ type: "text", text: r?.content?.text ?? "" }]);
}

/** Answers one 2026-07-28 request; `record` logs tool starts and cancellations like the SDK server's events. */
export function handle2026(req: http.IncomingMessage, res: http.ServerResponse, body: unknown, record: Record2026): void {
  if (req.method !== "POST") return json(res, 405, { jsonrpc: "2.0", error: { code: -32600, message: "POST only (2026-07-28 has no GET stream or sessions)" } });
  const msg = body as { id?: string | number; method?: string; params?: Json };
  const meta = (msg.params?._meta ?? {}) as Json;
  if (meta["io.modelcontextprotocol/protocolVersion"] !== PROTOCOL_2026 || req.headers["mcp-method"] !== msg.method) {
    return json(res, 400, { jsonrpc: "2.0", id: msg.id, error: { code: -32020, message: "Header mismatch" } });
  }
  if (msg.id === undefined) return void res.writeHead(202).end();
  const reply = (result: Json): void => json(res, 200, { jsonrpc: "2.0", id: msg.id, result });
  if (msg.method === "server/discover") {
    return reply({ resultType: "complete", supportedVersions: [PROTOCOL_2026], capabilities: { tools: {} }, serverInfo: { name: "weather", version: "1.0.0" } });
  }
  if (msg.method === "tools/list") return reply({ resultType: "complete", tools: TOOLS });
  if (msg.method === "subscriptions/listen") {
    // The long-lived stream that replaced GET: acknowledge what is honoured, then a tools list change; stays open.
    const subscription = { "io.modelcontextprotocol/subscriptionId": msg.id };
    const filter = (msg.params?.notifications ?? {}) as { toolsListChanged?: boolean };
    res.writeHead(200, { "Content-Type": "text/event-stream", "X-Accel-Buffering": "no" });
    const event = (m: Json): boolean => res.write(`data: ${JSON.stringify({ jsonrpc: "2.0", ...m })}\n\n`);
    event({ method: "notifications/subscriptions/acknowledged", params: { notifications: { toolsListChanged: filter.toolsListChanged === true }, _meta: subscription } });
    if (filter.toolsListChanged === true) event({ method: "notifications/tools/list_changed", params: { _meta: subscription } });
    return;
  }
  if (msg.method !== "tools/call") return json(res, 404, { jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: "Method not found" } });

  const name = String(msg.params?.name ?? "");
  const args = (msg.params?.arguments ?? {}) as Json;
  if (req.headers["mcp-name"] !== name) return json(res, 400, { jsonrpc: "2.0", id: msg.id, error: { code: -32020, message: "Header mismatch" } });
  record("tool", { name, protocol: PROTOCOL_2026 });
  if (name in INPUT_REQUESTS) {
    const responses = msg.params?.inputResponses as Json | undefined;
    if (responses === undefined) return reply({ resultType: "input_required", inputRequests: INPUT_REQUESTS[name], requestState: `state-${name}` });
    if (msg.params?.requestState !== `state-${name}`) return json(res, 200, { jsonrpc: "2.0", id: msg.id, error: { code: -32602, message: "requestState not echoed" } });
    return reply(answered(name, responses));
  }
  if (name === "get_forecast" || name === "wait_for_cancel") {
    // An SSE answer scoped to this request: progress notifications, then (for get_forecast) the response.
    res.writeHead(200, { "Content-Type": "text/event-stream", "X-Accel-Buffering": "no" });
    const token = (meta as { progressToken?: string | number }).progressToken;
    const event = (m: Json): boolean => res.write(`data: ${JSON.stringify({ jsonrpc: "2.0", ...m })}\n\n`);
    if (name === "wait_for_cancel") {
      // 2026-07-28: closing the response stream is the cancellation.
      res.on("close", () => record("cancelled", { protocol: PROTOCOL_2026 }));
      if (token !== undefined) event({ method: "notifications/progress", params: { progressToken: token, progress: 1 } });
      return;
    }
    if (token !== undefined) for (let p = 1; p <= 3; p++) event({ method: "notifications/progress", params: { progressToken: token, progress: p, total: 3 } });
    event({ id: msg.id, result: complete([{ type: "text", text: `Sunny in ${String(args.city)}` }]) });
    return void res.end();
  }
  if (name === "fetch_page") {
    const url = String(args.url ?? "");
    return reply(complete([{ type: "text", text: url.endsWith("/poisoned") ? `Release notes. ${INJECTION}.` : "Release notes: bug fixes." }]));
  }
  if (name === "delete_all") return reply(complete([{ type: "text", text: "deleted" }]));
  return reply({ resultType: "complete", content: [{ type: "text", text: "should never run" }], isError: true });
}
