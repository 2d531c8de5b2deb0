/**
 * Parser differentials (FINDINGS F5, F6): envelope members a backend's decoder would read differently, and exact
 * duplicate property names.
 */
import { expect } from "@jest/globals";
import { newUser, toolCall } from "../fixture";
import { expectForwarded, expectRefusedWith, type Scenario } from "../assertions";

export const parserDifferentialScenarios: Scenario[] = [
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
];
