/**
 * Sessions, bodies, backend errors and the per-caller client-app limit (issue 10 items 5 and 6): a re-initialize
 * binds its new session, an issued id never moves to another caller, a POST must declare its length, backend error
 * bodies that are not JSON-RPC never reach the client, and one client's users do not share one bucket.
 */
import { expect } from "@jest/globals";
import { LIMITS, newUser, rpc, toolCall } from "../fixture";
import { expectAnswerRefused, expectForwarded, expectRefused, expectRefusedWith, initializeBody, jsonBody, type Scenario } from "../assertions";

const GENERIC_ERROR = { code: -32603, message: "Upstream MCP server error." };
const LENGTH_REQUIRED = "Content-Length required.";

export const transportScenarios: Scenario[] = [
  {
    name: "initialize sent with the caller's old session id binds the new id the backend issues (next call 200, not 404)",
    run: async (h) => {
      const u = newUser();
      const old = await h.initialize(u);
      const r = await h.post(u, initializeBody, { "Mcp-Session-Id": old });
      expectForwarded(h, r, u.oid);
      const fresh = r.response.headers["mcp-session-id"]?.[0];
      expect(fresh).toMatch(/^sess-/);
      expect(fresh).not.toBe(old);
      expectForwarded(h, await h.post(u, rpc("tools/list"), { "Mcp-Session-Id": fresh! }), u.oid);
    },
  },
  {
    name: "initialize answered with a session id bound to another caller (a reused or predictable id) is never re-bound: 502, the owner keeps it",
    run: async (h) => {
      const owner = newUser();
      const sid = await h.initialize(owner);
      const intruder = newUser();
      h.backendScript.next = {
        status: 200,
        headers: { "Content-Type": "application/json", "Mcp-Session-Id": sid },
        body: { jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-11-25", capabilities: {}, serverInfo: { name: "weather", version: "1" } } },
      };
      const r = await h.post(intruder, initializeBody);
      expectAnswerRefused(r, 502, -32603);
      expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "Upstream MCP server issued a session id that is in use." } });
      expect(r.response.headers["mcp-session-id"]).toBeUndefined();
      expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["error:session-reuse"]);
      expectRefused(await h.post(intruder, rpc("tools/list"), { "Mcp-Session-Id": sid }), 404, -32004);
      expectForwarded(h, await h.post(owner, rpc("tools/list"), { "Mcp-Session-Id": sid }), owner.oid);
    },
  },
  {
    name: "POST with Transfer-Encoding: chunked (a body whose size is known only once read): 411, nothing forwarded",
    run: async (h) => {
      const before = h.backendCalls.length;
      const big = toolCall("get_forecast", { city: "x".repeat(3 * 1024 * 1024) });
      for (const extra of [{ omitContentLength: true }, {}]) {
        const r = await h.post(newUser(), big, { "Transfer-Encoding": "chunked" }, extra);
        expectRefusedWith(h, r, 411, -32600, LENGTH_REQUIRED, before);
        expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["deny:length-required"]);
      }
    },
  },
  {
    name: "POST without Content-Length, or with one that is not a number: 411",
    run: async (h) => {
      const before = h.backendCalls.length;
      expectRefusedWith(h, await h.post(newUser(), rpc("tools/list"), {}, { omitContentLength: true }), 411, -32600, LENGTH_REQUIRED, before);
      expectRefusedWith(h, await h.post(newUser(), rpc("tools/list"), { "Content-Length": "12abc" }), 411, -32600, LENGTH_REQUIRED, before);
    },
  },
  {
    name: "a backend 4xx HTML debug page is replaced by a generic JSON-RPC error; the status is kept",
    run: async (h) => {
      const u = newUser();
      h.backendScript.next = { status: 400, headers: { "Content-Type": "text/html" }, body: "<html><h1>Server Error in '/' Application.</h1><pre>at Weather.Tools.Run() in C:\\src\\Tools.cs:line 42</pre></html>" };
      const r = await h.post(u, rpc("tools/list", undefined, 31));
      expectForwarded(h, r, u.oid, 400);
      expect(r.response.headers["content-type"]).toEqual(["application/json"]);
      expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: 31, error: GENERIC_ERROR });
    },
  },
  {
    name: "a backend 4xx JSON that is not JSON-RPC (problem details with a stack trace) is replaced as well",
    run: async (h) => {
      const u = newUser();
      h.backendScript.next = { status: 422, headers: { "Content-Type": "application/problem+json" }, body: { type: "about:blank", title: "Unprocessable", detail: "NullReferenceException at Weather.Db.Query()", trace: "conn=Server=sql01;User=sa" } };
      const r = await h.post(u, rpc("tools/list", undefined, "req-7"));
      expectForwarded(h, r, u.oid, 422);
      expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: "req-7", error: GENERIC_ERROR });
      // A JSON-RPC envelope with extra members is not a JSON-RPC error either.
      h.backendScript.next = { status: 400, headers: { "Content-Type": "application/json" }, body: { jsonrpc: "2.0", id: 1, error: { code: -32602, message: "bad" }, stack: "at Weather.Tools.Run()" } };
      expect(jsonBody(await h.post(u, rpc("tools/list"))).error).toEqual(GENERIC_ERROR);
    },
  },
  {
    name: "a backend 404 with an empty body (session gone) keeps 404 and answers a JSON-RPC error",
    run: async (h) => {
      const u = newUser();
      h.backendScript.next = { status: 404, headers: {}, body: "" };
      const r = await h.post(u, rpc("tools/list", undefined, 3));
      expectForwarded(h, r, u.oid, 404);
      expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: 3, error: GENERIC_ERROR });
    },
  },
  {
    name: "a backend 4xx JSON-RPC error (the server's own answer) reaches the client unchanged",
    run: async (h) => {
      const u = newUser();
      const answer = { jsonrpc: "2.0", id: 9, error: { code: -32602, message: "Unknown cursor", data: { cursor: "abc" } } };
      h.backendScript.next = { status: 400, headers: { "Content-Type": "application/json" }, body: answer };
      const r = await h.post(u, rpc("tools/list", { cursor: "abc" }, 9));
      expectForwarded(h, r, u.oid, 400);
      expect(JSON.parse(r.response.body)).toEqual(answer);
    },
  },
  {
    name: "client-app limit per caller within the app: three users of one client are not one bucket, and each user's own bucket holds",
    run: async (h) => {
      // More calls from one client application than its per-caller limit, spread over three users: none refused.
      const users = [newUser(), newUser(), newUser()];
      const perUser = Math.ceil((LIMITS.perCallerInApp + 1) / users.length);
      for (const u of users) for (let i = 0; i < perUser; i++) expectForwarded(h, await h.post(u, rpc("ping", undefined, i)), u.oid);
      // One user alone: the per-minute caller limit renews, the 5-minute bucket within the client does not.
      const u = newUser();
      for (let i = 0; i < LIMITS.perCaller; i++) expectForwarded(h, await h.post(u, rpc("ping", undefined, i)), u.oid);
      h.clock.now += LIMITS.periodSeconds + 1;
      for (let i = LIMITS.perCaller; i < LIMITS.perCallerInApp; i++) expectForwarded(h, await h.post(u, rpc("ping", undefined, i)), u.oid);
      const r = await h.post(u, rpc("ping"));
      expectRefused(r, 429, -32029);
      expect(Number(r.response.headers["retry-after"]?.[0])).toBeGreaterThan(LIMITS.periodSeconds);
      expectForwarded(h, await h.post(users[0]!, rpc("ping")), users[0]!.oid);
    },
  },
];
