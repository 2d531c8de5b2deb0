/**
 * Tool results screened before they reach the client (issue 10 item 2), and client responses to server requests
 * screened before they reach the server.
 */
import { expect } from "@jest/globals";
import { INJECTION, newUser, toolCall } from "../fixture";
import { expectRefusedWith, type Scenario } from "../assertions";

const result = (text: string, id: number | string = 1): Record<string, unknown> => ({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text }] } });

export const resultScenarios: Scenario[] = [
  {
    name: "a tool result carrying an injected instruction is blocked: a JSON-RPC error for the call's id, decision blocked:result-shield",
    run: async (h) => {
      h.backendScript.next = { status: 200, headers: { "Content-Type": "application/json" }, body: result(`Page text... ${INJECTION}`, 41) };
      const r = await h.post(newUser(), toolCall("get_forecast", { city: "Oslo" }, 41));
      expect(r.response.status).toBe(200);
      expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: 41, error: { code: -32030, message: "Tool result blocked by content safety." } });
      expect(r.response.body).not.toContain("IGNORE");
      expect(r.metrics[0]!.dimensions.decision).toBe("blocked:result-shield");
    },
  },
  {
    name: "an SSE tool result: progress notifications kept, only the result screened; an injected result in the stream is blocked",
    run: async (h) => {
      const progress = `event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","progress":1,"message":"working"}}\n\n`;
      const clean = `event: message\ndata: ${JSON.stringify(result("Sunny.", 5))}\n\n`;
      h.backendScript.next = { status: 200, headers: { "Content-Type": "text/event-stream" }, body: progress + clean };
      const before = h.shieldCalls.length;
      const ok = await h.post(newUser(), toolCall("get_forecast", { city: "Oslo" }, 5));
      expect(ok.response.body).toBe(progress + clean);
      const screened = h.shieldCalls.slice(before).map((c) => (JSON.parse(c.body) as { documents: string[] }).documents[0]);
      expect(screened[1]).toBe("content:\ntype: text\ntext: Sunny.");
      h.backendScript.next = { status: 200, headers: { "Content-Type": "text/event-stream" }, body: progress + `event: message\ndata: ${JSON.stringify(result(INJECTION, 6))}\n\n` };
      const blocked = await h.post(newUser(), toolCall("get_forecast", { city: "Oslo" }, 6));
      expect(JSON.parse(blocked.response.body)).toEqual({ jsonrpc: "2.0", id: 6, error: { code: -32030, message: "Tool result blocked by content safety." } });
      expect(blocked.response.headers["content-type"]).toEqual(["application/json"]);
    },
  },
  {
    name: "a server request inside a screened call's own stream: the call gets -32603 naming the fix, the request is not delivered late",
    run: async (h) => {
      // What a server that asks on the call's stream (relatedRequestId) leaves once it gave up waiting: its request,
      // then its error result. The client never saw the request while the gateway held the stream.
      const ask = `event: message\ndata: {"jsonrpc":"2.0","id":0,"method":"elicitation/create","params":{"message":"Which city?","requestedSchema":{"type":"object"}}}\n\n`;
      const gaveUp = `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 8, result: { content: [{ type: "text", text: "MCP error -32001: Request timed out" }], isError: true } })}\n\n`;
      h.backendScript.next = { status: 200, headers: { "Content-Type": "text/event-stream" }, body: ask + gaveUp };
      const r = await h.post(newUser(), toolCall("get_forecast", { city: "Oslo" }, 8));
      const answer = JSON.parse(r.response.body) as { id: number; error: { code: number; message: string } };
      expect(answer.id).toBe(8);
      expect(answer.error.code).toBe(-32603);
      expect(answer.error.message).toContain("inside this tool call's stream");
      expect(answer.error.message).toContain("GET stream");
      expect(r.response.body).not.toContain("elicitation/create");
      expect(r.metrics[0]!.dimensions.decision).toBe("blocked:result-server-request");
    },
  },
  {
    name: "an injection across the 10,000-character cut is screened whole (documents overlap by 2,000 characters)",
    run: async (h) => {
      const prefix = "name: get_forecast\narguments:\nnote: ";
      const pad = "p".repeat(10_000 - prefix.length - 20);
      const before = h.backendCalls.length;
      const r = await h.post(newUser(), toolCall("get_forecast", { note: pad + INJECTION }));
      expectRefusedWith(h, r, 400, -32030, "Request blocked by content safety.", before);
    },
  },
  {
    name: "a client's answer to sampling/elicitation carrying an injection is refused before the server reads it: 400 -32030",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const before = h.backendCalls.length;
      const answer = { jsonrpc: "2.0", id: "srv-9", result: { role: "assistant", model: "m", content: { type: "text", text: INJECTION } } };
      expectRefusedWith(h, await h.post(u, answer, { "Mcp-Session-Id": sid }), 400, -32030, "Request blocked by content safety.", before);
    },
  },
  {
    name: "an injection in tools/call _meta or in a property name (not in the arguments' values) is screened too: 400 -32030",
    run: async (h) => {
      const before = h.backendCalls.length;
      const inMeta = { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "get_forecast", arguments: { city: "Oslo" }, _meta: { note: INJECTION } } };
      expectRefusedWith(h, await h.post(newUser(), inMeta), 400, -32030, "Request blocked by content safety.", before);
      expectRefusedWith(h, await h.post(newUser(), toolCall("get_forecast", { city: "Oslo", [INJECTION]: "x" })), 400, -32030, "Request blocked by content safety.", before);
    },
  },
];
