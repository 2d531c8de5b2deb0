/**
 * Gateway hygiene (issue 10 item 6): no query string at all, no method-override or forwarding header reaches the
 * backend, and backend cookies, CORS grants and redirects never reach the client.
 */
import { expect } from "@jest/globals";
import { newUser, rpc } from "../fixture";
import { deleteSession, expectAnswerRefused, expectForwarded, expectRefusedWith, type Scenario } from "../assertions";

const QUERY_REFUSAL = "The MCP endpoint takes no query string; send credentials only in the Authorization header.";

const headerNames = (headers: Record<string, unknown>): string[] => Object.keys(headers).map((k) => k.toLowerCase());

export const hygieneScenarios: Scenario[] = [
  {
    name: "any query string on the MCP endpoint: 400 before token validation, nothing forwarded (?t=<jwt>, ?x, a harmless name)",
    run: async (h) => {
      const before = h.backendCalls.length;
      const u = newUser();
      const queries: Record<string, string>[] = [{ t: h.token(u) }, { x: "" }, { cursor: "2" }, { jwt: h.token(u), debug: "1" }];
      for (const query of queries) {
        expectRefusedWith(h, await h.post(u, rpc("tools/list"), {}, { query }), 400, -32600, QUERY_REFUSAL, before);
      }
      // Before token validation: no token, a query string, still the query refusal (not a 401 challenge).
      expectRefusedWith(h, await h.post(null, rpc("tools/list"), {}, { query: { t: h.token(u) } }), 400, -32600, QUERY_REFUSAL, before);
      // GET (the SSE stream) and DELETE too.
      const get = await h.gw.send({ method: "GET", path: "/weather/mcp", query: { t: h.token(u) }, headers: { Authorization: `Bearer ${h.token(u)}`, Accept: "text/event-stream", "MCP-Protocol-Version": "2025-11-25" } });
      expectRefusedWith(h, get, 400, -32600, QUERY_REFUSAL, before);
      expectRefusedWith(h, await deleteSession(h, h.token(u), "s-1", { query: { t: "x" } }), 400, -32600, QUERY_REFUSAL, before);
      expect(h.backendCalls.slice(before).some((c) => c.url.includes("?"))).toBe(false);
    },
  },
  {
    name: "method-override, URL-rewrite and forwarding headers never reach the backend; the call itself goes through",
    run: async (h) => {
      const u = newUser();
      const sent = {
        "X-HTTP-Method-Override": "DELETE",
        "x-http-method": "PUT",
        "X-Method-Override": "PATCH",
        "X-Original-URL": "/admin/delete_all",
        "X-Rewrite-URL": "/admin/delete_all",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Prefix": "/evil",
        "X-Forwarded-Port": "8080",
        "X-Original-Host": "evil.example",
        Forwarded: "for=203.0.113.9;host=evil.example;proto=http",
        "X-Forwarded-For": "203.0.113.9",
      };
      const r = await h.post(u, rpc("tools/list"), sent);
      expectForwarded(h, r, u.oid);
      expect(r.backendRequest!.method).toBe("POST");
      const reached = headerNames(r.backendRequest!.headers).filter((n) => Object.keys(sent).some((k) => k.toLowerCase() === n));
      expect(reached).toEqual(["x-forwarded-for"]);
    },
  },
  {
    name: "backend Set-Cookie and CORS grants are removed from the answer; the answer itself is relayed",
    run: async (h) => {
      const u = newUser();
      const answer = { jsonrpc: "2.0", id: 1, result: { tools: [] } };
      h.backendScript.next = {
        status: 200,
        headers: {
          "Content-Type": "application/json",
          "Set-Cookie": "session=abc; Path=/; Domain=gateway.contoso.com",
          "Access-Control-Allow-Origin": "*",
          "Access-Control-Allow-Credentials": "true",
          "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
          "Access-Control-Allow-Headers": "*",
          "Access-Control-Expose-Headers": "Mcp-Session-Id",
        },
        body: answer,
      };
      const r = await h.post(u, rpc("tools/list"));
      expectForwarded(h, r, u.oid);
      expect(JSON.parse(r.response.body)).toEqual(answer);
      expect(headerNames(r.response.headers).filter((n) => n === "set-cookie" || n.startsWith("access-control-"))).toEqual([]);
    },
  },
  {
    name: "a backend redirect (301, 302, 307, 308) is not relayed: 502 with a JSON-RPC error, no Location",
    run: async (h) => {
      const u = newUser();
      for (const status of [301, 302, 307, 308]) {
        h.backendScript.next = { status, headers: { Location: "https://evil.example/steal", "Content-Type": "text/html" }, body: "<a href=https://evil.example/steal>moved</a>" };
        const r = await h.post(u, rpc("tools/list"));
        expectAnswerRefused(r, 502, -32603);
        expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "Upstream MCP server answered with a redirect." } });
        expect(r.response.headers["location"]).toBeUndefined();
        expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["error:backend-redirect"]);
      }
    },
  },
];
