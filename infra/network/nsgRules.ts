import { GatewayNetworkMode, SubnetCidrs, SubnetRole } from "./cidr";

/** One NSG security rule, in the shape `network.NetworkSecurityGroup` takes. */
export interface NsgRule {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: "Tcp" | "Udp" | "*";
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: string[];
  readonly sourcePortRange: "*";
  readonly destinationAddressPrefix: string;
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: string[];
}

/** The explicit deny that ends every inbound rule list, above Azure's permissive defaults (65000+). */
export const DENY_ALL_INBOUND_PRIORITY = 4096;

/**
 * Node ports of a workload-profiles environment's load balancer. Microsoft's table prints
 * "30,000-32,676"; the range Kubernetes allocates NodePorts from is 30000-32767, a superset.
 */
export const CONTAINER_APPS_NODE_PORTS = "30000-32767";

export interface NsgRuleContext {
  readonly subnets: SubnetCidrs;
  readonly gatewayMode: GatewayNetworkMode;
  /** Who may call the gateway on 443 in the injection modes (CIDRs or service tags). */
  readonly gatewayClientSources: readonly string[];
}

type RuleSpec = Omit<NsgRule, "sourcePortRange" | "sourceAddressPrefix" | "sourceAddressPrefixes" | "destinationPortRange" | "destinationPortRanges"> & {
  readonly sources: readonly string[];
  readonly ports: readonly string[];
};

function rule(spec: RuleSpec): NsgRule {
  const { sources, ports, ...rest } = spec;
  return {
    ...rest,
    sourcePortRange: "*",
    ...(sources.length === 1 ? { sourceAddressPrefix: sources[0] } : { sourceAddressPrefixes: [...sources] }),
    ...(ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: [...ports] }),
  };
}

const denyAllInbound: NsgRule = rule({
  name: "DenyAllInbound",
  description: "Deny everything not allowed above; overrides Azure's default AllowVnetInBound and AllowAzureLoadBalancerInBound.",
  priority: DENY_ALL_INBOUND_PRIORITY,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sources: ["*"],
  destinationAddressPrefix: "*",
  ports: ["*"],
});

const inbound = (
  priority: number,
  name: string,
  sources: readonly string[],
  destination: string,
  ports: string[],
  description: string,
  protocol: NsgRule["protocol"] = "Tcp",
): NsgRule =>
  rule({ name, description, priority, direction: "Inbound", access: "Allow", protocol, sources, destinationAddressPrefix: destination, ports });

/** HTTPS from the allowed client sources: the only way in to the gateway. */
const clientHttpsInbound = (ctx: NsgRuleContext, destination: string): NsgRule =>
  inbound(100, "AllowClientHttpsInbound", ctx.gatewayClientSources, destination, ["443"], "MCP clients reach the gateway over HTTPS only, from the allowed sources.");

const outbound = (priority: number, name: string, tag: string, ports: string[], description: string): NsgRule =>
  rule({ name, description, priority, direction: "Outbound", access: "Allow", protocol: "Tcp", sources: ["VirtualNetwork"], destinationAddressPrefix: tag, ports });

/**
 * Classic (stv2) injection: the rules Microsoft marks required in "Virtual network configuration
 * reference: API Management", plus Entra ID (the gateway fetches OpenID metadata for validate-jwt
 * and managed identity tokens). Optional features (Event Hubs, Redis, rate-limit sync) are left out.
 */
function classicInjectionRules(ctx: NsgRuleContext): NsgRule[] {
  return [
    clientHttpsInbound(ctx, "VirtualNetwork"),
    inbound(110, "AllowApiManagementControlPlaneInbound", ["ApiManagement"], "VirtualNetwork", ["3443"], "API Management management endpoint (required)."),
    inbound(120, "AllowAzureLoadBalancerInbound", ["AzureLoadBalancer"], "VirtualNetwork", ["6390"], "Azure infrastructure load balancer health probes (required)."),
    denyAllInbound,
    outbound(100, "AllowStorageOutbound", "Storage", ["443"], "Dependency on Azure Storage (required)."),
    outbound(110, "AllowSqlOutbound", "Sql", ["1433"], "Access to Azure SQL endpoints (required)."),
    outbound(120, "AllowKeyVaultOutbound", "AzureKeyVault", ["443"], "Access to Azure Key Vault (required)."),
    outbound(130, "AllowAzureMonitorOutbound", "AzureMonitor", ["1886", "443"], "Diagnostics logs, metrics, resource health, Application Insights (required)."),
    outbound(140, "AllowEntraIdOutbound", "AzureActiveDirectory", ["443"], "Entra ID: OpenID metadata for validate-jwt, managed identity tokens."),
    outbound(150, "AllowCertificateValidationOutbound", "Internet", ["80"], "Certificate chain and revocation checks (required)."),
  ];
}

/**
 * Premium v2 injection: Microsoft requires only outbound Storage 443; the kit adds the services the
 * gateway calls. The probe ports of v2's internal load balancer are not documented, so its source
 * tag is allowed on any port (the tag is only Azure's health-probe address).
 */
function v2InjectionRules(ctx: NsgRuleContext): NsgRule[] {
  return [
    clientHttpsInbound(ctx, ctx.subnets.gateway),
    inbound(120, "AllowAzureLoadBalancerInbound", ["AzureLoadBalancer"], ctx.subnets.gateway, ["*"], "Azure load balancer health probes."),
    denyAllInbound,
    outbound(100, "AllowStorageOutbound", "Storage", ["443"], "Dependency on Azure Storage (required)."),
    outbound(120, "AllowKeyVaultOutbound", "AzureKeyVault", ["443"], "Named values and certificates from Key Vault."),
    outbound(130, "AllowAzureMonitorOutbound", "AzureMonitor", ["443"], "Diagnostics and Application Insights."),
    outbound(140, "AllowEntraIdOutbound", "AzureActiveDirectory", ["443"], "Entra ID: OpenID metadata for validate-jwt, managed identity tokens."),
  ];
}

/**
 * The security rules of one subnet's NSG: only the traffic the platform needs, then an explicit
 * DenyAllInbound. Outbound stays on Azure's defaults except where Microsoft documents required
 * outbound rules (the injection modes), which are written out so a later outbound lockdown keeps them.
 */
export function securityRulesFor(role: SubnetRole, ctx: NsgRuleContext): NsgRule[] {
  const { gateway, apps, endpoints } = ctx.subnets;
  switch (role) {
    case "gateway":
      if (ctx.gatewayMode === "injection") return classicInjectionRules(ctx);
      if (ctx.gatewayMode === "injectionV2") return v2InjectionRules(ctx);
      // Integration carries only the gateway's outbound calls: nothing may come in.
      return [denyAllInbound];
    case "apps":
      return [
        inbound(100, "AllowGatewayHttpsInbound", [gateway], apps, ["443"], "Only the gateway calls MCP servers, over HTTPS, at the environment's internal load balancer."),
        inbound(110, "AllowGatewayNodePortsInbound", [gateway], apps, [CONTAINER_APPS_NODE_PORTS], "Gateway traffic forwarded by the environment's load balancer to node ports."),
        inbound(120, "AllowAzureLoadBalancerInbound", ["AzureLoadBalancer"], apps, [CONTAINER_APPS_NODE_PORTS], "Health probes of the environment's load balancer (required by Container Apps)."),
        inbound(130, "AllowIntraSubnetInbound", [apps], apps, ["*"], "Communication between the environment's own nodes (required by Container Apps).", "*"),
        denyAllInbound,
      ];
    case "endpoints":
      return [
        inbound(100, "AllowGatewayHttpsInbound", [gateway], endpoints, ["443"], "The gateway reaches private endpoints (Key Vault, Content Safety) over HTTPS."),
        inbound(110, "AllowAppsHttpsInbound", [apps], endpoints, ["443"], "MCP servers reach private endpoints (Key Vault) over HTTPS."),
        denyAllInbound,
      ];
  }
}
