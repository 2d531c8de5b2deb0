import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../infra/config/errors";
import { MockRuntime } from "../../testing/mock/mockRuntime";
import { devEngineConfig, devRawConfig, toEngineConfig } from "./fixtures";

/**
 * Every bad configuration stops the default program before any resource exists, with one message
 * naming the setting, the problem and the fix. Each case runs the real program under the mock
 * runtime and asserts that nothing was registered.
 */
let runtime: MockRuntime;
let runDefaultProgram: () => Promise<void>;

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "dev" });
  ({ runDefaultProgram } = await import("../../testing/mock/plan"));
});

type Raw = Record<string, any>;
interface Case {
  readonly title: string;
  readonly mutate: (raw: Raw) => void;
  /** Engine-level keys to drop (e.g. the provider's location). */
  readonly drop?: string[];
  readonly path: string;
  readonly problem: RegExp;
  readonly fix: RegExp;
}

const otherDigest = "@sha256:" + "c".repeat(64);

const cases: Case[] = [
  {
    title: "missing tenant id",
    mutate: (r) => delete r.tenantId,
    path: "hardened-mcp:tenantId",
    problem: /is required but not set/,
    fix: /Fix: set the Entra tenant id \(a GUID\)/,
  },
  {
    title: "tenant id that is not a GUID",
    mutate: (r) => (r.tenantId = "contoso.onmicrosoft.com"),
    path: "hardened-mcp:tenantId",
    problem: /"contoso.onmicrosoft.com" is not a GUID/,
    fix: /az account show --query tenantId/,
  },
  {
    title: "misspelt top-level key",
    mutate: (r) => (r.sever = r.servers),
    path: "hardened-mcp:sever",
    problem: /is not a known setting/,
    fix: /remove it or check its spelling/,
  },
  {
    title: "misspelt server key",
    mutate: (r) => (r.servers[0].imgae = "x"),
    path: "hardened-mcp:servers[0].imgae",
    problem: /is not a known setting/,
    fix: /check its spelling/,
  },
  {
    title: "image pinned by tag only",
    mutate: (r) => (r.servers[1].image = "contoso.azurecr.io/mcp/docs-search:2.0"),
    path: "hardened-mcp:servers[1].image",
    problem: /is not pinned by digest \(tag "2.0" can be moved to another image\)/,
    fix: /docker buildx imagetools inspect contoso.azurecr.io\/mcp\/docs-search:2.0.*allowTagOnlyImages: true/,
  },
  {
    title: "image without a registry host",
    mutate: (r) => (r.servers[0].image = `mcp/github-tools${otherDigest}`),
    path: "hardened-mcp:servers[0].image",
    problem: /does not name its registry/,
    fix: /Write the registry host first/,
  },
  {
    title: "two servers with one name",
    mutate: (r) => (r.servers[1].name = r.servers[0].name),
    path: "hardened-mcp:servers[1].name",
    problem: /"github-tools" is also the name of servers\[0\]/,
    fix: /give every server a unique name/,
  },
  {
    title: "server name with characters Container Apps refuses",
    mutate: (r) => (r.servers[0].name = "GitHub_Tools"),
    path: "hardened-mcp:servers[0].name",
    problem: /"GitHub_Tools" is not a valid MCP server name/,
    fix: /use 3-29 lowercase letters, digits and single hyphens/,
  },
  {
    // One rule for server names (3-29: the Container App is ca-<name>, at most 32); two letters were once accepted.
    title: "server name of two letters",
    mutate: (r) => (r.servers[0].name = "ab"),
    path: "hardened-mcp:servers[0].name",
    problem: /"ab" is 2 characters; an MCP server name must be 3-29/,
    fix: /use 3-29 lowercase letters/,
  },
  {
    title: "server name too long for its Container App",
    mutate: (r) => (r.servers[0].name = "a".repeat(30)),
    path: "hardened-mcp:servers[0].name",
    problem: /is 30 characters; an MCP server name must be 3-29/,
    fix: /use 3-29/,
  },
  {
    title: "gateway tier that is not supported",
    mutate: (r) => (r.gateway.sku = "Consumption"),
    path: "hardened-mcp:gateway.sku",
    problem: /"Consumption" is refused: it cannot reach a private backend/,
    fix: /Use StandardV2 \(default\), Premium, or Developer for non-production/,
  },
  {
    title: "gateway tier the pinned SDK cannot deploy",
    mutate: (r) => (r.gateway.sku = "PremiumV2"),
    path: "hardened-mcp:gateway.sku",
    problem: /"PremiumV2" cannot be deployed with the pinned @pulumi\/azure-native/,
    fix: /Use Premium \(classic VNet injection\) or StandardV2/,
  },
  {
    title: "subnet outside the address space",
    mutate: (r) => (r.network.subnets = { gateway: "10.99.0.0/24" }),
    path: "hardened-mcp:network.subnets.gateway",
    problem: /10.99.0.0\/24 is outside the address space 10.20.0.0\/16/,
    fix: /Fix: pick a block inside it or widen the address space/,
  },
  {
    title: "public address space",
    mutate: (r) => (r.network.addressSpace = "20.20.0.0/16"),
    path: "hardened-mcp:network.addressSpace",
    problem: /20.20.0.0\/16 is not a private \(RFC 1918\) range/,
    fix: /Fix: set an IPv4 CIDR of \/22 or larger from a private range/,
  },
  {
    title: "Content Safety in a region without Prompt Shields",
    mutate: (r) => (r.location = "northeurope"),
    path: "hardened-mcp:location",
    problem: /Prompt Shields is not available in "northeurope"/,
    fix: /deploy Content Safety in one of: .*westeurope/,
  },
  {
    title: "vault protection switched off with a string instead of a boolean",
    mutate: (r) => (r.keyVault = { allowDestroy: "yes" }),
    path: "hardened-mcp:keyVault.allowDestroy",
    problem: /boolean/,
    fix: /throwaway stacks/,
  },
  {
    title: "an Azure Container Registry without its resource id (nothing could grant the new identity AcrPull)",
    mutate: (r) => delete r.servers[0].registry.resourceId,
    path: "hardened-mcp:servers[0].registry.resourceId",
    problem: /is not set for the Azure Container Registry contoso.azurecr.io, so nothing grants the server's identity AcrPull/,
    fix: /az acr show --name contoso --query id -o tsv/,
  },
  {
    title: "a registry private endpoint without the registry's resource id",
    mutate: (r) => {
      delete r.servers[0].registry.resourceId;
      r.servers[0].registry.privateEndpoint = true;
    },
    path: "hardened-mcp:servers[0].registry.privateEndpoint",
    problem: /is true but servers\[github-tools\]\.registry\.resourceId is not set, so there is no registry to connect the endpoint to/,
    fix: /az acr show --name contoso --query id -o tsv/,
  },
  {
    title: "a registry private endpoint asked for by one of the two servers that share the registry",
    mutate: (r) => (r.servers[0].registry.privateEndpoint = true),
    path: "hardened-mcp:servers[1].registry.privateEndpoint",
    problem: /is not set, but servers github-tools give the registry "contoso" a private endpoint, which every app in the VNet pulls through/,
    fix: /set privateEndpoint: true on every server that pulls from this registry/,
  },
  {
    title: "a registry private endpoint switched on with a string",
    mutate: (r) => (r.servers[0].registry.privateEndpoint = "yes"),
    path: "hardened-mcp:servers[0].registry.privateEndpoint",
    problem: /boolean/,
    fix: /Premium registry/,
  },
  {
    title: "an existing NAT gateway without its id",
    mutate: (r) => (r.network.egress = { mode: "existing" }),
    path: "hardened-mcp:network.egress.natGatewayId",
    problem: /is required with mode "existing"/,
    fix: /mode "natGateway" to let the kit create one/,
  },
  {
    title: "a NAT gateway id the egress mode would ignore",
    mutate: (r) => (r.network.egress = { natGatewayId: "/subscriptions/x/natGateways/ng" }),
    path: "hardened-mcp:network.egress.natGatewayId",
    problem: /is set but mode is "natGateway", so it would be ignored/,
    fix: /set mode "existing"/,
  },
  {
    title: "credential in a plain environment variable",
    mutate: (r) => (r.servers[1].env = { SEARCH_API_KEY: "abc123" }),
    path: "hardened-mcp:servers[1].env.SEARCH_API_KEY",
    problem: /looks like a credential/,
    fix: /Move it to servers\[1\]\.secrets\.SEARCH_API_KEY .*list it in servers\[1\]\.allowPlainEnvNames/,
  },
  {
    title: "cpu and memory that are not a Consumption size",
    mutate: (r) => (r.servers[1].memory = "3Gi"),
    path: "hardened-mcp:servers[1].memory",
    problem: /1\/3Gi is not a Consumption profile size/,
    fix: /Pick one of: 0.25\/0.5Gi/,
  },
  {
    title: "minReplicas above maxReplicas",
    mutate: (r) => Object.assign(r.servers[1], { minReplicas: 6, maxReplicas: 5 }),
    path: "hardened-mcp:servers[1].maxReplicas",
    problem: /minReplicas \(6\) is above maxReplicas \(5\)/,
    fix: /Lower minReplicas or raise maxReplicas/,
  },
  {
    title: "bring-your-own Entra without the server's app",
    mutate: (r) => (r.entra.mode = "existing"),
    path: "hardened-mcp:servers[0].entraApp",
    problem: /is required when entra.mode is "existing"/,
    fix: /set \{clientId, applicationIdUri\}/,
  },
  {
    // The Entra check names its own argument (applicationIdUri); the config layer maps it to the server's entraApp.
    title: "bring-your-own Entra app whose ID URI is on a domain no tenant can verify (the component pass)",
    mutate: (r) => {
      r.entra.mode = "existing";
      r.servers = [{ ...r.servers[1], entraApp: { clientId: "44444444-4444-4444-4444-444444444444", applicationIdUri: "https://apim-mcp.azure-api.net/docs-search/mcp" } }];
    },
    path: "hardened-mcp:servers[0].entraApp.applicationIdUri",
    problem: /"https:\/\/apim-mcp.azure-api.net\/docs-search\/mcp" is on azure-api.net, which no tenant can verify/,
    fix: /custom domain verified in the tenant, or use "api:\/\/<clientId>"/,
  },
  {
    title: "log retention below 30 days",
    mutate: (r) => (r.monitoring.retentionInDays = 7),
    path: "hardened-mcp:monitoring.retentionInDays",
    problem: /7 is below the minimum/,
    fix: /from 30 to 730/,
  },
  {
    title: "no region anywhere",
    mutate: () => undefined,
    drop: ["azure-native:location"],
    path: "hardened-mcp:location",
    problem: /is not set/,
    fix: /set `azure-native:location`/,
  },
  {
    title: "a tool nobody may call",
    mutate: (r) => (r.servers[0].tools[0].roles = []),
    path: "hardened-mcp:servers[0].tools[0].roles",
    problem: /below the minimum \(no roles/,
    fix: /list the Entra app role values allowed to call the tool/,
  },
  {
    title: "a tool pin that is not a SHA-256",
    mutate: (r) => (r.servers[0].tools[0].definitionSha256 = "sha256:ABC"),
    path: "hardened-mcp:servers[0].tools[0].definitionSha256",
    problem: /"sha256:ABC" is not a SHA-256 in 64 lowercase hex digits/,
    fix: /paste the pin `hardened-mcp tools pin --url <MCP endpoint>` prints for this tool/,
  },
  {
    title: "a drift handling the gateway does not know",
    mutate: (r) => (r.servers[0].toolDrift = "ignore"),
    path: "hardened-mcp:servers[0].toolDrift",
    problem: /remove|refuse/,
    fix: /use "remove" \(drop a drifted tool from tools\/list, the default\) or "refuse"/,
  },
  {
    title: "a body cap above what the gateway tier buffers",
    mutate: (r) => (r.servers[0].maxBodyBytes = 3 * 1024 * 1024),
    path: "hardened-mcp:servers[0]",
    problem: /maxBodyBytes': 3145728 is over 2097152, the most a v2-tier gateway buffers to read a request body/,
    fix: /set at most 2097152/,
  },
  {
    title: "rate limit window APIM cannot enforce",
    mutate: (r) => (r.servers[0].rateLimit = { calls: 10, renewalPeriodSeconds: 3600 }),
    path: "hardened-mcp:servers[0]",
    problem: /perCallerRateLimit.renewalPeriodSeconds.*got 3600/,
    fix: /1..300/,
  },
  {
    title: "custom-domain certificate in a vault the gateway may not read",
    mutate: (r) => (r.gateway.customDomain = { hostName: "mcp.contoso.com", certificateSecretId: "https://kv-other.vault.azure.net/secrets/tls" }),
    path: "hardened-mcp:gateway.customDomain.certificateSecretId",
    problem: /the certificate is in vault "kv-other", not the platform's vault "kv-mcp-dev-[a-z0-9]{5}"/,
    fix: /az keyvault certificate import --vault-name kv-mcp-dev-/,
  },
  {
    // No per-setting rule covers this one: the server component's own validation, run on the
    // arguments the platform would pass it, still stops the program before any registration.
    title: "ACR image without the registry to pull it with (the component pass)",
    mutate: (r) => delete r.servers[1].registry,
    path: "hardened-mcp:servers[1].registry",
    problem: /is not set, so the app would try an anonymous pull of servers\[1\]\.image from the container registry contoso.azurecr.io/,
    fix: /Set servers\[1\]\.registry \{ server: "contoso.azurecr.io"/,
  },
  {
    title: "existing resource group without a name",
    mutate: (r) => (r.resourceGroup = { useExisting: true }),
    path: "hardened-mcp:resourceGroup.name",
    problem: /is required when resourceGroup.useExisting is true/,
    fix: /set the name of the existing resource group/,
  },
];

function engineConfigFor(c: Case): Record<string, string> {
  const raw = devRawConfig();
  // The provider's keys stay provider keys; the rest goes back under the namespace.
  delete raw.location;
  delete raw.subscriptionId;
  c.mutate(raw);
  const engine = { ...toEngineConfig(raw) };
  const base = devEngineConfig();
  for (const key of ["azure-native:location", "azure-native:subscriptionId"]) {
    if (!c.drop?.includes(key)) engine[key] = base[key];
  }
  return engine;
}

describe("a bad stack config stops the program before any resource exists", () => {
  it("accepts the example config (the baseline every case breaks one thing in)", async () => {
    const { loadPlatformSettings } = await import("../../infra/config/stackConfig");
    pulumi.runtime.setAllConfig(engineConfigFor({ title: "none", mutate: () => undefined, path: "", problem: /x/, fix: /x/ }));
    expect(loadPlatformSettings().servers.map((s) => s.name)).toEqual(["github-tools", "docs-search"]);
  });

  it.each(cases.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
    pulumi.runtime.setAllConfig(engineConfigFor(c));
    let error: unknown;
    try {
      await runDefaultProgram();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^Invalid stack configuration \(\d+ problems?\); nothing was deployed:\n/);
    const line = message.split("\n").find((l) => l.startsWith(`  - ${c.path}: `));
    expect(line).toBeDefined();
    expect(line).toMatch(c.problem);
    expect(line).toMatch(c.fix);
    await runtime.settle();
    expect(runtime.resources).toHaveLength(0);
  });

  it("infra/main.ts (what `pulumi up` runs) fails with a RunError: the message alone, no stack trace", async () => {
    pulumi.runtime.setAllConfig(engineConfigFor(cases.find((c) => c.title === "image pinned by tag only")!));
    let error: unknown;
    try {
      await import("../../infra/main");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(pulumi.RunError);
    expect((error as Error).message).toMatch(/^Invalid stack configuration \(1 problem\); nothing was deployed:\n {2}- hardened-mcp:servers\[1\]\.image: /);
    await runtime.settle();
    expect(runtime.resources).toHaveLength(0);
  });

  it("reports every problem at once, each on its own line", async () => {
    pulumi.runtime.setAllConfig(
      engineConfigFor({
        title: "many",
        mutate: (r) => {
          delete r.tenantId;
          r.gateway.sku = "Basic";
          r.servers[0].image = "contoso.azurecr.io/mcp/github-tools:latest";
          r.servers[1].minReplicas = 9;
        },
        path: "",
        problem: /x/,
        fix: /x/,
      }),
    );
    await expect(runDefaultProgram()).rejects.toThrow(ConfigError);
    try {
      await runDefaultProgram();
    } catch (err) {
      const problems = (err as ConfigError).problems.map((p) => p.path);
      expect(problems).toEqual(
        expect.arrayContaining([
          "hardened-mcp:tenantId",
          "hardened-mcp:gateway.sku",
          "hardened-mcp:servers[0].image",
          "hardened-mcp:servers[1].maxReplicas",
        ]),
      );
      expect((err as ConfigError).message).toContain(`(${problems.length} problems)`);
    }
    await runtime.settle();
    expect(runtime.resources).toHaveLength(0);
  });
});
