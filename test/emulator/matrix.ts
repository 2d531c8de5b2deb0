/**
 * The attack matrix: scripted requests against the kit's generated gateway policies (see fixture.ts), each
 * asserting status, headers and body of what the client sees and what (if anything) reached the backend.
 * Run by attackMatrix.test.ts (every scenario must pass, and mutated policies must make named scenarios fail).
 */
import { createHash } from "node:crypto";
import { expect } from "@jest/globals";
import type { EmulatorResult } from "./gateway";
import {
  ALLOWED_ORIGIN,
  BACKEND_AUDIENCE,
  CLIENT_APP,
  CONTENT_SAFETY,
  GATEWAY_IDENTITY,
  INJECTION,
  LIMITS,
  LONG_TOOL,
  OTHER_CLIENT_APP,
  OTHER_TENANT,
  RESOURCE,
  SERVER_APP_ID,
  SIBLING_RESOURCE,
  TENANT,
  newUser,
  rpc,
  toolCall,

} from "./fixture";
import { claimsFor, decodePayload, impostorKey, signToken, tamperedToken, unsignedToken } from "./tokens";

import { allowListScenarios } from "./scenarios/allowLists";
import { resultScenarios } from "./scenarios/results";
import { toolDefinitionScenarios } from "./scenarios/toolDefinitions";
import { hygieneScenarios } from "./scenarios/hygiene";
import { headerScenarios } from "./scenarios/headers";
import { transportScenarios } from "./scenarios/transport";
import { deleteSession, SECURITY_HEADERS, expectChallenge, expectForwarded, expectRefused, expectRefusedWith, initializeBody, invalidToken, jsonBody, type Scenario } from "./assertions";

export type { Scenario } from "./assertions";
export { expectForwarded, expectRefused, expectRefusedWith } from "./assertions";

export const scenarios: Scenario[] = [
  // ---------- happy path ----------
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
  {
    name: "audit: each request emits one trace and one metric with the decision, never argument values or tokens",
    run: async (h) => {
      const u = newUser();
      const canary = `canary-${u.oid}`;
      const token = h.token(u);
      const ok = await h.post(token, toolCall("get_forecast", { city: canary }));
      expectForwarded(h, ok, u.oid);
      const audit = ok.traces.filter((t) => t.source === "hardened-mcp-gateway");
      expect(audit).toHaveLength(1);
      const event = JSON.parse(audit[0]!.message) as Record<string, unknown>;
      expect(event).toEqual(expect.objectContaining({ decision: "allow", tool: "get_forecast", method: "tools/call", caller: `${TENANT}:${u.oid}`, clientApp: CLIENT_APP }));
      expect(ok.metrics).toHaveLength(1);
      expect(ok.metrics[0]!.dimensions).toEqual(expect.objectContaining({ decision: "allow", tool: "get_forecast" }));
      const denied = await h.post(u, toolCall("get_forecast", { city: canary }), { Origin: "https://evil.example" });
      expect(denied.metrics.map((m) => m.dimensions.decision)).toEqual(["deny:origin"]);
      // The shared refusal fragment: the server from the API's own variable, the status, and only the headers
      // this refusal named (no stray challenge, Allow or Retry-After from the fragment's optional slots).
      expect(denied.metrics[0]!.dimensions).toEqual(expect.objectContaining({ server: "weather", status: "403" }));
      const deniedEvent = JSON.parse(denied.traces.filter((t) => t.source === "hardened-mcp-gateway")[0]!.message) as Record<string, unknown>;
      expect(deniedEvent).toEqual(expect.objectContaining({ server: "weather", status: 403, decision: "deny:origin" }));
      expect({ status: denied.response.status, reason: denied.response.reason }).toEqual({ status: 403, reason: "Forbidden" });
      for (const header of ["www-authenticate", "allow", "retry-after"]) expect(denied.response.headers[header]).toBeUndefined();
      expect(JSON.parse(denied.response.body)).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32003, message: "Origin not allowed." } });
      for (const r of [ok, denied]) {
        const telemetry = JSON.stringify([r.traces, r.metrics]);
        expect(telemetry).not.toContain(canary);
        expect(telemetry).not.toContain(token.split(".")[2]!);
      }
    },
  },
  {
    name: "audit: the session is recorded as a truncated SHA-256, never the raw Mcp-Session-Id",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const digest = createHash("sha256").update(sid, "utf8").digest("hex").slice(0, 16);
      const ok = await h.post(u, rpc("tools/list"), { "Mcp-Session-Id": sid });
      const refused = await h.post(u, rpc("tools/list"), { "Mcp-Session-Id": sid, Origin: "https://evil.example" });
      for (const r of [ok, refused]) {
        const events = r.traces.filter((t) => t.source === "hardened-mcp-gateway").map((t) => JSON.parse(t.message) as Record<string, unknown>);
        expect(events).toHaveLength(1);
        expect(events[0]!.session).toBe(digest);
        expect(JSON.stringify([r.traces, r.metrics])).not.toContain(sid);
      }
      const none = (await h.post(u, rpc("ping"))).traces.filter((t) => t.source === "hardened-mcp-gateway");
      expect((JSON.parse(none[0]!.message) as Record<string, unknown>).session).toBe("");
    },
  },
  {
    name: "audit: metric dimensions never carry attacker-chosen tool names",
    run: async (h) => {
      const junk = `zz${newUser().oid}`;
      const results = [
        await h.post(newUser(), toolCall(junk, {})),
        await h.post(newUser(), toolCall(junk, {}), { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "get_forecast" }),
        await h.post(newUser(["profile.read"]), toolCall(junk, {})),
      ];
      for (const r of results) {
        expect(r.backendRequest).toBeUndefined();
        expect(JSON.stringify(r.metrics)).not.toContain(junk);
      }
    },
  },

  // ---------- parser differentials (F5, F6) ----------
  {
    name: "a capitalised METHOD next to result (a response to the gateway, a tools/call to Go's decoder): 400",
    run: async (h) => {
      const before = h.backendCalls.length;
      const attacks = [
        `{"jsonrpc":"2.0","id":7,"result":{},"METHOD":"tools/call","params":{"name":"delete_all","arguments":{"confirm":"yes"}}}`,
        `{"jsonrpc":"2.0","id":7,"result":{},"Method":"tools/call"}`,
        // A message without a method carrying params, an unknown member, a request that also carries result.
        `{"jsonrpc":"2.0","id":7,"result":{},"params":{"name":"delete_all","arguments":{}}}`,
        `{"jsonrpc":"2.0","id":7,"method":"tools/list","extra":{"name":"delete_all"}}`,
        `{"jsonrpc":"2.0","id":7,"method":"tools/list","result":{}}`,
        // Look-alikes of the params members MCP reads (the approved name is the only exactly spelled one).
        `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_forecast","Arguments":{"city":"Oslo"}}}`,
        `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_forecast","arguments":{},"_META":{}}}`,
      ];
      for (const body of attacks) {
        const r = await h.post(newUser(["tools.read"], ["Tools.Admin"]), body);
        expectRefusedWith(h, r, 400, -32600, "Invalid JSON-RPC 2.0 message.", before);
        expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["deny:invalid"]);
      }
      // A well-formed client response (answer to a server request) still goes through.
      const u = newUser();
      expectForwarded(h, await h.post(u, `{"jsonrpc":"2.0","id":7,"result":{}}`), u.oid);
    },
  },
  {
    name: "exact duplicate property names (JSON.NET keeps the last, a first-wins backend the first): 400",
    run: async (h) => {
      const before = h.backendCalls.length;
      const attacks = [
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_all","name":"get_forecast","arguments":{}}}`,
        // The same name written with an escape is still the same name.
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_all","na\\u006de":"get_forecast","arguments":{}}}`,
        // Values that are not strings (a dropped string value would also upset the date repair's count).
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{"n":1},"argument\\u0073":{"n":2}}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","method":"tools/list","params":{"name":"get_forecast","arguments":{}}}`,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_forecast","arguments":{"city":"Oslo","nested":[{"to":"a","to":"b"}]}}}`,
      ];
      for (const body of attacks) expectRefusedWith(h, await h.post(newUser(), body), 400, -32600, "Invalid JSON-RPC 2.0 message.", before);
      // Equal names in DIFFERENT objects are not duplicates.
      const u = newUser();
      const legit = toolCall("get_forecast", { name: "Oslo", places: [{ name: "a", id: 1 }, { name: "b", id: 2 }], meta: { name: { name: "x" } } });
      const r = await h.post(u, legit);
      expectForwarded(h, r, u.oid);
      expect(JSON.parse(r.backendRequest!.body)).toEqual(legit);
    },
  },

  // ---------- authentication ----------
  {
    name: "no token: 401 with resource_metadata and scope in WWW-Authenticate",
    run: async (h) => {
      const r = await h.post(null, rpc("tools/list"));
      expectRefused(r, 401, -32001);
      expectChallenge(r, false);
    },
  },
  { name: "expired token: 401 invalid_token", run: (h) => invalidToken(h, h.token(newUser(), { lifetimeSeconds: -120 })) },
  { name: "not-yet-valid token: 401 invalid_token", run: (h) => invalidToken(h, h.token(newUser(), { notBeforeOffsetSeconds: 600 })) },
  {
    name: "token from another tenant (signed by the same authority keys): 401",
    run: (h) => invalidToken(h, h.token(newUser(), { tenantId: OTHER_TENANT })),
  },
  {
    name: "token with this tenant's v1 issuer when only v2 is accepted: 401",
    // aud is the client id, which this server accepts: only the issuer pin refuses it.
    run: (h) => invalidToken(h, h.token(newUser(), { version: 1, audience: SERVER_APP_ID })),
  },
  {
    name: "token with a foreign issuer but this tenant's tid claim: 401",
    run: (h) => invalidToken(h, h.token(newUser(), { issuer: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` })),
  },
  { name: "Microsoft Graph token (wrong audience): 401", run: (h) => invalidToken(h, h.token(newUser(), { audience: "https://graph.microsoft.com" })) },
  {
    name: "v2 token carrying the application ID URI as aud (Entra v2 tokens carry the client id): 401",
    run: (h) => invalidToken(h, h.token(newUser(), { audience: RESOURCE })),
  },
  { name: "token for a sibling MCP server (wrong audience): 401", run: (h) => invalidToken(h, h.token(newUser(), { audience: SIBLING_RESOURCE })) },
  {
    name: "unsigned token (alg none): 401",
    run: (h) =>
      invalidToken(h, unsignedToken(claimsFor({ tenantId: TENANT, audience: RESOURCE, clientAppId: CLIENT_APP, oid: newUser().oid, scopes: ["tools.read"], now: h.clock.now }))),
  },
  {
    name: "tampered token (app role added after signing): 401",
    run: (h) => invalidToken(h, tamperedToken(h.token(newUser()), { roles: ["Tools.Admin"] })),
  },
  {
    name: "token signed by the attacker's own key: 401",
    run: async (h) => {
      const attacker = impostorKey(h.key.kid);
      await invalidToken(h, signToken(attacker, claimsFor({ tenantId: TENANT, audience: RESOURCE, clientAppId: CLIENT_APP, oid: newUser().oid, scopes: ["tools.read"], now: h.clock.now })));
    },
  },
  {
    name: "a validly signed token without an object id or client application (ID-token shaped): 401",
    run: async (h) => {
      for (const missing of [["oid", "sub"], ["azp"]]) {
        const claims = claimsFor({ tenantId: TENANT, audience: SERVER_APP_ID, clientAppId: CLIENT_APP, oid: newUser().oid, scopes: ["tools.read"], now: h.clock.now });
        for (const c of missing) delete claims[c];
        const r = await h.post(signToken(h.key, claims), rpc("tools/list"));
        expectRefused(r, 401, -32001);
        expectChallenge(r, true);
      }
    },
  },
  {
    name: "token in the query string: 400 and nothing forwarded, even with a valid header token",
    run: async (h) => {
      const u = newUser();
      const r = await h.post(u, rpc("tools/list"), {}, { query: { access_token: h.token(u) } });
      expectRefused(r, 400, -32600);
    },
  },
  {
    name: "other credentials in the query string (refresh_token, client_secret, assertion): 400, nothing forwarded",
    run: async (h) => {
      const before = h.backendCalls.length;
      for (const name of ["refresh_token", "client_secret", "client_assertion", "Assertion"]) {
        const r = await h.post(newUser(), rpc("tools/list"), {}, { query: { [name]: "secret-value" } });
        expectRefusedWith(h, r, 400, -32600, "The MCP endpoint takes no query string; send credentials only in the Authorization header.", before);
      }
    },
  },
  {
    name: "a session id without a token is not authentication: 401",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const r = await h.post(null, rpc("tools/list"), { "Mcp-Session-Id": sid });
      expectRefused(r, 401, -32001);
    },
  },
  {
    name: "a token without the baseline scope or any tool role: 403 insufficient_scope",
    run: async (h) => {
      const r = await h.post(newUser(["profile.read"]), rpc("tools/list"));
      expectRefused(r, 403, -32003);
      expect(r.response.headers["www-authenticate"]?.[0]).toContain('error="insufficient_scope"');
    },
  },

  // ---------- transport ----------
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

  // ---------- authorization ----------
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

  // ---------- sessions ----------
  {
    name: "another user's session id: 404",
    run: async (h) => {
      const alice = newUser();
      const mallory = newUser();
      const sid = await h.initialize(alice);
      expectRefused(await h.post(mallory, rpc("tools/list"), { "Mcp-Session-Id": sid }), 404, -32004);
    },
  },
  {
    name: "unknown session id: 404",
    run: async (h) => expectRefused(await h.post(newUser(), rpc("tools/list"), { "Mcp-Session-Id": "sess-forged-0000" }), 404, -32004),
  },
  {
    name: "DELETE then reuse of the session: 404",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const del = await deleteSession(h, h.token(u), sid);
      expect(del.response.status).toBe(204);
      expectRefused(await h.post(u, rpc("tools/list"), { "Mcp-Session-Id": sid }), 404, -32004);
    },
  },
  {
    name: "another user cannot DELETE someone's session",
    run: async (h) => {
      const alice = newUser();
      const mallory = newUser();
      const sid = await h.initialize(alice);
      const del = await deleteSession(h, h.token(mallory), sid);
      expectRefused(del, 404, -32004);
      expectForwarded(h, await h.post(alice, rpc("tools/list"), { "Mcp-Session-Id": sid }), alice.oid);
    },
  },

  // ---------- rate limits ----------
  {
    name: "rate limit per user: 429 with Retry-After while another user is unaffected, and it renews",
    run: async (h) => {
      const alice = newUser();
      const bob = newUser();
      for (let i = 0; i < LIMITS.perCaller; i++) expectForwarded(h, await h.post(alice, rpc("ping", undefined, i)), alice.oid);
      const r = await h.post(alice, rpc("ping"));
      expectRefused(r, 429, -32029);
      const retry = Number(r.response.headers["retry-after"]?.[0]);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(LIMITS.periodSeconds);
      expectForwarded(h, await h.post(bob, rpc("ping")), bob.oid);
      h.clock.now += LIMITS.periodSeconds + 1;
      expectForwarded(h, await h.post(alice, rpc("ping")), alice.oid);
    },
  },
  {
    name: "rate limit per user and tool: 429 for that tool only; other tools and users unaffected",
    run: async (h) => {
      const admin = newUser(["tools.read"], ["Tools.Admin"]);
      const other = newUser();
      for (let i = 0; i < LIMITS.perCallerTool; i++) expectForwarded(h, await h.post(admin, toolCall("get_forecast", { city: "Oslo" }, i)), admin.oid);
      const r = await h.post(admin, toolCall("get_forecast", { city: "Oslo" }));
      expectRefused(r, 429, -32029);
      expect(Number(r.response.headers["retry-after"]?.[0])).toBeGreaterThan(0);
      expectForwarded(h, await h.post(admin, toolCall("delete_all", { confirm: "no" })), admin.oid);
      expectForwarded(h, await h.post(other, toolCall("get_forecast", { city: "Oslo" })), other.oid);
    },
  },

  // ---------- content safety ----------
  {
    name: "Prompt Shields reports an attack in an argument: 400, nothing forwarded",
    run: async (h) => {
      const r = await h.post(newUser(), toolCall("get_forecast", { city: "Oslo", note: { nested: [INJECTION] } }));
      expectRefused(r, 400, -32030);
    },
  },
  {
    name: "Content Safety answers 503: fail closed with 503 and Retry-After",
    run: async (h) => {
      h.contentSafety.mode = "down";
      try {
        const r = await h.post(newUser(), toolCall("get_forecast", { city: "Oslo" }));
        expectRefused(r, 503, -32050);
        expect(r.response.headers["retry-after"]).toBeDefined();
      } finally {
        h.contentSafety.mode = "ok";
      }
    },
  },
  {
    name: "Content Safety times out: fail closed with 503",
    run: async (h) => {
      h.contentSafety.mode = "timeout";
      try {
        expectRefused(await h.post(newUser(), toolCall("get_forecast", { city: "Oslo" })), 503, -32050);
      } finally {
        h.contentSafety.mode = "ok";
      }
    },
  },
  {
    name: "arguments longer than one Prompt Shields call are cut into 10K-character documents, one per call",
    run: async (h) => {
      const big = "a".repeat(12_000) + "b".repeat(9_000) + INJECTION;
      const before = h.shieldCalls.length;
      const r = await h.post(newUser(), toolCall("get_forecast", { city: "Oslo", text: big }));
      const docs = h.shieldCalls.slice(before).map((c) => (JSON.parse(c.body) as { documents: string[] }).documents);
      // The params text cut into 10,000-character documents starting every 8,000 characters (2,000 overlap).
      const text = `name: get_forecast\narguments:\ncity: Oslo\ntext: ${big}`;
      expect(docs.map((d) => d.map((x) => x.length))).toEqual([[10_000], [10_000], [text.length - 16_000]]);
      expect(docs[0]![0]! + docs[1]![0]!.slice(2_000) + docs[2]![0]!.slice(2_000)).toBe(text);
      expectRefused(r, 400, -32030);
    },
  },
  {
    name: "eleven short arguments are screened as one text in one Prompt Shields call (not 413), an injection among them refused",
    run: async (h) => {
      const args = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`field${i}`, `value ${i}`]));
      const u = newUser();
      const before = h.shieldCalls.length;
      const r = await h.post(u, toolCall("get_forecast", args));
      expectForwarded(h, r, u.oid);
      const calls = h.shieldCalls.slice(before);
      expect(calls).toHaveLength(2);
      expect((JSON.parse(calls[0]!.body) as { documents: string[] }).documents).toEqual([["name: get_forecast", "arguments:", ...Object.entries(args).map(([k, v]) => `${k}: ${v}`)].join("\n")]);
      const callsBefore = h.backendCalls.length;
      const attack = await h.post(newUser(), toolCall("get_forecast", { ...args, field5: INJECTION }));
      expectRefusedWith(h, attack, 400, -32030, "Request blocked by content safety.", callsBefore);
    },
  },
  {
    name: "arguments needing more Prompt Shields calls than allowed: 413",
    run: async (h) => expectRefused(await h.post(newUser(), toolCall("get_forecast", { text: "z".repeat(45_000) })), 413, -32013),
  },

  // ---------- identity towards the backend ----------
  {
    name: "client-sent identity headers are replaced or removed before the backend",
    run: async (h) => {
      const u = newUser();
      const r = await h.post(u, rpc("tools/list"), {
        "X-MCP-Caller-Oid": "victim-oid",
        "X-MCP-Caller-Roles": "Tools.Admin",
        "X-MS-CLIENT-PRINCIPAL-ID": "victim",
        "X-Forwarded-User": "victim@contoso.com",
        "X-MS-TOKEN-AAD-ACCESS-TOKEN": "stolen",
        Cookie: "session=victim",
      });
      expectForwarded(h, r, u.oid);
      // The gateway's own value (the caller has no roles), never the client's.
      expect((r.backendRequest!.headers["x-mcp-caller-roles"] ?? []).join("")).toBe("");
      expect(r.backendRequest!.headers["x-ms-client-principal-id"]).toBeUndefined();
      expect(r.backendRequest!.headers["x-forwarded-user"]).toBeUndefined();
      expect(r.backendRequest!.headers["x-ms-token-aad-access-token"]).toBeUndefined();
      expect(r.backendRequest!.headers["cookie"]).toBeUndefined();
    },
  },
  {
    name: "look-alike identity headers (X_MCP_Caller_Oid, a trailing space, X-MS-CLIENT-PRINCIPAL-*): 400, nothing forwarded",
    run: async (h) => {
      const before = h.backendCalls.length;
      const lookAlikes: Record<string, string>[] = [
        { X_MCP_Caller_Oid: "victim-oid" },
        { "X-MCP-Caller-Oid ": "victim-oid" },
        { "X-MCP_Caller-Roles": "Tools.Admin" },
        { "XMCP-Caller-Tenant": "victim-tenant" },
        { "X-MCP-Caller-Upn": "victim@contoso.com" },
        { X_MS_CLIENT_PRINCIPAL_ID: "victim" },
        { "X-MS-CLIENT-PRINCIPAL-GROUPS": "admins" },
        { "X-MS-TOKEN-AAD-REFRESH-TOKEN": "stolen" },
        { X_Forwarded_User: "victim@contoso.com" },
      ];
      for (const headers of lookAlikes) {
        const r = await h.post(newUser(), rpc("tools/list"), headers);
        expectRefusedWith(h, r, 400, -32600, "Request header not allowed.", before);
        // A name with a space is not an HTTP token: the header allow-list refuses it before identity is looked at.
        const decision = Object.keys(headers)[0]!.includes(" ") ? "deny:header-name" : "deny:identity-header";
        expect(r.metrics.map((m) => m.dimensions.decision)).toEqual([decision]);
      }
      // Exact names are deleted and replaced (previous scenario); other X-MS- headers (SDK request ids) pass.
      const u = newUser();
      const ok = await h.post(u, rpc("tools/list"), { "x-ms-client-request-id": "0f8fad5b-d9cb-469f-a165-70867728950e", "X-MCP-Caller-Oid": "victim" });
      expectForwarded(h, ok, u.oid);
      expect(ok.backendRequest!.headers["x-ms-client-request-id"]).toEqual(["0f8fad5b-d9cb-469f-a165-70867728950e"]);
    },
  },
  {
    name: "the client's Authorization header never reaches the backend",
    run: async (h) => {
      const u = newUser();
      const clientToken = h.token(u);
      const r = await h.post(clientToken, rpc("tools/list"));
      expectForwarded(h, r, u.oid);
      const sent = JSON.stringify(r.backendRequest);
      expect(sent).not.toContain(clientToken);
      expect(sent).not.toContain(clientToken.split(".")[2]!);
    },
  },
];

scenarios.push(...allowListScenarios, ...toolDefinitionScenarios, ...resultScenarios, ...hygieneScenarios, ...headerScenarios, ...transportScenarios);

export function scenario(name: string): Scenario {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario named ${JSON.stringify(name)}`);
  return s;
}
