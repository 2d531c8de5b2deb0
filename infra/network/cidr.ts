import * as ipaddr from "ipaddr.js";
import { SettingError, SettingField, SettingProblem, throwIfProblems } from "../shared/settingError";

/**
 * How API Management attaches to the VNet:
 * - `integration`: StandardV2 / PremiumV2 outbound VNet integration. The gateway stays a public
 *   endpoint (fronted by APIM's own network controls); only its outbound calls enter the VNet.
 *   Subnet delegated to `Microsoft.Web/serverFarms`, minimum /27.
 * - `injection`: classic Developer / Premium VNet injection (stv2). No delegation, minimum /29,
 *   and the NSG rules Microsoft documents for the management endpoint and load balancer.
 * - `injectionV2`: PremiumV2 VNet injection (private gateway). Subnet delegated to
 *   `Microsoft.Web/hostingEnvironments`, minimum /27; only outbound Storage is mandatory.
 */
export type GatewayNetworkMode = "integration" | "injection" | "injectionV2";

/** The three subnets of the platform's VNet. */
export type SubnetRole = "gateway" | "apps" | "endpoints";

/** One CIDR per subnet, e.g. `{ gateway: "10.20.0.0/24", endpoints: "10.20.1.0/24", apps: "10.20.2.0/23" }`. */
export type SubnetCidrs = Record<SubnetRole, string>;

/** Azure's smallest IPv4 subnet: 5 reserved addresses leave 3 usable. */
const AZURE_SMALLEST_SUBNET = 29;

/**
 * The largest prefix length (smallest subnet) each role accepts, with the reason. Sources: APIM
 * "Integrate with a VNet for outbound connections" and "Inject ... Premium v2" (minimum /27), APIM
 * "Network resource requirements for injection" (classic: minimum /29), Container Apps networking
 * (workload profiles: minimum /27), Azure VNet FAQ (smallest subnet /29).
 */
export function minimumPrefixFor(role: SubnetRole, gatewayMode: GatewayNetworkMode): { prefix: number; why: string } {
  switch (role) {
    case "gateway":
      if (gatewayMode === "injection") {
        return { prefix: 29, why: "the minimum for classic API Management VNet injection (each extra unit needs 2 more addresses)" };
      }
      return {
        prefix: 27,
        why:
          gatewayMode === "integration"
            ? "the minimum for API Management v2 VNet integration"
            : "the minimum for API Management Premium v2 VNet injection",
      };
    case "apps":
      return { prefix: 27, why: "the minimum for a Container Apps workload-profiles environment" };
    case "endpoints":
      return { prefix: AZURE_SMALLEST_SUBNET, why: "the smallest subnet Azure allows" };
  }
}

/** A parsed IPv4 CIDR as an inclusive numeric range. */
export interface Ipv4Block {
  readonly cidr: string;
  readonly prefix: number;
  readonly first: number;
  readonly last: number;
}

function toNumber(address: ipaddr.IPv4): number {
  return address.octets.reduce((n, octet) => n * 256 + octet, 0);
}

function fromNumber(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/**
 * Parses an IPv4 CIDR, or throws a `SettingError` for `field`. Refuses shorthand (`10.1/16`), IPv6 and host
 * bits (`10.0.1.5/24`): Azure rejects a prefix whose host bits are set.
 */
export function parseCidr(field: SettingField, value: string): Ipv4Block {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(value)) {
    throw new SettingError({ field, problem: `"${value}" is not an IPv4 CIDR block`, fix: "write it as a.b.c.d/n (for example 10.20.0.0/24)" });
  }
  const [address, prefix] = ipaddr.IPv4.parseCIDR(value);
  const network = ipaddr.IPv4.networkAddressFromCIDR(value);
  if (network.toString() !== address.toString()) {
    throw new SettingError({ field, problem: `${value} has host bits set`, fix: `use ${network.toString()}/${prefix}, the network address of that block` });
  }
  const first = toNumber(network);
  return { cidr: value, prefix, first, last: first + 2 ** (32 - prefix) - 1 };
}

function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** What `validateNetworkLayout` checks. */
export interface NetworkLayout {
  /** Absent for a network the kit did not create (its subnets are checked among themselves only). */
  readonly addressSpace?: string;
  readonly subnets: SubnetCidrs;
  readonly gatewayMode: GatewayNetworkMode;
}

const ROLES: readonly SubnetRole[] = ["gateway", "apps", "endpoints"];

/**
 * Every problem with a layout, each a field of `NetworkLayout` (as `McpNetworkArgs` names it) with the problem and
 * the fix: valid CIDR syntax, host bits zero, each subnet inside the address space, no two subnets overlapping,
 * each subnet at least the size its service needs. Empty when the layout is valid.
 */
export function networkLayoutProblems(layout: NetworkLayout): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const addressSpace = layout.addressSpace;
  const space = addressSpace === undefined ? undefined : attempt(() => parseCidr(["addressSpace"], addressSpace));
  const blocks: Partial<Record<SubnetRole, Ipv4Block>> = {};
  for (const role of ROLES) {
    const field = ["subnets", role];
    const block = attempt(() => parseCidr(field, layout.subnets[role]));
    if (!block) continue;
    blocks[role] = block;
    const minimum = minimumPrefixFor(role, layout.gatewayMode);
    if (block.prefix > minimum.prefix) {
      problems.push({ field, problem: `${block.cidr} is smaller than /${minimum.prefix}, ${minimum.why}`, fix: `use a /${minimum.prefix} or larger` });
    }
    if (space && !contains(space, block)) {
      problems.push({ field, problem: `${block.cidr} is outside the address space ${space.cidr}`, fix: "pick a block inside it or widen the address space" });
    }
  }
  for (let i = 0; i < ROLES.length; i++) {
    for (let j = i + 1; j < ROLES.length; j++) {
      const a = blocks[ROLES[i]];
      const b = blocks[ROLES[j]];
      if (a && b && overlaps(a, b)) {
        problems.push({ field: ["subnets", ROLES[j]], problem: `${b.cidr} overlaps the ${ROLES[i]} subnet (${a.cidr})`, fix: "give each subnet its own block" });
      }
    }
  }
  return problems;
}

/** Throws one `SettingError` listing every problem `networkLayoutProblems` finds. */
export function validateNetworkLayout(layout: NetworkLayout): void {
  throwIfProblems(networkLayoutProblems(layout), "Invalid network layout");
}

/**
 * The subnets to build: the ones given, and defaults (`defaultSubnetCidrs`) for any left out.
 * Defaults are computed only when needed, since they require a /22 or larger address space.
 */
export function completeSubnetCidrs(addressSpace: string, given: Partial<SubnetCidrs> = {}): SubnetCidrs {
  let defaults: SubnetCidrs | undefined;
  const pick = (role: SubnetRole): string => given[role] ?? (defaults ??= defaultSubnetCidrs(addressSpace))[role];
  return { gateway: pick("gateway"), apps: pick("apps"), endpoints: pick("endpoints") };
}

/**
 * Default subnets carved from the start of an address space of /22 or larger:
 * gateway = first /24, endpoints = second /24, apps = the /23 after them.
 * `10.20.0.0/16` gives gateway 10.20.0.0/24, endpoints 10.20.1.0/24, apps 10.20.2.0/23.
 * A /24 gateway leaves room for APIM to scale out; a /23 apps subnet leaves room for workload
 * profiles to add nodes.
 */
export function defaultSubnetCidrs(addressSpace: string): SubnetCidrs {
  const space = parseCidr(["addressSpace"], addressSpace);
  if (space.prefix > 22) {
    throw new SettingError({
      field: ["addressSpace"],
      problem: `${addressSpace} is too small for the default subnets (they need a /22)`,
      fix: "use a /22 or larger, or set the gateway, apps and endpoints subnets explicitly",
    });
  }
  return {
    gateway: `${fromNumber(space.first)}/24`,
    endpoints: `${fromNumber(space.first + 256)}/24`,
    apps: `${fromNumber(space.first + 512)}/23`,
  };
}
