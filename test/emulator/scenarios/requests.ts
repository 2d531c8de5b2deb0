/**
 * What a request must be before anything else runs: an allowed Origin and method, Accept, MCP-Protocol-Version,
 * Content-Type, body size, a single JSON-RPC message that parses, a known method.
 */
import { expect } from "@jest/globals";
import { newUser, rpc, toolCall } from "../fixture";
import { expectForwarded, expectRefused, expectRefusedWith, type Scenario } from "../assertions";

export const requestScenarios: Scenario[] = [
  {
    name: "disallowed Origin: 403",
    run: async (h) => expectRefused(await h.post(newUser(), rpc("tools/list"), { Origin: "https://evil.example" }), 403, -32003),
  },
  {
    name: "disallowed HTTP method: no operation matches, 404 before any API policy, nothing forwarded",
    run: async (h) => {
      const u = newUser();
      const r = await h.gw.send({ method: "PUT", path: "/weather/mcp", headers: { Authorization: `Bearer ${h.token(u)}` }, body: rpc("tools/list") });
      expect(r.response.status).toBe(404);
      expect(r.backendRequest).toBeUndefined();
    },
  },
  {
    name: "POST whose Accept lacks text/event-stream: 406",
    run: async (h) => expectRefused(await h.post(newUser(), rpc("tools/list"), { Accept: "application/json" }), 406, -32600),
  },
  {
    name: "unknown MCP-Protocol-Version: 400",
    run: async (h) => expectRefused(await h.post(newUser(), rpc("tools/list"), { "MCP-Protocol-Version": "1999-01-01" }), 400, -32600),
  },
  {
    name: "missing MCP-Protocol-Version after initialize: 400",
    run: async (h) => {
      const u = newUser();
      const r = await h.gw.send({
        method: "POST",
        path: "/weather/mcp",
        headers: { Authorization: `Bearer ${h.token(u)}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body: rpc("tools/list"),
      });
      expectRefused(r, 400, -32600);
    },
  },
  {
    name: "Content-Type other than JSON: 415",
    run: async (h) => expectRefused(await h.post(newUser(), JSON.stringify(rpc("tools/list")), { "Content-Type": "text/plain" }), 415, -32600),
  },
  {
    name: "Content-Type that only starts with application/json, or is not UTF-8: 415; UTF-8 charset accepted",
    run: async (h) => {
      const before = h.backendCalls.length;
      for (const type of ["application/jsonl", "application/json-seq", "application/json;charset=utf-16", "application/json; charset=iso-8859-1", "application/json; boundary=x", "application/json;"]) {
        const r = await h.post(newUser(), JSON.stringify(rpc("tools/list")), { "Content-Type": type });
        expectRefusedWith(h, r, 415, -32600, "Content-Type must be application/json.", before);
      }
      for (const type of ["application/json; charset=UTF-8", 'Application/JSON;charset="utf-8"']) {
        const u = newUser();
        expectForwarded(h, await h.post(u, JSON.stringify(rpc("tools/list")), { "Content-Type": type }), u.oid);
      }
    },
  },
  {
    name: "oversized body: 413",
    run: async (h) => expectRefused(await h.post(newUser(), toolCall("get_forecast", { city: "x".repeat(300_000) })), 413, -32013),
  },
  {
    name: "oversized body with a lying Content-Length: 413",
    run: async (h) => expectRefused(await h.post(newUser(), toolCall("get_forecast", { city: "x".repeat(300_000) }), { "Content-Length": "100" }), 413, -32013),
  },
  {
    name: "JSON-RPC batch: 400",
    run: async (h) => expectRefused(await h.post(newUser(), [rpc("tools/list", undefined, 1), toolCall("delete_all", {}, 2)]), 400, -32600),
  },
  {
    name: "body that is not JSON: 400 parse error",
    run: async (h) => expectRefused(await h.post(newUser(), "{not json"), 400, -32700),
  },
  {
    name: "unknown JSON-RPC method: 400 method not found (404 for 2026-07-28 clients)",
    run: async (h) => {
      expectRefused(await h.post(newUser(), rpc("admin/exec", { cmd: "id" })), 400, -32601);
      expectRefused(await h.post(newUser(), rpc("admin/exec", { cmd: "id" }), { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "admin/exec" }), 404, -32601);
    },
  },
];
