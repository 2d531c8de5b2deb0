/**
 * Audit: one trace and one metric per request with the decision, never argument values, tokens, raw session ids
 * or attacker-chosen tool names.
 */
import { createHash } from "node:crypto";
import { expect } from "@jest/globals";
import { CLIENT_APP, TENANT, newUser, rpc, toolCall } from "../fixture";
import { expectForwarded, type Scenario } from "../assertions";

export const auditScenarios: Scenario[] = [
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
];
