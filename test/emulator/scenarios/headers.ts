/**
 * Request headers as an allow-list (issue 10 item 6): names are HTTP tokens, nothing merely resembles a header the
 * gateway reads or deletes, the Streamable HTTP headers carry one value, and Last-Event-ID resumes only a stream of
 * the caller's own session. Each scenario is a real request through the generated policy.
 */
import { expect } from "@jest/globals";
import { newUser, rpc, type Harness, type User } from "../fixture";
import type { EmulatorResult } from "../gateway";
import { expectForwarded, expectRefused, expectRefusedWith, type Scenario } from "../assertions";

const NOT_ALLOWED = "Request header not allowed.";
const LAST_EVENT_ID = "Last-Event-ID is only accepted on GET within a session.";

/** Each header set refused with 400 / -32600, the message and the decision; the backend never called. */
async function expectEachRefused(h: Harness, sets: Record<string, string | string[]>[], decision: string, message = NOT_ALLOWED, sid?: (u: User) => Promise<string>): Promise<void> {
  const before = h.backendCalls.length;
  for (const headers of sets) {
    const u = newUser();
    const session: Record<string, string> = sid ? { "Mcp-Session-Id": await sid(u) } : {};
    const calls = h.backendCalls.length;
    const r = await h.post(u, rpc("tools/list"), { ...session, ...headers });
    expectRefusedWith(h, r, 400, -32600, message, calls);
    expect({ headers, decisions: r.metrics.map((m) => m.dimensions.decision) }).toEqual({ headers, decisions: [decision] });
  }
  if (!sid) expect(h.backendCalls).toHaveLength(before);
}

function getStream(h: Harness, u: User, headers: Record<string, string | string[]>): Promise<EmulatorResult> {
  return h.gw.send({
    method: "GET",
    path: "/weather/mcp",
    headers: { Authorization: `Bearer ${h.token(u)}`, Accept: "text/event-stream", "MCP-Protocol-Version": "2025-11-25", ...headers },
  });
}

export const headerScenarios: Scenario[] = [
  {
    // Not the Kelvin sign: the emulator lowercases names as JavaScript does, which turns U+212A into an ASCII k.
    name: "header names with Unicode look-alike letters (Cyrillic і, dotless ı, long s) are not HTTP tokens: 400",
    run: (h) => expectEachRefused(h, [{ "Mcp-Sess\u0456on-Id": "s" }, { "MCP-Protocol-Vers\u0131on": "2025-11-25" }, { "La\u017Ft-Event-ID": "1" }], "deny:header-name"),
  },
  {
    name: "header names with whitespace or control characters: 400",
    run: (h) => expectEachRefused(h, [{ "Mcp-Session-Id ": "s" }, { " MCP-Protocol-Version": "2025-11-25" }, { "Last-Event-ID\t": "1" }, { "X-HTTP-Method-Override\u0000": "DELETE" }], "deny:header-name"),
  },
  {
    name: "Mcp-Session-Id look-alikes (Mcp_Session_Id, McpSessionId, mcp-session_id): 400, never read as the session",
    run: (h) => expectEachRefused(h, [{ Mcp_Session_Id: "victim-session" }, { McpSessionId: "victim-session" }, { "mcp-session_id": "victim-session" }], "deny:header-lookalike"),
  },
  {
    name: "MCP-Protocol-Version look-alikes (MCP_Protocol_Version, MCPProtocolVersion): 400",
    run: (h) => expectEachRefused(h, [{ MCP_Protocol_Version: "2025-03-26" }, { MCPProtocolVersion: "2025-03-26" }], "deny:header-lookalike"),
  },
  {
    name: "Last-Event-ID look-alikes (Last_Event_ID, LastEventId, last-event_id): 400",
    run: (h) => expectEachRefused(h, [{ Last_Event_ID: "7" }, { LastEventId: "7" }, { "last-event_id": "7" }], "deny:header-lookalike"),
  },
  {
    name: "Mcp-Method / Mcp-Name look-alikes (Mcp_Method, Mcp_Name): 400, nothing routes on an unchecked copy",
    run: (h) => expectEachRefused(h, [{ Mcp_Method: "tools/call" }, { Mcp_Name: "delete_all" }, { McpName: "delete_all" }], "deny:header-lookalike"),
  },
  {
    name: "method-override and forwarding look-alikes (X_HTTP_Method_Override, X-Original_URL, X_Forwarded_Host, For_warded): 400",
    run: (h) =>
      expectEachRefused(
        h,
        [
          { X_HTTP_Method_Override: "DELETE" },
          { "X-HTTP_Method": "PUT" },
          { X_Method_Override: "PATCH" },
          { "X-Original_URL": "/admin" },
          { X_Rewrite_URL: "/admin" },
          { X_Forwarded_Host: "evil.example" },
          { "X-Forwarded_Proto": "http" },
          { For_warded: "host=evil.example" },
        ],
        "deny:header-lookalike",
      ),
  },
  {
    name: "the real headers in any letter case are the headers themselves: the session and version are honoured",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      for (const [session, version] of [["mcp-session-id", "mcp-protocol-version"], ["MCP-SESSION-ID", "Mcp-Protocol-Version"]] as const) {
        const r = await h.gw.send({
          method: "POST",
          path: "/weather/mcp",
          headers: { Authorization: `Bearer ${h.token(u)}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", [session]: sid, [version]: "2025-11-25" },
          body: rpc("tools/list"),
        });
        expectForwarded(h, r, u.oid);
        expect(r.backendRequest!.headers["mcp-session-id"]).toEqual([sid]);
      }
    },
  },
  {
    name: "Mcp-Session-Id sent twice (the gateway would read a,b and a first-wins backend a): 400",
    run: (h) => expectEachRefused(h, [{ "Mcp-Session-Id": ["own-session", "victim-session"] }], "deny:header-duplicate", NOT_ALLOWED, (u) => h.initialize(u)),
  },
  {
    name: "MCP-Protocol-Version sent twice, or as a comma-joined list: 400",
    run: (h) => expectEachRefused(h, [{ "MCP-Protocol-Version": ["2025-11-25", "2025-03-26"] }, { "MCP-Protocol-Version": "2025-11-25,2025-03-26" }], "deny:header-duplicate"),
  },
  {
    name: "a comma-joined Mcp-Session-Id or Last-Event-ID (own id, then another): 400",
    run: async (h) => {
      await expectEachRefused(h, [{ "Mcp-Session-Id": "own,victim" }], "deny:header-duplicate");
      const u = newUser();
      const sid = await h.initialize(u);
      const before = h.backendCalls.length;
      const r = await getStream(h, u, { "Mcp-Session-Id": sid, "Last-Event-ID": ["5", "9"] });
      expectRefusedWith(h, r, 400, -32600, NOT_ALLOWED, before);
    },
  },
  {
    name: "Last-Event-ID on POST (streams resume on GET only): 400",
    run: (h) => expectEachRefused(h, [{ "Last-Event-ID": "stream-1_4" }], "deny:last-event-id", LAST_EVENT_ID, (u) => h.initialize(u)),
  },
  {
    name: "Last-Event-ID on DELETE: 400, the session stays",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const before = h.backendCalls.length;
      const r = await h.gw.send({ method: "DELETE", path: "/weather/mcp", headers: { Authorization: `Bearer ${h.token(u)}`, "Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25", "Last-Event-ID": "1" } });
      expectRefusedWith(h, r, 400, -32600, LAST_EVENT_ID, before);
      expectForwarded(h, await h.post(u, rpc("tools/list"), { "Mcp-Session-Id": sid }), u.oid);
    },
  },
  {
    name: "Last-Event-ID on a GET without a session (nothing binds the replayed events to the caller): 400",
    run: async (h) => {
      const before = h.backendCalls.length;
      const r = await getStream(h, newUser(), { "Last-Event-ID": "stream-1_4" });
      expectRefusedWith(h, r, 400, -32600, LAST_EVENT_ID, before);
      expect(r.metrics.map((m) => m.dimensions.decision)).toEqual(["deny:last-event-id"]);
    },
  },
  {
    name: "Last-Event-ID on a GET of another caller's session: 404, nothing replayed",
    run: async (h) => {
      const victim = newUser();
      const sid = await h.initialize(victim);
      const r = await getStream(h, newUser(), { "Mcp-Session-Id": sid, "Last-Event-ID": "stream-1_4" });
      expectRefused(r, 404, -32004);
    },
  },
  {
    name: "Last-Event-ID on a GET of the caller's own session resumes the stream",
    run: async (h) => {
      const u = newUser();
      const sid = await h.initialize(u);
      const r = await getStream(h, u, { "Mcp-Session-Id": sid, "Last-Event-ID": "stream-1_4" });
      expectForwarded(h, r, u.oid);
      expect(r.backendRequest!.method).toBe("GET");
      expect(r.backendRequest!.headers["last-event-id"]).toEqual(["stream-1_4"]);
    },
  },
];
