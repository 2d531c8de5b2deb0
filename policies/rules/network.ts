import { finding, Rule } from "./types";
import type { PolicyResource } from "@pulumi/policy";
import { privateLinkZonesFor } from "../../baseline/privateLink";
import { collectStrings, eqi, get, isAnySource, knownEquals, list, ofTypes, peek, Props, refersTo, resourceRule, shown, stackRule, str, strings } from "./util";

/** Remote management ports that must never face the internet. */
export const MANAGEMENT_PORTS = [22, 3389, 5985, 5986];

/** Whether a port expression ("*", "22", "20-30") covers the port. */
export function portRangeCovers(range: string, port: number): boolean {
  const r = range.trim();
  if (r === "*") return true;
  const [lo, hi] = r.split("-").map((p) => Number(p.trim()));
  if (Number.isNaN(lo)) return false;
  return port >= lo && port <= (hi === undefined || Number.isNaN(hi) ? lo : hi);
}

/** Which of `watched` ports one security rule (an NSG's inline rule or a standalone SecurityRule) opens to the internet. */
function exposedPorts(rule: unknown, watched: readonly number[]): number[] {
  if (!eqi(get(rule, "direction"), "Inbound") || !eqi(get(rule, "access"), "Allow")) return [];
  const protocol = str(get(rule, "protocol")) ?? "*";
  if (!["*", "tcp"].includes(protocol.toLowerCase())) return [];
  const sources = [str(get(rule, "sourceAddressPrefix")), ...strings(get(rule, "sourceAddressPrefixes"))].filter(
    (s): s is string => s !== undefined,
  );
  if (!sources.some(isAnySource)) return [];
  // ARM takes a port as a string ("22", "20-30", "*") or a bare number.
  const asText = (p: unknown) => (typeof p === "number" ? String(p) : str(p));
  const ports = [asText(get(rule, "destinationPortRange")), ...list(get(rule, "destinationPortRanges")).map(asText)].filter(
    (p): p is string => p !== undefined,
  );
  return watched.filter((port) => ports.some((range) => portRangeCovers(range, port)));
}

/** The security rules of an NSG, or the standalone SecurityRule itself. */
function securityRules(props: Props, type: string): readonly unknown[] {
  return type === "azure-native:network:SecurityRule" ? [props] : list(get(props, "securityRules"));
}

export const networkNsgNoInternetManagementPorts = resourceRule({
  name: "azure-network-nsg-no-internet-management-ports",
  description: "Network security rules must not allow inbound SSH, RDP or WinRM (22, 3389, 5985, 5986) from the internet.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["excessive-permissions"],
  remediation: "Restrict the rule's source to a bastion or management subnet, or use Azure Bastion.",
  checkov: ["CKV_AZURE_9", "CKV_AZURE_10"],
  types: ["azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"],
  validate: (props, args, report) => {
    for (const rule of securityRules(props, args.type)) {
      const name = str(get(rule, "name")) ?? args.name;
      for (const port of exposedPorts(rule, MANAGEMENT_PORTS)) {
        report(finding(`${name}:${port}`, `Rule ${name} allows port ${port} inbound from the internet.`));
      }
    }
  },
});

/** Clear-text or commonly attacked service ports: HTTP, FTP, Telnet, SMB/NetBIOS, and database listeners. */
export const CLEARTEXT_AND_DATA_PORTS = [80, 21, 23, 139, 445, 1433, 3306, 5432, 6379, 27017];

interface PortsConfig {
  allowedPorts?: number[];
}

export const networkNsgNoInternetCleartextPorts = resourceRule({
  name: "azure-network-nsg-no-internet-cleartext-ports",
  description:
    "Network security rules must not allow inbound HTTP (80), FTP, Telnet, SMB or database ports from the internet; MCP traffic enters through the gateway over HTTPS.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "excessive-permissions"],
  remediation:
    "Restrict the rule's source to the callers that need it (e.g. the ApiManagement service tag or a subnet) and serve HTTPS on 443; list a port in allowedPorts only for a documented exception such as an Application Gateway's HTTP-to-HTTPS redirect.",
  checkov: ["CKV_AZURE_160"],
  psrule: ["Azure.NSG.AnyInboundSource"],
  configSchema: {
    properties: { allowedPorts: { type: "array", items: { type: "integer" }, description: "Ports to leave out of the check (e.g. [80] for an HTTP redirect listener)." } },
  },
  types: ["azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"],
  validate: (props, args, report) => {
    const allowed = new Set(args.getConfig<PortsConfig>().allowedPorts ?? []);
    const watched = CLEARTEXT_AND_DATA_PORTS.filter((p) => !allowed.has(p));
    for (const rule of securityRules(props, args.type)) {
      const name = str(get(rule, "name")) ?? args.name;
      for (const port of exposedPorts(rule, watched)) report(finding(`${name}:${port}`, `Rule ${name} allows port ${port} inbound from the internet.`));
    }
  },
});

interface SubnetConfig {
  exemptSubnets?: string[];
}

/** Platform subnets that reject (GatewaySubnet, AzureFirewall*) or manage their own (AzureBastionSubnet needs a specific NSG) rules. */
const PLATFORM_SUBNETS = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"];

function subnetProblem(subnet: unknown, fallbackName: string, exempt: readonly string[]): string | undefined {
  const name = str(get(subnet, "name")) ?? str(get(subnet, "subnetName")) ?? fallbackName;
  if (exempt.some((e) => e.toLowerCase() === name.toLowerCase())) return undefined;
  if (get(subnet, "networkSecurityGroup") === undefined) return name;
  return undefined;
}

export const networkSubnetHasNsg = resourceRule({
  name: "azure-network-subnet-has-nsg",
  description:
    "Every subnet (including delegated APIM and Container Apps subnets and private endpoint subnets) must have a network security group; GatewaySubnet and Azure Firewall subnets are exempt because they do not support one.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["excessive-permissions", "transport-security"],
  remediation: "Set networkSecurityGroup.id on the subnet.",
  checkov: ["CKV2_AZURE_31"],
  configSchema: {
    properties: { exemptSubnets: { type: "array", items: { type: "string" }, description: "Subnet names to exempt besides the platform subnets." } },
  },
  azurePolicy: [
    { name: "Subnets should be associated with a Network Security Group", id: "e71308d3-144b-4262-b144-efdc3cc90517" },
  ],
  types: ["azure-native:network:Subnet", "azure-native:network:VirtualNetwork"],
  validate: (props, args, report) => {
    const exempt = [...PLATFORM_SUBNETS, ...(args.getConfig<SubnetConfig>().exemptSubnets ?? [])];
    const subnets = args.type === "azure-native:network:Subnet" ? [props] : list(get(props, "subnets"));
    for (const subnet of subnets) {
      const bad = subnetProblem(subnet, args.name, exempt);
      if (bad !== undefined) report(finding(bad, `Subnet ${bad} has no network security group.`));
    }
  },
});

const PRIVATE_ENDPOINT = ["azure-native:network:PrivateEndpoint", "azure-native:network:InterfaceEndpoint"];

function endpointName(props: Props, logicalName: string): string {
  return str(peek(props, "privateEndpointName")) ?? logicalName;
}

const ZONE_GROUP = ["azure-native:network:PrivateDnsZoneGroup"];
const PRIVATE_ZONE = ["azure-native:privatedns:PrivateZone", "azure-native:network:PrivateZone"];

/** The DNS zone groups of a private endpoint: by dependency, or by its known name. */
function zoneGroupsOf(pe: PolicyResource, groups: readonly PolicyResource[]): PolicyResource[] {
  const name = endpointName(pe.props, pe.name);
  return groups.filter((g) => refersTo(g, "privateEndpointName", pe) || knownEquals(g.props, "privateEndpointName", name));
}

/** `/subscriptions/.../privateDnsZones/privatelink.azurecr.io` -> `privatelink.azurecr.io`. */
const zoneNameOfId = (id: string) => id.split("/").filter(Boolean).pop() ?? id;

/**
 * The zones a DNS zone group writes into. At preview a zone's id is unknown, but the group depends on the zone it
 * names, whose name is known: the zones of the stack it refers to count first. Without one, every zone id is read
 * (an unknown id defers the rule: it cannot be judged).
 */
function zonesWrittenBy(group: PolicyResource, zones: readonly PolicyResource[]): string[] {
  const referred = zones.filter((z) => refersTo(group, "privateDnsZoneConfigs", z));
  if (referred.length > 0) {
    const known = collectStrings(peek(group.props, "privateDnsZoneConfigs")).filter((v) => /\/privateDnsZones\//i.test(v)).map(zoneNameOfId);
    return [...new Set([...referred.map((z) => String(get(z.props, "privateZoneName"))), ...known])];
  }
  return list(group.props["privateDnsZoneConfigs"]).map((c) => zoneNameOfId(String(get(c, "privateDnsZoneId"))));
}

interface ZoneConfig {
  additionalZones?: Record<string, string[]>;
}

export const networkPrivateEndpointDnsZoneMatches = stackRule({
  name: "azure-network-private-endpoint-dns-zone-matches",
  description:
    "A private endpoint's DNS zone group must write into the privatelink zone of the sub-resource it connects to (privatelink.azurecr.io for a registry, privatelink.vaultcore.azure.net for a vault, ...); in any other zone the service's name keeps resolving to its public address, so traffic meant for the endpoint leaves the VNet or fails.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security", "supply-chain"],
  remediation:
    'Point the zone group\'s privateDnsZoneConfigs at the zone Learn lists for the group id ("Azure Private Endpoint private DNS zone values"), e.g. privatelink.azurecr.io for "registry"; set the option additionalZones for a sovereign cloud\'s zones.',
  configSchema: {
    properties: {
      additionalZones: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, default: {} },
    },
  },
  validate: (args, report) => {
    const extra = args.getConfig<ZoneConfig>().additionalZones ?? {};
    const groups = ofTypes(args.resources, ZONE_GROUP);
    const zones = ofTypes(args.resources, PRIVATE_ZONE);
    for (const pe of ofTypes(args.resources, PRIVATE_ENDPOINT)) {
      const connections = [...list(pe.props["privateLinkServiceConnections"]), ...list(pe.props["manualPrivateLinkServiceConnections"])];
      for (const groupId of new Set(connections.flatMap((c) => strings(get(c, "groupIds"))))) {
        const expected = [...privateLinkZonesFor(groupId), ...(extra[groupId] ?? extra[groupId.toLowerCase()] ?? [])].map((z) => z.toLowerCase());
        if (expected.length === 0) continue; // a sub-resource the table does not list: not judged
        for (const group of zoneGroupsOf(pe, groups)) {
          for (const zone of zonesWrittenBy(group, zones)) {
            const z = zone.toLowerCase();
            if (!expected.some((e) => z === e || z.endsWith(`.${e}`))) {
              report(
                finding(
                  `${pe.name}:${zone}`,
                  `Private endpoint ${shown(pe.name)} connects to "${groupId}", but its DNS zone group writes into ${zone}; "${groupId}" resolves through ${expected.join(" or ")}.`,
                ),
                pe.urn,
              );
            }
          }
        }
      }
    }
  },
});

export const networkPrivateEndpointDnsZoneGroup = stackRule({
  name: "azure-network-private-endpoint-dns-zone-group",
  description: "Every private endpoint must have a private DNS zone group, so clients resolve the service to its private address.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security"],
  remediation: "Add a network.PrivateDnsZoneGroup for the endpoint linking the service's privatelink.* zone.",
  validate: (args, report) => {
    const groups = ofTypes(args.resources, ["azure-native:network:PrivateDnsZoneGroup"]);
    for (const pe of ofTypes(args.resources, PRIVATE_ENDPOINT)) {
      const name = endpointName(pe.props, pe.name);
      const linked = groups.some(
        (g) =>
          (refersTo(g, "privateEndpointName", pe) || knownEquals(g.props, "privateEndpointName", name)) &&
          list(g.props["privateDnsZoneConfigs"]).length > 0,
      );
      if (!linked) report(`Private endpoint ${shown(pe.name)} has no private DNS zone group with a zone.`, pe.urn);
    }
  },
});

export const networkRules: Rule[] = [
  networkNsgNoInternetManagementPorts,
  networkNsgNoInternetCleartextPorts,
  networkSubnetHasNsg,
  networkPrivateEndpointDnsZoneGroup,
  networkPrivateEndpointDnsZoneMatches,
];
