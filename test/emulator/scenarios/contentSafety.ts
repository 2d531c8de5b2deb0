/**
 * Content Safety on requests: Prompt Shields verdicts, fail closed when it is down or slow, documents cut with
 * overlap, many arguments in one text, and 413 beyond the calls allowed.
 */
import { expect } from "@jest/globals";
import { INJECTION, newUser, toolCall } from "../fixture";
import { expectForwarded, expectRefused, expectRefusedWith, type Scenario } from "../assertions";

export const contentSafetyScenarios: Scenario[] = [
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
];
