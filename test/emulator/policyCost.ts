/**
 * What the generated policy adds to one request, in the emulator (for `npm run bench`, issue 10 item 7): the wall
 * time of a request whose backend and Content Safety answer at once, so all of it is the policy (parsing, checks,
 * C# evaluation in mono, screening bodies). Request bodies of 1 KB, 100 KB and 1 MB go through the strict parse (a
 * `ping` carrying `_meta` padding: nothing else reads it), and `tools/call` results of the same sizes come back with
 * result screening on (`block`) and off. Emulator milliseconds are not API Management's: compare them with each
 * other (what a size or screening adds), not with a deployed gateway.
 */
import { createHarness, newUser, rpc, settingsInput, toolCall, type Harness } from "./fixture";

export const POLICY_COST_SIZES = { "1 KB": 1024, "100 KB": 100 * 1024, "1 MB": 1024 * 1024 } as const;
export type PolicyCostSize = keyof typeof POLICY_COST_SIZES;

export interface PolicyCost {
  /** Median ms per request, by request body size (strict parse, no screening of a ping). */
  readonly requestBody: Record<PolicyCostSize, number>;
  /** Median ms per tools/call, by result size, with result screening on and off. */
  readonly result: Record<"screened" | "unscreened", Record<PolicyCostSize, number>>;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(runs: number, send: () => Promise<{ response: { status: number } }>, expectStatus: number[]): Promise<number> {
  await send(); // warm: the first request loads the compiled expressions
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = await send();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (!expectStatus.includes(r.response.status)) throw new Error(`policy cost: unexpected status ${r.response.status}`);
  }
  return median(times);
}

/** A tools/call answered with `chars` characters of plain text (the fake backend answers at once). */
async function resultCost(h: Harness, chars: number, runs: number): Promise<number> {
  const text = "The forecast is sunny. ".repeat(Math.ceil(chars / 23)).slice(0, chars);
  return timed(
    runs,
    () => {
      h.backendScript.next = { status: 200, headers: { "Content-Type": "application/json" }, body: { jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text }] } } };
      // Each call by a fresh user: the per-caller limits never interfere with the measurement.
      return h.post(newUser(), toolCall("get_forecast", { city: "Oslo" }));
    },
    // 200 when the result is screened clean or not screened; a result too long to screen is blocked (still 200 with an error body, or 502).
    [200, 502],
  );
}

export async function measurePolicyCost(runs: number): Promise<PolicyCost> {
  const sizes = Object.keys(POLICY_COST_SIZES) as PolicyCostSize[];
  const limits = { perCallerRateLimit: { calls: 1_000_000, renewalPeriodSeconds: 60 }, clientAppQuota: { calls: 1_000_000, renewalPeriodSeconds: 300 } };
  const screened = await createHarness({ input: settingsInput({ ...limits, maxBodyBytes: 2 * 1024 * 1024 }) });
  const unscreened = await createHarness({ input: settingsInput({ ...limits, resultScreening: "off" }) });
  try {
    const requestBody = {} as Record<PolicyCostSize, number>;
    for (const size of sizes) {
      const padding = "x".repeat(POLICY_COST_SIZES[size] - 120);
      requestBody[size] = await timed(runs, () => screened.post(newUser(), rpc("ping", { _meta: { padding } })), [200]);
    }
    const result = { screened: {} as Record<PolicyCostSize, number>, unscreened: {} as Record<PolicyCostSize, number> };
    for (const size of sizes) {
      result.screened[size] = await resultCost(screened, POLICY_COST_SIZES[size], runs);
      result.unscreened[size] = await resultCost(unscreened, POLICY_COST_SIZES[size], runs);
    }
    return { requestBody, result };
  } finally {
    screened.close();
    unscreened.close();
  }
}
