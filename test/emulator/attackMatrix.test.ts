/**
 * Runs the kit's own generated APIM policies (global + MCP API) in the offline emulator against the attack
 * matrix: every attack must be refused and every legitimate call must reach the backend with the gateway's
 * own credential. One emulator (one mono host) for the file; scenarios use distinct users.
 */
import { CONTENT_SAFETY, INJECTION, createHarness, newUser, settingsInput, toolCall, type Harness } from "./fixture";
import { expectForwarded, expectRefused, scenarios } from "./matrix";

jest.setTimeout(60_000);

describe("attack matrix against the generated MCP API policy", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it("has at least 30 scenarios", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  for (const s of scenarios) {
    it(s.name, () => s.run(h));
  }
});

describe("Content Safety fail-open (explicit weakening)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ input: settingsInput({ contentSafety: { endpoint: CONTENT_SAFETY, failOpen: true } }) });
  });
  afterAll(() => h?.close());

  it("lets the call through when Content Safety is down, only because failOpen is set", async () => {
    h.contentSafety.mode = "down";
    const u = newUser();
    expectForwarded(h, await h.post(u, toolCall("get_forecast", { city: "Oslo" })), u.oid);
  });

  it("still refuses a detected attack", async () => {
    h.contentSafety.mode = "ok";
    expectRefused(await h.post(newUser(), toolCall("get_forecast", { city: INJECTION })), 400, -32030);
  });
});
