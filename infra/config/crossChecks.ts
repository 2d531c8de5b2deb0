import {
  validateContainerAppName,
  validateImageReference,
  validateResources,
  validateScale,
  validateServerEnvironment,
} from "../containerapps/validation";
import { resolveMcpEntraApplicationDefaults, resolveExistingEntraApplication } from "../gateway/entra";
import { mcpPolicySettingsInput } from "../gateway/mcpServerApi";
import { resolveMcpPolicySettings } from "../gateway/policy/settings";
import * as ipaddr from "ipaddr.js";
import { defaultSubnetCidrs, GatewayNetworkMode, networkLayoutProblems, SubnetCidrs } from "../network/cidr";
import { gatewayNetworkModeFor, serverPolicyOptions, toolRoleValues } from "./derive";
import { validatePromptShieldsRegion } from "../contentsafety/contentSafety";
import { resolveGatewaySku } from "../gateway/serviceSku";
import { ProblemList } from "./errors";
import { MAX_SERVER_NAME } from "./naming";
import { helpFor, PlatformConfigParsed } from "./schema";

type Server = PlatformConfigParsed["servers"][number];

/** The sections that parsed (absent when a section had its own problems), servers one by one. */
export type PartialConfig = Partial<Omit<PlatformConfigParsed, "servers">> & {
  readonly servers: readonly Partial<Server>[];
};

/** Azure tag names may not contain these (Resource Manager rejects them). */
const BAD_TAG_CHARS = /[<>%&\\?/]/;

/** Stand-ins for values known only after deployment, so a server's gateway policy is validated now. */
const PROBE = {
  tenantId: "00000000-0000-0000-0000-000000000001",
  clientId: "00000000-0000-0000-0000-000000000002",
  applicationIdUri: "api://00000000-0000-0000-0000-000000000002",
  scopes: ["api://00000000-0000-0000-0000-000000000002/mcp.invoke"],
  allowedClientAppIds: [],
  gatewayHost: "gateway.example.net",
  gatewayIdentityClientId: "00000000-0000-0000-0000-000000000003",
  backendAudience: "api://00000000-0000-0000-0000-000000000004",
  contentSafetyEndpoint: "https://contentsafety.example.net",
} as const;

/** Checks a server's fields that parsed, with the components' own validators; a field with its own problem is skipped. */
function checkServer(problems: ProblemList, s: Partial<Server>, i: number, c: PartialConfig): void {
  const at = (...rest: PropertyKey[]) => ["servers", i, ...rest];
  const label = s.name ?? String(i);
  if (s.name !== undefined) {
    problems.check(at("name"), () => {
      validateContainerAppName(s.name as string, s.name as string);
      if (s.name!.length > MAX_SERVER_NAME) {
        throw new Error(`"${s.name}" is ${s.name!.length} characters; its Container App is "ca-${s.name}" (at most 32). Use ${MAX_SERVER_NAME} characters or fewer.`);
      }
    });
  }
  if (s.image !== undefined) {
    problems.check(at("image"), () => {
      const ref = validateImageReference(s.image as string, { allowTagOnlyImages: s.allowTagOnlyImages ?? false, setting: `servers[${label}].image` });
      if (s.registry && ref.registry !== s.registry.server.toLowerCase()) {
        throw new Error(`servers[${label}].image comes from "${ref.registry}", not servers[${label}].registry.server "${s.registry.server}". Push the image there or change the registry.`);
      }
    });
  }
  if (s.cpu !== undefined && s.memory !== undefined) problems.check(at("memory"), () => validateResources(label, s.cpu as number, s.memory as string));
  if (s.minReplicas !== undefined && s.maxReplicas !== undefined) {
    problems.check(at("maxReplicas"), () => validateScale(label, s.minReplicas as number, s.maxReplicas as number));
  }
  if (s.env !== undefined && s.secrets !== undefined && s.allowPlainEnvNames !== undefined) {
    problems.check(at("env"), () => validateServerEnvironment(label, s.env!, Object.keys(s.secrets!), s.allowPlainEnvNames));
  }
  if (s.tools !== undefined) {
    const seen = new Set<string>();
    s.tools.forEach((tool, t) => {
      if (seen.has(tool.name)) problems.add(at("tools", t, "name"), `"${tool.name}" is listed twice`, "list each tool once");
      seen.add(tool.name);
    });
    if (s.name !== undefined && c.entra?.mode !== "existing") {
      problems.check(at("tools"), () =>
        resolveMcpEntraApplicationDefaults({
          server: s.name as string,
          tenantId: PROBE.tenantId,
          toolRoles: toolRoleValues({ tools: s.tools! }).map((value) => ({ value })),
          preAuthorizedClientIds: c.entra?.preAuthorizedClientIds,
          additionalAllowedClientIds: c.entra?.allowedClientAppIds,
          gatewayIdentity: { principalId: PROBE.clientId },
        }),
      );
    }
    const policyFields = ["allowedOrigins", "maxBodyBytes", "rateLimit", "toolRateLimit", "clientAppQuota", "backendTimeoutSeconds"] as const;
    if (s.name !== undefined && c.contentSafety !== undefined && policyFields.every((f) => f in s)) {
      // The gateway policy's own validation (limits, origins, tool names), with stand-ins for deploy-time values.
      problems.check(at(), () =>
        resolveMcpPolicySettings(
          mcpPolicySettingsInput(s.name as string, serverPolicyOptions(s as Server, c.contentSafety!), PROBE, `mcp-${s.name}`),
        ),
      );
    }
  }
  if (c.entra?.mode === "existing") {
    if (!s.entraApp) problems.add(at("entraApp"), 'is required when entra.mode is "existing"', helpFor(at("entraApp")));
    else if (c.tenantId) {
      const app = s.entraApp;
      problems.check(at("entraApp"), () =>
        resolveExistingEntraApplication({ tenantId: c.tenantId!, clientId: app.clientId, applicationIdUri: app.applicationIdUri }),
      );
    }
  }
  if (c.entra?.mode === "create" && s.entraApp) {
    problems.add(
      at("entraApp"),
      'is set but entra.mode is "create" (the platform would register its own app and ignore it)',
      'remove it, or set hardened-mcp:entra.mode to "existing"',
    );
  }
}

/** The network component's layout rules, each problem reported against the setting it names. */
function checkNetwork(problems: ProblemList, network: NonNullable<PartialConfig["network"]>, gatewayMode: GatewayNetworkMode): void {
  let subnets: SubnetCidrs;
  try {
    const given = network.subnets;
    const needDefaults = !given.gateway || !given.apps || !given.endpoints;
    const defaults = needDefaults ? defaultSubnetCidrs(network.addressSpace) : undefined;
    subnets = {
      gateway: given.gateway ?? defaults!.gateway,
      apps: given.apps ?? defaults!.apps,
      endpoints: given.endpoints ?? defaults!.endpoints,
    };
  } catch (err) {
    problems.add(["network", "addressSpace"], (err as Error).message.replace(/^network\.addressSpace: /, ""), "");
    return;
  }
  for (const message of networkLayoutProblems({ addressSpace: network.addressSpace, subnets, gatewayMode })) {
    const match = /^network\.([A-Za-z.]+): (.*)$/s.exec(message);
    problems.add(match ? ["network", ...match[1].split(".")] : ["network"], match ? match[2] : message, "");
  }
  try {
    const space = ipaddr.IPv4.parseCIDR(network.addressSpace)[0];
    if (space.range() !== "private") {
      problems.add(["network", "addressSpace"], `${network.addressSpace} is not a private (RFC 1918) range`, helpFor(["network", "addressSpace"]));
    }
  } catch {
    // Reported above by the layout rules.
  }
}

/**
 * The rules that span settings, run with the components' own validators (so config and component
 * never disagree). Each runs when the fields it reads parsed, so one pass reports all it can.
 */
export function crossChecks(problems: ProblemList, c: PartialConfig): void {
  if ("location" in c && c.location === undefined) {
    problems.add(["location"], "is not set", helpFor(["location"]));
  }
  if (c.resourceGroup?.useExisting && !c.resourceGroup.name) {
    problems.add(["resourceGroup", "name"], "is required when resourceGroup.useExisting is true", "set the name of the existing resource group");
  }
  for (const key of Object.keys(c.tags ?? {})) {
    if (BAD_TAG_CHARS.test(key) || key.length > 512) {
      problems.add(["tags", key], "is not a valid Azure tag name (no < > % & \\ ? / and at most 512 characters)", "rename the tag");
    }
  }

  const names = new Map<string, number>();
  c.servers.forEach((server, i) => {
    checkServer(problems, server, i, c);
    const first = server.name === undefined ? undefined : names.get(server.name);
    if (first !== undefined) {
      problems.add(["servers", i, "name"], `"${server.name}" is also the name of servers[${first}]`, "give every server a unique name");
    } else if (server.name !== undefined) names.set(server.name, i);
  });

  if (c.gateway) {
    const g = c.gateway;
    problems.check(["gateway", "sku"], () => resolveGatewaySku({ sku: g.sku, capacity: g.capacity, virtualNetworkMode: g.virtualNetworkMode }));
  }
  if (c.contentSafety?.enabled) {
    const region = c.contentSafety.location ?? c.location;
    if (region) problems.check([c.contentSafety.location ? "contentSafety" : "location", ...(c.contentSafety.location ? ["location"] : [])], () => validatePromptShieldsRegion(region), "or set hardened-mcp:contentSafety.location to one of them");
  }
  // The gateway subnet's minimum size depends on the SKU; without a valid SKU, check as for the default.
  if (c.network) checkNetwork(problems, c.network, gatewayNetworkModeFor(c.gateway?.sku ?? "StandardV2"));
}
