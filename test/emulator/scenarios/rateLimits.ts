/**
 * Rate limits per caller and per caller + tool: 429 with Retry-After for that bucket only, renewed after the period.
 */
import { expect } from "@jest/globals";
import { LIMITS, newUser, rpc, toolCall } from "../fixture";
import { expectForwarded, expectRefused, type Scenario } from "../assertions";

export const rateLimitScenarios: Scenario[] = [
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
];
