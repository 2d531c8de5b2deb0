/**
 * Runs the kit's own generated APIM policies (global + MCP API) in the offline emulator against the attack
 * matrix: every attack must be refused and every legitimate call must reach the backend with the gateway's
 * own credential. Then the mutation test of the matrix itself (a test that cannot fail is a defect): each
 * mutation (mutants/) weakens the generated policy the way a plausible regression would, and the scenarios it
 * names must then fail. Those scenarios must pass on the unmutated policy (their run in the matrix above, reused),
 * so a mutation cannot be "killed" by a scenario that fails anyway.
 *
 * Cost: every expression of the unmutated policy, every mutant and the variants below compiles in ONE mcs run
 * (cached by the documents' text in the temp folder, see pool.ts), and ONE mono host evaluates them all; each mutant gets a fresh emulator
 * (its own documents, counters and cache) on that host, and runs only the scenarios it names. Scenarios use
 * distinct users.
 */
import { buildGlobalPolicy, buildPrmPolicy, resolveMcpPolicySettings } from "../../infra/gateway/policy";
import type { ExpressionPool } from "../support/apim/expressions";
import { GatewayEmulator, type EmulatorDocuments } from "./gateway";
import { CONTENT_SAFETY, HOST, INJECTION, PRM_URL, RESOURCE, TENANT, createHarness, harnessDocuments, newUser, settingsInput, toolCall, type Harness, type HarnessOptions } from "./fixture";
import { ExpressionHostProcess } from "./host";
import { expectForwarded, expectRefused, scenario, scenarios, type Scenario } from "./matrix";
import { applyMutation, mutations, type Mutation } from "./mutants";
import { documentSetsPool } from "./pool";

const FAIL_OPEN: HarnessOptions = { input: settingsInput({ contentSafety: { endpoint: CONTENT_SAFETY, failOpen: true } }) };
const WILDCARD: HarnessOptions = { wildcardOperation: true };
const mutantOptions = (m: Mutation): HarnessOptions => ({ mutate: (d) => applyMutation(m, d) });
// As McpServerApi declares it: an anonymous API at .well-known/oauth-protected-resource/<server>, one GET
// operation /mcp, the PRM policy at operation scope (no <base/>), under the kit's global policy.
const PRM_DOCUMENTS: EmulatorDocuments = { global: buildGlobalPolicy(), operation: buildPrmPolicy(resolveMcpPolicySettings(settingsInput())) };

let pool: ExpressionPool;
let host: ExpressionHostProcess;
let unmutated: Harness;
beforeAll(async () => {
  // A mutation whose text is not found throws here and fails the file (update the mutation, do not delete it).
  pool = documentSetsPool([
    ...[{}, FAIL_OPEN, WILDCARD, ...mutations.map(mutantOptions)].map(harnessDocuments).map((d) => ({ documents: d.docs, namedValues: d.namedValues })),
    { documents: PRM_DOCUMENTS, namedValues: {} },
  ]);
  host = new ExpressionHostProcess(pool.assemblyPath);
  unmutated = await createHarness({ pool, host });
});
afterAll(() => host?.close());

/** Each scenario's run on the unmutated policy, once per file (the matrix test and the mutants' check share it). */
const unmutatedRuns = new Map<string, Promise<void>>();
const onUnmutated = (s: Scenario): Promise<void> => {
  let run = unmutatedRuns.get(s.name);
  if (run === undefined) unmutatedRuns.set(s.name, (run = s.run(unmutated)));
  return run;
};

/** "pass", or the first lines of the scenario's failure. */
async function outcome(run: () => Promise<void>): Promise<string> {
  try {
    await run();
    return "pass";
  } catch (e) {
    return (e as Error).message.split("\n").slice(0, 3).join(" ");
  }
}

describe("attack matrix against the generated MCP API policy", () => {
  it("has at least 120 scenarios, each named once", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(120);
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  });

  for (const s of scenarios) {
    it(s.name, () => onUnmutated(s));
  }
});

describe("mutations of the generated policy are caught by the attack matrix", () => {
  it("has at least 70 mutations, each named once", () => {
    expect(mutations.length).toBeGreaterThanOrEqual(70);
    expect(new Set(mutations.map((m) => m.name)).size).toBe(mutations.length);
  });

  for (const m of mutations) {
    it(`${m.name}: killed by ${m.killedBy.length} scenario(s)`, async () => {
      const killers = m.killedBy.map(scenario);
      for (const s of killers) expect({ scenario: s.name, unmutated: await outcome(() => onUnmutated(s)) }).toEqual({ scenario: s.name, unmutated: "pass" });
      const mutant = await createHarness({ ...mutantOptions(m), pool, host });
      try {
        for (const s of killers) expect({ scenario: s.name, mutated: (await outcome(() => s.run(mutant))) === "pass" ? "survived" : "killed" }).toEqual({ scenario: s.name, mutated: "killed" });
      } finally {
        mutant.close();
      }
    });
  }
});

describe("Content Safety fail-open (explicit weakening)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ ...FAIL_OPEN, pool, host });
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

describe("HTTP method allowlist in the policy itself (if the API ever routes every method)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ ...WILDCARD, pool, host });
  });
  afterAll(() => h?.close());

  it("answers PUT and PATCH with 405 and an Allow header, nothing forwarded", async () => {
    for (const method of ["PUT", "PATCH"]) {
      const r = await h.gw.send({ method, path: "/weather/mcp", headers: { Authorization: `Bearer ${h.token(newUser())}`, "Content-Type": "application/json" }, body: "{}" });
      expectRefused(r, 405, -32600);
      expect(r.response.headers["allow"]).toEqual(["POST, GET, DELETE"]);
    }
  });
});

describe("Protected Resource Metadata operation (RFC 9728)", () => {
  const prm = new URL(PRM_URL);
  const apiPath = prm.pathname.replace(/^\//, "").replace(/\/mcp$/, "");
  let gw: GatewayEmulator;
  const backendCalls: unknown[] = [];
  beforeAll(async () => {
    gw = new GatewayEmulator({
      documents: PRM_DOCUMENTS,
      namedValues: {},
      gatewayHost: HOST,
      api: { id: "mcp-weather-prm", name: "mcp-weather-prm", path: apiPath },
      operations: [{ id: "get-metadata", method: "GET", urlTemplate: "/mcp" }],
      backends: {},
      signingKeys: [],
      backend: (r) => {
        backendCalls.push(r);
        return { status: 500 };
      },
      clock: { now: 1_900_000_000 },
    });
    await gw.start(pool, host);
  });
  afterAll(() => gw?.stop());

  it("is served without a token at the URL the 401 challenge advertises, with only header bearer and baseline scopes", async () => {
    expect(prm.host).toBe(HOST);
    const r = await gw.send({ method: "GET", path: prm.pathname });
    expect(r.response.status).toBe(200);
    expect(r.response.headers["content-type"]).toEqual(["application/json"]);
    expect(r.response.headers["cache-control"]).toBeDefined();
    expect(JSON.parse(r.response.body)).toEqual({
      resource: RESOURCE,
      authorization_servers: [`https://login.microsoftonline.com/${TENANT}/v2.0`],
      scopes_supported: [`${RESOURCE}/tools.read`],
      bearer_methods_supported: ["header"],
    });
    expect(backendCalls).toHaveLength(0);
  });
});
