import * as ipaddr from "ipaddr.js";
import { ProblemList } from "./errors";
import { NameRules, nameProblem } from "./naming";
import { helpFor, PlatformConfigParsed } from "./schema";

type Server = PlatformConfigParsed["servers"][number];

/** The sections that parsed (absent when a section had its own problems), servers one by one. */
export type PartialConfig = Partial<Omit<PlatformConfigParsed, "servers">> & {
  readonly servers: readonly Partial<Server>[];
};

/** Environment variable names that say "secret": a plain value there belongs in Key Vault. */
const SECRET_LIKE_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CONNECTION_?STRING|CLIENT_?SECRET)$/i;

/** Azure tag names may not contain these (Resource Manager rejects them). */
const BAD_TAG_CHARS = /[<>%&\\?/]/;

/** `image@sha256:<64 hex>`, with an optional tag before the digest. */
const DIGEST_PINNED = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?@sha256:[0-9a-f]{64}$/;
const TAGGED = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Checks a server's fields that parsed; a field with its own problem is skipped (already reported). */
function checkServer(problems: ProblemList, server: Partial<Server>, i: number): void {
  const at = (...rest: PropertyKey[]) => ["servers", i, ...rest];
  const nameIssue = server.name === undefined ? undefined : nameProblem(server.name, NameRules.containerApp);
  if (nameIssue) problems.add(at("name"), `${nameIssue} (it is the Container App's name and the gateway path)`, helpFor(at("name")));

  const image = server.image;
  if (image !== undefined && !DIGEST_PINNED.test(image)) {
    if (!TAGGED.test(image)) {
      problems.add(at("image"), `"${image}" is not a container image reference pinned by digest`, helpFor(at("image")));
    } else if (server.allowTagOnlyImages === false) {
      problems.add(
        at("image"),
        `"${image}" is not pinned by digest, so what runs could change without a deploy`,
        `${helpFor(at("image"))} (or set servers[${i}].allowTagOnlyImages: true to accept the risk)`,
      );
    }
  }

  // Container Apps sizes: cpu in 0.25 steps, memory twice the cpu (Consumption profile).
  const { cpu, memory } = server;
  if (cpu !== undefined && Math.round(cpu * 4) !== cpu * 4) {
    problems.add(at("cpu"), `${cpu} is not a multiple of 0.25`, helpFor(at("cpu")));
  } else if (cpu !== undefined && memory !== undefined && parseFloat(memory) !== cpu * 2) {
    problems.add(at("memory"), `"${memory}" does not match cpu ${cpu} (Container Apps needs ${cpu * 2}Gi)`, helpFor(at("memory")));
  }
  if (server.minReplicas !== undefined && server.maxReplicas !== undefined && server.minReplicas > server.maxReplicas) {
    problems.add(at("maxReplicas"), `${server.maxReplicas} is below minReplicas (${server.minReplicas})`, helpFor(at("maxReplicas")));
  }

  for (const name of Object.keys(server.env ?? {})) {
    if (server.secrets && name in server.secrets) {
      problems.add(at("env", name), "is also set under secrets; one variable has one source", "remove it from env or from secrets");
    } else if (SECRET_LIKE_ENV.test(name)) {
      problems.add(
        at("env", name),
        "looks like a secret but is a plain value (it would sit in the Container App's template and in the Pulumi state)",
        `store it in Key Vault and reference it under servers[${i}].secrets.${name}`,
      );
    }
  }

  const seen = new Set<string>();
  (server.tools ?? []).forEach((tool, t) => {
    if (seen.has(tool.name)) problems.add(at("tools", t, "name"), `"${tool.name}" is listed twice`, "list each tool once");
    seen.add(tool.name);
  });
}

function checkNetwork(problems: ProblemList, network: NonNullable<PartialConfig["network"]>): void {
  const parse = (path: PropertyKey[], cidr: string): [ipaddr.IPv4, number] | undefined => {
    try {
      const [addr, bits] = ipaddr.IPv4.parseCIDR(cidr);
      if (addr.toString() !== ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()) {
        problems.add(path, `"${cidr}" has host bits set (the network address is ${ipaddr.IPv4.networkAddressFromCIDR(cidr)}/${bits})`, helpFor(path));
        return undefined;
      }
      return [addr, bits];
    } catch {
      problems.add(path, `"${cidr}" is not an IPv4 CIDR`, helpFor(path));
      return undefined;
    }
  };
  const space = parse(["network", "addressSpace"], network.addressSpace);
  if (space && space[0].range() !== "private") {
    problems.add(["network", "addressSpace"], `"${network.addressSpace}" is not a private (RFC 1918) range`, helpFor(["network", "addressSpace"]));
  }
  const subnets: [string, [ipaddr.IPv4, number]][] = [];
  for (const [key, cidr] of Object.entries(network.subnets)) {
    if (cidr === undefined) continue;
    const path = ["network", "subnets", key];
    const parsed = parse(path, cidr);
    if (!parsed) continue;
    if (space && !parsed[0].match(space)) {
      problems.add(path, `"${cidr}" is outside the address space ${network.addressSpace}`, helpFor(path));
    }
    for (const [other, o] of subnets) {
      if (parsed[0].match(o) || o[0].match(parsed)) {
        problems.add(path, `"${cidr}" overlaps subnets.${other} (${network.subnets[other as keyof typeof network.subnets]})`, "give each subnet its own range");
      }
    }
    subnets.push([key, parsed]);
  }
}

/**
 * The rules that span settings (or need a component's validator). Each runs when the sections it
 * reads parsed, so the list is as complete as it can be in one pass.
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
    checkServer(problems, server, i);
    const first = server.name === undefined ? undefined : names.get(server.name);
    if (first !== undefined) {
      problems.add(["servers", i, "name"], `"${server.name}" is also the name of servers[${first}]`, "give every server a unique name");
    } else if (server.name !== undefined) names.set(server.name, i);
    if (c.entra?.mode === "existing" && !server.entraApp) {
      problems.add(["servers", i, "entraApp"], 'is required when entra.mode is "existing"', helpFor(["servers", i, "entraApp"]));
    }
    if (c.entra?.mode === "create" && server.entraApp) {
      problems.add(
        ["servers", i, "entraApp"],
        'is set but entra.mode is "create" (the platform would register its own app and ignore it)',
        'remove it, or set hardened-mcp:entra.mode to "existing"',
      );
    }
  });

  if (c.network) checkNetwork(problems, c.network);

}
