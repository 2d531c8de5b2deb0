/**
 * Runs the kit's own generated APIM policies (global + MCP API) in the offline emulator against the attack
 * matrix: every attack must be refused and every legitimate call must reach the backend with the gateway's
 * own credential. One emulator (one mono host) for the file; scenarios use distinct users.
 */
import { buildGlobalPolicy, buildPrmPolicy, resolveMcpPolicySettings } from "../../infra/gateway/policy";
import { GatewayEmulator } from "./gateway";
import { CONTENT_SAFETY, HOST, INJECTION, PRM_URL, RESOURCE, TENANT, createHarness, newUser, settingsInput, toolCall, type Harness } from "./fixture";
import { expectForwarded, expectRefused, scenarios } from "./matrix";


describe("attack matrix against the generated MCP API policy", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it("has at least 120 scenarios, each named once", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(120);
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
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

describe("HTTP method allowlist in the policy itself (if the API ever routes every method)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ wildcardOperation: true });
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
  // As McpServerApi declares it: an anonymous API at .well-known/oauth-protected-resource/<server>, one GET
  // operation /mcp, the PRM policy at operation scope (no <base/>), under the kit's global policy.
  const prm = new URL(PRM_URL);
  const apiPath = prm.pathname.replace(/^\//, "").replace(/\/mcp$/, "");
  let gw: GatewayEmulator;
  const backendCalls: unknown[] = [];
  beforeAll(async () => {
    gw = new GatewayEmulator({
      documents: { global: buildGlobalPolicy(), operation: buildPrmPolicy(resolveMcpPolicySettings(settingsInput())) },
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
    await gw.start();
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
