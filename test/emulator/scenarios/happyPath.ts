/**
 * The happy path: legitimate calls (initialize, tools/list, an allowed and screened tools/call, an app role, DELETE,
 * clock skew, an allowed Origin, notifications, the GET stream, 2026-07-28 headers) reach the backend with the
 * gateway's credential, and the session binding slides and expires.
 */
import { expect } from "@jest/globals";
import type { EmulatorResult } from "../gateway";
import { ALLOWED_ORIGIN, CONTENT_SAFETY, GATEWAY_IDENTITY, newUser, rpc, toolCall } from "../fixture";
import { decodePayload } from "../tokens";
import { deleteSession, expectForwarded, expectRefused, initializeBody, jsonBody, type Scenario } from "../assertions";

export const happyPathScenarios: Scenario[] = [
  {
    name: "happy: initialize reaches the backend with the gateway credential and binds the session",
    run: async (h) => {
      const u = newUser();
      const r = await h.post(u, initializeBody);
      expectForwarded(h, r, u.oid);
      const sid = r.response.headers["mcp-session-id"]?.[0];
      expect(sid).toMatch(/^sess-/);
      expect(h.gw.cacheKeys()).toContain(`mcp-session:weather:${sid}`);
      expect(jsonBody(r).result).toBeDefined();
    },
  },
  {
    name: "happy: tools/list in the session",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const r = await h.post(u, rpc("tools/list"), { "Mcp-Session-Id": sid });
      expectForwarded(h, r, u.oid);
      expect(r.backendRequest!.headers["mcp-session-id"]).toEqual([sid]);
    },
  },
  {
    name: "happy: an allowed tools/call is screened by Prompt Shields with the gateway identity and forwarded",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const before = h.shieldCalls.length;
      const r = await h.post(u, toolCall("get_forecast", { city: "Oslo", days: 3 }), { "Mcp-Session-Id": sid });
      expectForwarded(h, r, u.oid);
      const calls = h.shieldCalls.slice(before);
      // One call for the request's params, one for the tool's result.
      expect(calls).toHaveLength(2);
      expect(calls[0]!.url).toBe(`${CONTENT_SAFETY}/contentsafety/text:shieldPrompt?api-version=2024-09-01`);
      expect(calls[0]!.method).toBe("POST");
      const cred = decodePayload(calls[0]!.headers["authorization"]![0]!);
      expect(cred.aud).toBe("https://cognitiveservices.azure.com");
      expect(cred.appid).toBe(GATEWAY_IDENTITY);
      // The whole params as one text of key: value lines, one document; then the result's text.
      expect((JSON.parse(calls[0]!.body) as { documents: string[] }).documents).toEqual(["name: get_forecast\narguments:\ncity: Oslo\ndays: 3"]);
      expect((JSON.parse(calls[1]!.body) as { documents: string[] }).documents).toEqual(['content:\ntype: text\ntext: forecast for {"city":"Oslo","days":3}: sunny']);
      expect(JSON.parse(r.backendRequest!.body)).toEqual(toolCall("get_forecast", { city: "Oslo", days: 3 }));
    },
  },
  {
    name: "happy: a caller holding the tool's app role may call it",
    run: async (h) => {
      const admin = newUser(["tools.read"], ["Tools.Admin"]);
      const r = await h.post(admin, toolCall("delete_all", { confirm: "yes" }));
      expectForwarded(h, r, admin.oid);
      expect(r.backendRequest!.headers["x-mcp-caller-roles"]).toEqual(["Tools.Admin"]);
    },
  },
  {
    name: "happy: DELETE ends the session at the backend with the gateway credential",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const r = await deleteSession(h, h.token(u), sid);
      expectForwarded(h, r, u.oid, 204);
      expect(r.backendRequest!.method).toBe("DELETE");
    },
  },
  {
    name: "happy: a token expired by less than the configured clock skew is still accepted",
    run: async (h) => {
      const u = newUser();
      const r = await h.post(h.token(u, { lifetimeSeconds: -30 }), rpc("ping"));
      expectForwarded(h, r, u.oid);
    },
  },
  {
    name: "happy: a request from an allowed browser Origin goes through",
    run: async (h) => {
      const u = newUser();
      const r = await h.post(u, rpc("tools/list"), { Origin: ALLOWED_ORIGIN });
      expectForwarded(h, r, u.oid);
    },
  },

  {
    name: "happy: notifications/initialized is forwarded and answered 202",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const r = await h.post(u, { jsonrpc: "2.0", method: "notifications/initialized" }, { "Mcp-Session-Id": sid });
      expectForwarded(h, r, u.oid, 202);
    },
  },
  {
    name: "happy: the session's GET stream is forwarded; another user's GET on it is refused",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const get = (token: string): Promise<EmulatorResult> =>
        h.gw.send({ method: "GET", path: "/weather/mcp", headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream", "Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25" } });
      expectForwarded(h, await get(h.token(u)), u.oid);
      expectRefused(await get(h.token(newUser())), 404, -32004);
    },
  },
  {
    name: "happy: a 2026-07-28 client with Mcp-Method and a base64-encoded Mcp-Name is forwarded without a session",
    run: async (h) => {
      const u = newUser();
      const name = `=?base64?${Buffer.from("get_forecast").toString("base64")}?=`;
      const r = await h.post(u, toolCall("get_forecast", { city: "Oslo" }), { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": name });
      expectForwarded(h, r, u.oid);
    },
  },
  {
    name: "happy: the session binding slides on use and expires after its TTL of inactivity",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      h.clock.now += 3000;
      expectForwarded(h, await h.post(u, rpc("ping"), { "Mcp-Session-Id": sid }), u.oid);
      h.clock.now += 3000; // 6000 s after initialize, 3000 s after the last use
      expectForwarded(h, await h.post(u, rpc("ping"), { "Mcp-Session-Id": sid }), u.oid);
      h.clock.now += 3601;
      expectRefused(await h.post(u, rpc("ping"), { "Mcp-Session-Id": sid }), 404, -32004);
    },
  },
];
