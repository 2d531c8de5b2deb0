/**
 * Allow-lists, not look-alikes (issue 10 items 3, 4 and the date-like strings of 6): the envelope and params of
 * each method admit only the members the MCP schema defines, every property name is printable ASCII, methods real
 * clients send are admitted, task augmentation is refused consistently, date-like strings stay strings.
 */
import { expect } from "@jest/globals";
import { DATE_TOOL, newUser, rpc, toolCall, type Harness } from "../fixture";
import { expectForwarded, expectRefusedWith, type Scenario } from "../assertions";

const INVALID = "Invalid JSON-RPC 2.0 message.";

/** Each body refused with 400 / -32600, decision deny:invalid, nothing forwarded. */
async function refusedInvalid(h: Harness, bodies: string[], user = newUser()): Promise<void> {
  const before = h.backendCalls.length;
  for (const body of bodies) {
    const r = await h.post(user, body);
    expectRefusedWith(h, r, 400, -32600, INVALID, before);
    expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["deny:invalid"]);
  }
}

export const allowListScenarios: Scenario[] = [
  {
    name: "a NUL-suffixed second name (GHSA-q382-vc8q-7jhj: go-sdk folds it and runs delete_all): 400",
    run: (h) =>
      refusedInvalid(h, [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","name\\u0000":"delete_all"}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{},"arguments\\u0000":{"confirm":"yes"}}}`,
      ]),
  },
  {
    name: "Unicode look-alikes that Go's encoding/json folds (U+017F long s, U+212A Kelvin sign): 400",
    run: (h) =>
      refusedInvalid(h, [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{},"argument\\u017f":{"city":"x"}}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{"\\u212aind":"admin","kind":"read"}}}`,
        // Raw (unescaped) UTF-8 look-alikes are the same names.
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","argumentſ":{}}}`,
      ]),
  },
  {
    name: "a property name outside printable ASCII anywhere in the message (arguments, _meta, a client response): 400",
    run: (h) =>
      refusedInvalid(h, [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{"stadt\\u00e9":"Oslo"}}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"tab\\tkey":1}}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"del\\u007f":1}}}`,
        `{"jsonrpc":"2.0","id":7,"result":{"roots":[{"uri":"file:///x","n\\u0430me":"cyrillic a"}]}}`,
      ]),
  },
  {
    name: "params members the schema does not define for the method (tools/call: name, arguments, _meta, task): 400",
    run: async (h) => {
      await refusedInvalid(h, [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{},"tool":"delete_all"}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"a","name":"delete_all"}}`,
        `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"name":"delete_all"}}`,
        `{"jsonrpc":"2.0","method":"notifications/initialized","params":{"arguments":{}}}`,
        // The members MCP reads keep their types: arguments an object, _meta an object, name a string.
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":"city=Oslo"}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","_meta":"x"}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":["get_forecast"]}}`,
      ]);
      // Every member the schema defines for tools/call and tools/list passes.
      const u = newUser();
      const meta = { progressToken: "p1", "io.example/trace": "t" };
      expectForwarded(h, await h.post(u, rpc("tools/call", { name: "get_forecast", arguments: { city: "Oslo" }, _meta: meta })), u.oid);
      expectForwarded(h, await h.post(u, rpc("tools/list", { cursor: "abc", _meta: meta })), u.oid);
    },
  },
  {
    name: "envelope members outside the message's shape (a notification with result, a response with params or an extra error member): 400",
    run: (h) =>
      refusedInvalid(h, [
        `{"jsonrpc":"2.0","method":"notifications/initialized","result":{}}`,
        `{"jsonrpc":"2.0","method":"notifications/initialized","error":{"code":1,"message":"x"}}`,
        `{"jsonrpc":"2.0","id":7,"error":{"code":-1,"message":"no","method":"tools/call"}}`,
        `{"jsonrpc":"2.0","id":7,"error":{"code":"-1","message":"no"}}`,
        `{"jsonrpc":"2.0","id":7,"result":"not an object"}`,
        `{"jsonrpc":"2.0","id":7,"result":{},"error":{"code":1,"message":"x"}}`,
        `{"jsonrpc":"2.0","id":7,"method":"tools/list","extra":1}`,
      ]),
  },
  {
    name: "task-augmented tools/call is refused consistently (tasks cannot be enabled): 400 -32602",
    run: async (h) => {
      const before = h.backendCalls.length;
      const r = await h.post(newUser(), rpc("tools/call", { name: "get_forecast", arguments: {}, task: { ttl: 60000 } }));
      expectRefusedWith(h, r, 400, -32602, "Task-augmented requests are not supported.", before);
      expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["deny:task"]);
      for (const method of ["tasks/get", "tasks/result", "tasks/list", "tasks/cancel"]) {
        expectRefusedWith(h, await h.post(newUser(), rpc(method, { taskId: "t1" })), 400, -32601, "Method not found.", before);
      }
    },
  },
  {
    name: "methods real clients send unprompted are admitted: roots/list_changed, progress, cancelled notifications and ping",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const notifications = [
        { jsonrpc: "2.0", method: "notifications/roots/list_changed" },
        { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: "p1", progress: 3, total: 10, message: "copying" } },
        { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 4, reason: "user pressed stop" } },
        { jsonrpc: "2.0", method: "notifications/initialized", params: { _meta: {} } },
      ];
      for (const n of notifications) expectForwarded(h, await h.post(u, n, { "Mcp-Session-Id": sid }), u.oid, 202);
      expectForwarded(h, await h.post(u, rpc("ping"), { "Mcp-Session-Id": sid }), u.oid);
      // A client answering the server's roots/list request.
      expectForwarded(h, await h.post(u, { jsonrpc: "2.0", id: "srv-1", result: { roots: [{ uri: "file:///work", name: "work" }] } }, { "Mcp-Session-Id": sid }), u.oid);
    },
  },
  {
    name: "resources, prompts and completion stay refused by default (no per-item authorization): 400 -32601",
    run: async (h) => {
      const before = h.backendCalls.length;
      const probes = [rpc("resources/read", { uri: "file:///etc/passwd" }), rpc("prompts/get", { name: "x" }), rpc("completion/complete", { ref: { type: "ref/prompt", name: "x" }, argument: { name: "a", value: "b" } }), rpc("resources/list")];
      for (const body of probes) expectRefusedWith(h, await h.post(newUser(), body), 400, -32601, "Method not found.", before);
    },
  },
  {
    name: "date-like strings stay strings: an ISO-date id and an ISO-date tool name are authorized as sent",
    run: async (h) => {
      const u = newUser();
      const list = await h.post(u, rpc("tools/list", undefined, "2025-06-18T10:00:00Z"));
      expectForwarded(h, list, u.oid);
      expect(JSON.parse(list.response.body).id).toBe("2025-06-18T10:00:00Z");
      const call = await h.post(u, toolCall(DATE_TOOL, { day: "2025-01-01" }, "2025-01-01"));
      expectForwarded(h, call, u.oid);
      expect(call.metrics[0]!.dimensions.tool).toBe(DATE_TOOL);
      // The masked 5xx answer echoes the id as the client wrote it.
      h.backendScript.next = { status: 500, headers: { "Content-Type": "text/plain" }, body: "stack trace" };
      const failed = await h.post(u, rpc("tools/list", undefined, "2025-06-18"));
      expect(JSON.parse(failed.response.body)).toEqual({ jsonrpc: "2.0", id: "2025-06-18", error: { code: -32603, message: "Upstream MCP server error." } });
    },
  },
];
