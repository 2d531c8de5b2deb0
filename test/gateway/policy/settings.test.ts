import { defaultPrmUrl, KNOWN_MCP_PROTOCOL_VERSIONS, McpPolicySettingsError, resolveMcpPolicyOptions, resolveMcpPolicySettings } from "../../../infra/gateway/policy";
import { input, settings, RESOURCE } from "./fixtures";

function errorOf(fn: () => unknown): McpPolicySettingsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof McpPolicySettingsError) return e;
    throw e;
  }
  throw new Error("expected a McpPolicySettingsError");
}

describe("resolveMcpPolicySettings defaults", () => {
  const s = settings();
  it("applies secure defaults in one place", () => {
    expect(s.prmUrl).toBe("https://mcp.contoso.com/.well-known/oauth-protected-resource/weather");
    expect(s.scopes).toEqual(["tools.read"]);
    expect(s.allowedOrigins).toEqual([]);
    expect(s.allowedProtocolVersions).toEqual([...KNOWN_MCP_PROTOCOL_VERSIONS]);
    expect(s.allowMissingProtocolVersion).toBe(false);
    expect(s.contentSafety).toMatchObject({ enabled: true, failOpen: false });
    expect(s.clockSkewSeconds).toBe(60);
    expect(s.acceptedTokenVersions).toEqual([2]);
    expect(s.applicationIdUri).toBe(RESOURCE);
    expect(s.gatewayTierFamily).toBe("v2");
    expect(s.clientAppQuota).toEqual({ calls: 3000, renewalPeriodSeconds: 300 });
    expect(s.sharedClientAppQuota).toBe(false);
    expect(s.maxBodyBytes).toBe(262144);
    expect(s.perCallerRateLimit.renewalPeriodSeconds).toBeLessThanOrEqual(300);
    expect(s.allowedMethods).toEqual([
      "initialize",
      "notifications/initialized",
      "notifications/cancelled",
      "notifications/progress",
      "notifications/roots/list_changed",
      "ping",
      "server/discover",
      "subscriptions/listen",
      "tools/list",
      "tools/call",
    ]);
    expect(s.refusalFragmentId).toBe("mcp-refusal");
    expect(s.metricNamespace).toBe("hardened-mcp");
  });
  it("caps maxBodyBytes at what the tier buffers (2 MiB on v2, 4 MiB on classic), naming the setting, the problem and the fix", () => {
    expect(settings({ maxBodyBytes: 2097152 }).maxBodyBytes).toBe(2097152);
    const e = errorOf(() => resolveMcpPolicySettings(input({ maxBodyBytes: 2097153 })));
    expect(e.setting).toBe("maxBodyBytes");
    expect(e.message).toBe(
      "MCP gateway policy setting 'maxBodyBytes': 2097153 is over 2097152, the most a v2-tier gateway buffers to read a request body. Fix: set at most 2097152 (the default, 262144, fits every MCP message a client sends).",
    );
    expect(errorOf(() => resolveMcpPolicySettings(input({ maxBodyBytes: 4 * 1024 * 1024 }))).setting).toBe("maxBodyBytes");
    expect(settings({ gatewayTierFamily: "classic", maxBodyBytes: 4194304 }).maxBodyBytes).toBe(4194304);
    expect(errorOf(() => resolveMcpPolicySettings(input({ gatewayTierFamily: "classic", maxBodyBytes: 4194305 }))).message).toContain("is over 4194304, the most a classic-tier gateway buffers");
  });

  it("normalizes tools to explicit scope and role lists", () => {
    expect(s.tools).toEqual([
      { name: "get_forecast", scopes: ["tools.read"], roles: [], definitionSha256: "" },
      { name: "admin_reset", scopes: [], roles: ["Weather.Admin"], definitionSha256: "" },
    ]);
  });
  it("derives the RFC 9728 path-suffixed PRM URL", () => {
    expect(defaultPrmUrl("https://h.example/a/b")).toBe("https://h.example/.well-known/oauth-protected-resource/a/b");
  });
});

describe("resolveMcpPolicySettings validation names the setting, the problem and the fix", () => {
  const cases: [string, Parameters<typeof input>[0], string][] = [
    ["multi-tenant authority", { tenantId: "common" }, "tenantId"],
    ["organizations authority", { tenantId: "organizations" }, "tenantId"],
    ["http resource", { resource: "http://mcp.contoso.com/weather" }, "resource"],
    ["trailing slash", { resource: RESOURCE + "/" }, "resource"],
    ["resource path != apiPath", { apiPath: "other" }, "resource"],
    ["an identifier-URI audience with v2 tokens only (Entra v2 tokens carry the client ID)", { audiences: ["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "api://x"] }, "audiences[1]"],
    ["the resource as an audience with v2 tokens only", { audiences: [RESOURCE, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"] }, "audiences[0]"],
    ["audiences without a client id", { audiences: [RESOURCE], acceptedTokenVersions: [1, 2] }, "audiences"],
    ["tool without permission", { tools: [{ name: "t" }] }, "tools[0]"],
    ["bad tool name", { tools: [{ name: "rm -rf", scopes: ["a"] }] }, "tools[0].name"],
    ["duplicate tool", { tools: [{ name: "a", scopes: ["s"] }, { name: "a", scopes: ["s"] }] }, "tools[1].name"],
    ["no tools", { tools: [] }, "tools"],
    ["broad baseline scope", { scopes: ["user_impersonation"] }, "scopes[0]"],
    ["wildcard scope", { scopes: ["*"] }, "scopes[0]"],
    ["origin with a path", { allowedOrigins: ["https://app.contoso.com/x"] }, "allowedOrigins[0]"],
    ["CORS without origins", { enableCors: true }, "enableCors"],
    ["http origin", { allowedOrigins: ["http://app.contoso.com"] }, "allowedOrigins[0]"],
    ["pre-2025-06-18 version", { allowedProtocolVersions: ["2025-03-26"] }, "allowedProtocolVersions[0]"],
    ["rate window over 300 s", { perCallerRateLimit: { calls: 10, renewalPeriodSeconds: 301 } }, "perCallerRateLimit.renewalPeriodSeconds"],
    ["zero calls", { perCallerToolRateLimit: { calls: 0, renewalPeriodSeconds: 60 } }, "perCallerToolRateLimit.calls"],
    ["content safety without endpoint", { contentSafety: {} }, "contentSafety.endpoint"],
    ["content safety over http", { contentSafety: { endpoint: "http://cs.example.com" } }, "contentSafety.endpoint"],
    ["backend audience = gateway audience", { backend: { backendId: "b", audience: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", gatewayIdentityClientId: "99999999-2222-3333-4444-555555555555" } }, "backend.audience"],
    ["identity client id not a GUID", { backend: { backendId: "b", audience: "api://b", gatewayIdentityClientId: "uai" } }, "backend.gatewayIdentityClientId"],
    ["client app id not a GUID", { allowedClientAppIds: ["vscode"] }, "allowedClientAppIds[0]"],
    ["refusal fragment id with a named-value reference", { refusalFragmentId: "{{secret}}" }, "refusalFragmentId"],
    ["refusal fragment id ending in a dash", { refusalFragmentId: "mcp-refusal-" }, "refusalFragmentId"],
    ["named-value injection in an audience", { audiences: [RESOURCE, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "api://x/{{secret}}"], acceptedTokenVersions: [1, 2] }, "audiences[2]"],
    ["quote in a backend audience", { backend: { backendId: "b", audience: 'api://b"x', gatewayIdentityClientId: "99999999-2222-3333-4444-555555555555" } }, "backend.audience"],
    ["expression in a scope", { scopes: ["@(context.Request)"] }, "scopes[0]"],
    ["named-value injection in a role", { tools: [{ name: "a", roles: ["{{x}}"] }] }, "tools[0].roles[0]"],
    ["skew over 300 s", { clockSkewSeconds: 600 }, "clockSkewSeconds"],
    ["a pin that is not a SHA-256", { tools: [{ name: "a", scopes: ["s"], definitionSha256: "sha256:abc" }] }, "tools[0].definitionSha256"],
    ["an unknown drift handling", { toolDrift: "ignore" as "remove" }, "toolDrift"],
    ["result screening without Content Safety", { contentSafety: { enabled: false }, resultScreening: "block" }, "resultScreening"],
    ["a method MCP does not define", { allowedMethods: ["initialize", "tools/call", "tools/delete"] }, "allowedMethods[2]"],
    ["resources without per-item authorization", { allowedMethods: ["tools/call", "resources/read"] }, "allowedMethods[1]"],
    ["prompts without per-item authorization", { allowedMethods: ["tools/call", "prompts/get"] }, "allowedMethods[1]"],
    ["completion without per-item authorization", { allowedMethods: ["completion/complete", "tools/call"] }, "allowedMethods[0]"],
    ["a task method", { allowedMethods: ["tools/call", "tasks/result"] }, "allowedMethods[1]"],
    ["app limit window over 300 s on v2", { clientAppQuota: { calls: 10, renewalPeriodSeconds: 3600 } }, "clientAppQuota.renewalPeriodSeconds"],
    ["quota window under 300 s on classic", { gatewayTierFamily: "classic", clientAppQuota: { calls: 10, renewalPeriodSeconds: 60 } }, "clientAppQuota.renewalPeriodSeconds"],
    ["application ID URI not an audience with v1 tokens accepted", { applicationIdUri: "api://other", audiences: [RESOURCE, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"], acceptedTokenVersions: [1, 2] }, "applicationIdUri"],
    ["application ID URI that is no identifier URI", { applicationIdUri: "urn:x" }, "applicationIdUri"],
  ];
  it.each(cases)("%s", (_name, overrides, setting) => {
    const e = errorOf(() => resolveMcpPolicySettings(input(overrides)));
    expect(e.setting).toBe(setting);
    expect(e.message).toMatch(new RegExp(`^MCP gateway policy setting '${setting.replace(/[[\].]/g, "\\$&")}': .+\\. Fix: .+\\.$`));
  });

  it("accepts Prompt Shields disabled only when asked explicitly", () => {
    expect(settings({ contentSafety: { enabled: false } }).contentSafety.enabled).toBe(false);
  });
});

describe("resolveMcpPolicyOptions: the options alone, before any deployment value exists", () => {
  const options = {
    serverName: "weather",
    tools: [{ name: "get_forecast", roles: ["forecast.read"] }],
    contentSafety: { failOpen: false },
  };

  it("resolves without a tenant, audience, resource, scope or backend, to what the full settings hold", () => {
    const o = resolveMcpPolicyOptions(options);
    expect(o).toMatchObject({
      serverName: "weather",
      maxBodyBytes: 262144,
      perCallerRateLimit: { calls: 120, renewalPeriodSeconds: 60 },
      sessionTtlSeconds: 3600,
      contentSafety: { enabled: true, failOpen: false, timeoutSeconds: 5, maxRequests: 4 },
      backend: { timeoutSeconds: 120 },
      resultScreening: "block",
      metricNamespace: "hardened-mcp",
      refusalFragmentId: "mcp-refusal",
    });
    expect(Object.keys(o)).not.toEqual(expect.arrayContaining(["tenantId"]));
    // The full resolution starts from the same options: every option field agrees.
    const full = settings();
    const same = resolveMcpPolicyOptions({ ...input(), backend: { timeoutSeconds: full.backend.timeoutSeconds } });
    for (const [key, value] of Object.entries(same)) {
      if (key === "contentSafety" || key === "backend") expect(full[key]).toMatchObject(value as object);
      else expect([key, full[key as keyof typeof full]]).toEqual([key, value]);
    }
  });

  it("refuses a bad option with its own field, and needs no stand-in for what only the deployment knows", () => {
    expect(errorOf(() => resolveMcpPolicyOptions({ ...options, maxBodyBytes: 3 * 1024 * 1024 })).message).toMatch(/maxBodyBytes.*3145728 is over 2097152/);
    expect(errorOf(() => resolveMcpPolicyOptions({ ...options, tools: [] })).message).toMatch(/tools.*is empty/);
    expect(errorOf(() => resolveMcpPolicyOptions({ ...options, contentSafety: { enabled: false }, resultScreening: "block" })).message).toMatch(
      /resultScreening.*Content Safety is disabled/,
    );
  });
});
