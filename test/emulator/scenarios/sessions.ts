/**
 * Sessions: another user's or an unknown session id is 404, DELETE ends the binding, and only the owner may DELETE.
 */
import { expect } from "@jest/globals";
import { newUser, rpc } from "../fixture";
import { deleteSession, expectForwarded, expectRefused, type Scenario } from "../assertions";

export const sessionScenarios: Scenario[] = [
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
];
