import {
  validateImageReference,
  validateResources,
  validateScale,
  validateServerEnvironment,
} from "../containerapps/validation";
import * as ipaddr from "ipaddr.js";
import { completeSubnetCidrs, GatewayNetworkMode, networkLayoutProblems } from "../network/cidr";
import { DEFAULT_ADDRESS_SPACE } from "../network/network";
import { throwIfProblems } from "../shared/settingError";
import { gatewayNetworkModeFor } from "./derive";
import { validatePromptShieldsRegion } from "../contentsafety/contentSafety";
import { GatewayTiers, resolveGatewaySku } from "../gateway/serviceSku";
import type { GatewaySku } from "./settings";
import { ProblemList } from "./errors";
import { existingChecks } from "./existingChecks";
import { nameProblem, ServerNameRule } from "../../baseline/naming";
import { helpFor, PartialConfig, PlatformConfigParsed } from "./schema";

type Server = PlatformConfigParsed["servers"][number];


/** Azure tag names may not contain these (Resource Manager rejects them). */
const BAD_TAG_CHARS = /[<>%&\\?/]/;

/** Checks a server's fields that parsed, with the components' own validators; a field with its own problem is skipped. */
function checkServer(problems: ProblemList, s: Partial<Server>, i: number, c: PartialConfig): void {
  const at = (...rest: (string | number)[]) => ["servers", i, ...rest];
  if (s.name !== undefined) {
    const problem = nameProblem(s.name, ServerNameRule);
    if (problem !== undefined) problems.add(at("name"), problem, helpFor(at("name")));
  }
  if (s.image !== undefined) {
    // Registry rules (the image must come from `registry`) run in the component pass.
    // Named from the config's root, so the opt-out the message suggests is this server's own setting.
    problems.check([], () => validateImageReference(s.image as string, { allowTagOnlyImages: s.allowTagOnlyImages ?? false, field: ["servers", i, "image"] }));
  }
  // The server component's checks, on this server's fields (each names its field under servers[i]).
  if (s.cpu !== undefined && s.memory !== undefined) problems.check([], () => validateResources(s.cpu as number, s.memory as string, at()));
  if (s.minReplicas !== undefined && s.maxReplicas !== undefined) {
    problems.check([], () => validateScale(s.minReplicas as number, s.maxReplicas as number, at()));
  }
  if (s.env !== undefined && s.secrets !== undefined && s.allowPlainEnvNames !== undefined) {
    problems.check([], () => validateServerEnvironment(s.env!, Object.keys(s.secrets!), s.allowPlainEnvNames, at()));
  }
  if (s.tools !== undefined) {
    const seen = new Set<string>();
    s.tools.forEach((tool, t) => {
      if (seen.has(tool.name)) problems.add(at("tools", t, "name"), `"${tool.name}" is listed twice`, "list each tool once");
      seen.add(tool.name);
    });
  }
  if (c.entra?.mode === "existing" && !s.entraApp) {
    problems.add(at("entraApp"), 'is required when entra.mode is "existing"', helpFor(at("entraApp")));
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
  // A brought network has none of these settings (existingChecks.ts refuses them next to it).
  if (network.existing) return;
  const addressSpace = network.addressSpace ?? DEFAULT_ADDRESS_SPACE;
  // The network component's own rules, on the subnets it would build; its fields are relative to `network`.
  problems.check(["network"], () => {
    const subnets = completeSubnetCidrs(addressSpace, network.subnets);
    throwIfProblems(networkLayoutProblems({ addressSpace, subnets, gatewayMode }));
  });
  const egress = { mode: network.egress?.mode ?? "natGateway", natGatewayId: network.egress?.natGatewayId };
  if (egress.mode === "existing" && !egress.natGatewayId) {
    problems.add(["network", "egress", "natGatewayId"], 'is required with mode "existing"', "set the NAT gateway's resource id, or use mode \"natGateway\" to let the kit create one");
  }
  if (egress.mode !== "existing" && egress.natGatewayId) {
    problems.add(["network", "egress", "natGatewayId"], `is set but mode is "${egress.mode}", so it would be ignored`, 'set mode "existing" to use it, or remove it');
  }
  try {
    const space = ipaddr.IPv4.parseCIDR(addressSpace)[0];
    if (space.range() !== "private") {
      problems.add(["network", "addressSpace"], `${addressSpace} is not a private (RFC 1918) range`, helpFor(["network", "addressSpace"]));
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
    problems.check(["gateway"], () => resolveGatewaySku({ sku: g.sku, capacity: g.capacity, virtualNetworkMode: g.virtualNetworkMode }));
  }
  if (c.contentSafety?.enabled) {
    const region = c.contentSafety.location ?? c.location;
    // ContentSafety's `location` is contentSafety.location when set, else the platform's.
    if (region) problems.check(c.contentSafety.location ? ["contentSafety"] : [], () => validatePromptShieldsRegion(region), "or set hardened-mcp:contentSafety.location to one of them");
  }
  // The gateway subnet's minimum size depends on the SKU; without a valid SKU, check as for the default.
  const sku = c.gateway && c.gateway.sku in GatewayTiers ? (c.gateway.sku as GatewaySku) : "StandardV2";
  if (c.network) checkNetwork(problems, c.network, gatewayNetworkModeFor(sku));
  existingChecks(problems, c);
}
