import { DefaultAzureCredential } from "@azure/identity";
import { describeIf, smokePrerequisite } from "./prerequisites";
import {
  fetchProtectedResourceMetadata,
  GatewayTarget,
  initializeWithoutToken,
  initializeWithQueryToken,
  initializeWithToken,
  targetOf,
} from "./gatewayProbe";

/**
 * Smoke test of a live gateway. Point it at a deployment:
 *   HARDENED_MCP_GATEWAY_URL=https://... HARDENED_MCP_SERVER=weather npx jest test/live/smoke
 * With HARDENED_MCP_SMOKE_SCOPE (e.g. "https://mcp.contoso.com/weather/mcp/.default") it also signs in with
 * DefaultAzureCredential and expects a session.
 */
describeIf(smokePrerequisite(), "live gateway smoke test")("live gateway smoke test", () => {
  const target: GatewayTarget = targetOf(process.env.HARDENED_MCP_GATEWAY_URL ?? "", process.env.HARDENED_MCP_SERVER ?? "");

  it("serves protected-resource metadata without authentication", async () => {
    const res = await fetchProtectedResourceMetadata(target);
    expect(res.status).toBe(200);
    const prm = JSON.parse(res.body) as { resource: string; authorization_servers: string[]; bearer_methods_supported: string[] };
    expect(prm.resource.endsWith("/")).toBe(false);
    expect(prm.authorization_servers).toHaveLength(1);
    expect(prm.authorization_servers[0]).toMatch(/^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}\/v2\.0$/);
    expect(prm.bearer_methods_supported).toEqual(["header"]);
  });

  it("refuses a call without a token with a discovery challenge", async () => {
    const res = await initializeWithoutToken(target);
    expect(res.status).toBe(401);
    const challenge = res.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain(`resource_metadata="${target.prmUrl}"`);
    expect(challenge).toContain("scope=");
    expect(res.headers.get("server")).toBeNull();
  });

  it("refuses a token in the query string", async () => {
    const res = await initializeWithQueryToken(target);
    expect(res.status).toBe(400);
  });

  const scope = process.env.HARDENED_MCP_SMOKE_SCOPE;
  (scope ? it : it.skip)("opens a session for a signed-in caller", async () => {
    const token = await new DefaultAzureCredential().getToken(scope ?? "");
    const res = await initializeWithToken(target, token.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeTruthy();
  });
});
