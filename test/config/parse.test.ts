import { ConfigError } from "../../infra/config/errors";
import { parsePlatformConfig } from "../../infra/config/parse";
import { rawPlatformConfig } from "../../infra/config/stackConfig";

const minimal = {
  location: "westeurope",
  tenantId: "00000000-0000-0000-0000-000000000000",
  gateway: { publisherEmail: "ops@contoso.com", publisherName: "Contoso" },
  servers: [
    {
      name: "weather",
      image: `contoso.azurecr.io/mcp/weather@sha256:${"a".repeat(64)}`,
      registry: { server: "contoso.azurecr.io", resourceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared-acr/providers/Microsoft.ContainerRegistry/registries/contoso" },
      tools: [{ name: "forecast", roles: ["Weather.Read"] }],
    },
  ],
};

describe("servers[].serveAuthServerMetadata", () => {
  it("passes true through to the server's settings (McpServerApi serveAuthServerMetadata)", () => {
    const s = parsePlatformConfig({ ...minimal, servers: [{ ...minimal.servers[0], serveAuthServerMetadata: true }] }, { project: "hardened-mcp", stack: "prod" });
    expect(s.servers[0]!.serveAuthServerMetadata).toBe(true);
  });

  it("refuses a value that is not a boolean, naming the setting and the fix", () => {
    let e: unknown;
    try {
      parsePlatformConfig({ ...minimal, servers: [{ ...minimal.servers[0], serveAuthServerMetadata: "yes" }] }, { project: "hardened-mcp", stack: "prod" });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toContain(`hardened-mcp:servers[0].serveAuthServerMetadata: "yes" is a string, expected boolean.`);
    expect((e as Error).message).toContain("set true for the gateway to publish authorization server metadata");
  });
});

describe("parsePlatformConfig defaults", () => {
  const s = parsePlatformConfig(minimal, { project: "hardened-mcp", stack: "prod" });

  it("applies the secure defaults when nothing is set", () => {
    expect(s.contentSafety).toEqual({ enabled: true, failOpen: false, location: "westeurope" });
    expect(s.gateway).toMatchObject({ sku: "StandardV2", capacity: 1, virtualNetworkMode: "External" });
    expect(s.gatewayNetworkMode).toBe("integration");
    expect(s.entra).toEqual({ mode: "create", preAuthorizedClientIds: [], allowedClientAppIds: [] });
    expect(s.servers[0]).toMatchObject({ allowTagOnlyImages: false, port: 8080, healthPath: "/healthz", cpu: 0.5, memory: "1Gi", env: {}, secrets: {}, serveAuthServerMetadata: false });
    expect(s.monitoring.retentionInDays).toBe(90);
    expect(s.resourceGroup).toEqual({ name: "rg-mcp-prod", create: true });
  });

  it("computes every subnet and name once, in the settings", () => {
    expect(s.network).toEqual({
      addressSpace: "10.20.0.0/16",
      subnets: { gateway: "10.20.0.0/24", endpoints: "10.20.1.0/24", apps: "10.20.2.0/23" },
      // Default outbound access is off on every subnet: the kit creates the egress path by default.
      egress: { mode: "natGateway" },
    });
    expect(s.names.keyVault).toMatch(/^kv-mcp-prod-[a-z][a-z0-9]{4}$/);
    expect(parsePlatformConfig(minimal, { project: "hardened-mcp", stack: "prod" }).names).toEqual(s.names);
  });

  it("tags every resource with workload, stack and owner, and lets no user tag override them", () => {
    const tagged = parsePlatformConfig({ ...minimal, tags: { team: "x", stack: "spoofed" } }, { stack: "prod" });
    expect(tagged.tags).toEqual({ team: "x", workload: "mcp", stack: "prod", "managed-by": "pulumi" });
  });

  it("derives the gateway's network model from the tier", () => {
    expect(parsePlatformConfig({ ...minimal, gateway: { ...minimal.gateway, sku: "Premium" } }).gatewayNetworkMode).toBe("injection");
  });

  it("refuses a value that is not an object at all", () => {
    expect(() => parsePlatformConfig("servers: []")).toThrow(ConfigError);
  });

  it("names settings in the project's own namespace (Pulumi.yaml name), in the path and in the fix", () => {
    const bad = { ...minimal, location: undefined, entra: { mode: "create" }, servers: [{ ...minimal.servers[0], entraApp: { clientId: "11111111-1111-1111-1111-111111111111", applicationIdUri: "api://11111111-1111-1111-1111-111111111111" } }] };
    let message = "";
    try {
      parsePlatformConfig(bad, { project: "team-mcp", stack: "prod" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^ {2}- team-mcp:location: .*`azure-native:location` \(or `team-mcp:location`\)/m);
    expect(message).toMatch(/^ {2}- team-mcp:servers\[0\]\.entraApp: .*team-mcp:entra\.mode/m);
    expect(message).not.toContain("hardened-mcp:");
  });
});

describe("rawPlatformConfig", () => {
  it("collects the namespace as one object, decoding JSON values, with the provider's region and subscription as fallbacks", () => {
    const raw = rawPlatformConfig({
      "azure-native:location": "westeurope",
      "azure-native:subscriptionId": "11111111-1111-1111-1111-111111111111",
      "hardened-mcp:tenantId": "00000000-0000-0000-0000-000000000000",
      "hardened-mcp:monitoring": '{"retentionInDays":60}',
      "hardened-mcp:typo": "x",
      "other:key": "ignored",
    });
    expect(raw).toEqual({
      location: "westeurope",
      subscriptionId: "11111111-1111-1111-1111-111111111111",
      tenantId: "00000000-0000-0000-0000-000000000000",
      monitoring: { retentionInDays: 60 },
      typo: "x",
    });
  });

  it("prefers the namespace's own location", () => {
    expect(rawPlatformConfig({ "azure-native:location": "westeurope", "hardened-mcp:location": "swedencentral" }).location).toBe("swedencentral");
  });
});
