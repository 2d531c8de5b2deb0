/**
 * Authorization: approved tools, per-tool roles, allowed client applications, exact tool names, Mcp-Name/Mcp-Method
 * agreeing with the body, no smuggled DELETE body, and backend challenges and 5xx bodies never relayed.
 */
import { expect } from "@jest/globals";
import { BACKEND_AUDIENCE, LONG_TOOL, OTHER_CLIENT_APP, TENANT, newUser, rpc, toolCall } from "../fixture";
import { deleteSession, SECURITY_HEADERS, expectForwarded, expectRefused, expectRefusedWith, type Scenario } from "../assertions";

export const authorizationScenarios: Scenario[] = [
  {
    name: "tools/call of an unapproved tool: 403",
    run: async (h) => expectRefused(await h.post(newUser(), toolCall("exfiltrate", { to: "attacker" })), 403, -32003),
  },
  {
    // Only an app role opens delete_all: roles are assignments a client cannot request, so no scope challenge
    // (a client following it would sign in again and again).
    name: "tools/call of a tool whose role the caller lacks: 403 without a scope challenge",
    run: async (h) => {
      const r = await h.post(newUser(), toolCall("delete_all", { confirm: "yes" }));
      expectRefused(r, 403, -32003);
      expect(r.response.headers["www-authenticate"]).toBeUndefined();
    },
  },
  {
    name: "token issued to a client application that is not allowed: 403",
    run: async (h) => {
      const r = await h.post(h.token(newUser(), { clientAppId: OTHER_CLIENT_APP }), rpc("tools/list"));
      expectRefused(r, 403, -32003);
    },
  },
  {
    name: "tools/call of an unapproved tool whose name extends an approved 128-character name: 403",
    run: async (h) => {
      expectRefused(await h.post(newUser(), toolCall(`${LONG_TOOL}_purge`, {})), 403, -32003);
      const u = newUser();
      expectForwarded(h, await h.post(u, toolCall(LONG_TOOL, {})), u.oid);
    },
  },
  {
    name: "tools/call whose params carry the tool name twice in different case (parser differential): 400",
    run: async (h) => {
      const body = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","NAME":"delete_all","arguments":{}}}`;
      expectRefused(await h.post(newUser(), body), 400, -32600);
      // Inside arguments too: Prompt Shields screens both, but the server would read the other one.
      const args = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{"city":"Oslo","CITY":"x"}}}`;
      expectRefused(await h.post(newUser(), args), 400, -32600);
    },
  },
  {
    name: "Mcp-Name header differing from the body: 400 -32020",
    run: async (h) =>
      expectRefused(
        await h.post(newUser(), toolCall("delete_all", {}), { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "get_forecast" }),
        400,
        -32020,
      ),
  },
  {
    name: "Mcp-Method header differing from the body: 400 -32020",
    run: async (h) =>
      expectRefused(await h.post(newUser(), toolCall("get_forecast", {}), { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list" }), 400, -32020),
  },
  {
    name: "2026-07-28 tools/call without Mcp-Name: 400 -32020",
    run: async (h) =>
      expectRefused(await h.post(newUser(), toolCall("get_forecast", {}), { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call" }), 400, -32020),
  },

  {
    name: "Mcp-Method / Mcp-Name on GET, DELETE or a client response (nothing to agree with): 400 -32020",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const before = h.backendCalls.length;
      const message = "Mcp-Method/Mcp-Name headers do not match the request body.";
      const get = await h.gw.send({
        method: "GET",
        path: "/weather/mcp",
        headers: { Authorization: `Bearer ${h.token(u)}`, Accept: "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call" },
      });
      expectRefusedWith(h, get, 400, -32020, message, before);
      expectRefusedWith(h, await deleteSession(h, h.token(u), sid, { headers: { "Mcp-Name": "delete_all" } }), 400, -32020, message, before);
      const response = await h.post(u, `{"jsonrpc":"2.0","id":7,"result":{}}`, { "Mcp-Session-Id": sid, "Mcp-Method": "tools/call", "Mcp-Name": "delete_all" });
      expectRefusedWith(h, response, 400, -32020, message, before);
      // The refused DELETE did not end the session.
      expectForwarded(h, await h.post(u, rpc("ping"), { "Mcp-Session-Id": sid }), u.oid);
    },
  },
  {
    name: "DELETE carrying a JSON-RPC body (a smuggled tools/call): refused, nothing forwarded",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const r = await deleteSession(h, h.token(u), sid, { headers: { "Content-Type": "application/json" }, body: toolCall("delete_all", { confirm: "yes" }) });
      expect(r.response.status).toBeGreaterThanOrEqual(400);
      expect(r.response.status).toBeLessThan(500);
      expect(r.backendRequest).toBeUndefined();
    },
  },
  {
    name: "the backend's own 401 challenge is not relayed to the client (no token confusion): 502",
    run: async (h) => {
      const u = newUser();
      h.backendScript.next = { status: 401, headers: { "WWW-Authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/${TENANT}", resource_id="${BACKEND_AUDIENCE}"` }, body: "" };
      const r = await h.post(u, rpc("tools/list"));
      expect(r.backendRequest).toBeDefined();
      expect(r.response.status).toBe(502);
      expect(r.response.headers["www-authenticate"]).toBeUndefined();
      expect(r.response.body).not.toContain(BACKEND_AUDIENCE);
    },
  },

  {
    name: "a backend 5xx body (stack trace) is replaced by a generic JSON-RPC error; status and Retry-After kept",
    run: async (h) => {
      const u = newUser();
      const trace = "Traceback: File /app/server.py line 12, in delete_all; password=hunter2 host=sql-internal.contoso.com";
      h.backendScript.next = { status: 503, headers: { "Content-Type": "text/plain", "Retry-After": "7", "X-Powered-By": "gunicorn" }, body: trace };
      const r = await h.post(u, rpc("tools/list", undefined, "req-42"));
      expect(r.backendRequest).toBeDefined();
      expect(r.response.status).toBe(503);
      expect(r.response.headers["content-type"]).toEqual(["application/json"]);
      expect(r.response.headers["retry-after"]).toEqual(["7"]);
      expect(r.response.headers["x-powered-by"]).toBeUndefined();
      for (const header of SECURITY_HEADERS) expect(r.response.headers[header]).toBeDefined();
      expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: "req-42", error: { code: -32603, message: "Upstream MCP server error." } });
      expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["masked:backend-error"]);
      // A 4xx JSON-RPC error from the backend is the server's own answer and passes unchanged.
      const own = { jsonrpc: "2.0", id: 1, error: { code: -32602, message: "Unknown city" } };
      h.backendScript.next = { status: 400, headers: { "Content-Type": "application/json" }, body: own };
      expect(JSON.parse((await h.post(u, rpc("tools/list"))).response.body)).toEqual(own);
    },
  },
];
