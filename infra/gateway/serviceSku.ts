/**
 * Which API Management tiers the kit deploys, and the network shape each one gets. Pure functions: no
 * Pulumi resources, so every refusal is tested without mocks.
 */
// The enums alone: this module stays free of resource classes (and loads in milliseconds).
import { SkuType } from "@pulumi/azure-native/types/enums/apimanagement";
import { APIM_API_VERSION } from "../../baseline/apim";
import { DNS_HOST_NAME } from "../../baseline/identifiers";
import { hasFixedCiphers, LEGACY_PROTOCOLS, WEAK_CIPHERS } from "../../baseline/tls";
import { SettingError } from "../shared/settingError";

/** API version of `apimanagement.ApiManagementService` in the pinned @pulumi/azure-native. */
export const PINNED_APIM_API_VERSION = APIM_API_VERSION;

/** The SKU names the pinned SDK's API version accepts (its `SkuType` enum). */
export const PINNED_SKU_NAMES: readonly string[] = Object.values(SkuType);

/** How a tier joins the VNet. */
export type GatewayNetworkModel =
  /** v2 outbound integration: public gateway, calls into the VNet through a subnet delegated to Microsoft.Web/serverFarms. */
  | "integration"
  /** Classic injection: the gateway's units live in a subnet with no delegation and an NSG; External or Internal. */
  | "injection"
  /** Premium v2 injection: a subnet delegated to Microsoft.Web/hostingEnvironments. */
  | "v2-injection";

interface TierShape {
  readonly network: GatewayNetworkModel;
  readonly maxCapacity: number;
  readonly zonesAllowed: boolean;
  readonly publicIpAllowed: boolean;
  readonly note: string;
}

/** The tiers the kit supports. Each can keep backends private, which the kit requires. */
export const GatewayTiers = {
  StandardV2: {
    network: "integration",
    maxCapacity: 10,
    zonesAllowed: false,
    publicIpAllowed: false,
    note: "public gateway with outbound VNet integration (the default)",
  },
  Premium: {
    network: "injection",
    maxCapacity: 31,
    zonesAllowed: true,
    publicIpAllowed: true,
    note: "classic VNet injection, External or Internal, availability zones",
  },
  Developer: {
    network: "injection",
    maxCapacity: 1,
    zonesAllowed: false,
    publicIpAllowed: true,
    note: "classic VNet injection for non-production: no SLA, one unit",
  },
  PremiumV2: {
    network: "v2-injection",
    maxCapacity: 30,
    zonesAllowed: false,
    publicIpAllowed: false,
    note: "VNet injection on the v2 platform",
  },
} as const satisfies Record<string, TierShape>;

export type GatewaySkuName = keyof typeof GatewayTiers;

/**
 * Which policy feature set a tier has: the v2 tiers lack some classic policies (`quota-by-key`), so the
 * gateway policy limits client applications differently on each.
 */
export function gatewayTierFamily(sku: GatewaySkuName): "v2" | "classic" {
  return sku.endsWith("V2") ? "v2" : "classic";
}

/** Tiers refused outright, with the reason shown to the user. */
export const RefusedGatewayTiers: Readonly<Record<string, string>> = {
  Consumption: "it cannot reach a private backend (no VNet integration or injection)",
  Basic: "it cannot reach a private backend (no VNet support)",
  Standard: "it cannot reach a private backend (no VNet support)",
  BasicV2: "it cannot reach a private backend (VNet integration starts at Standard v2)",
  Isolated: "it is not generally available",
};

export type VirtualNetworkMode = "External" | "Internal";

export interface GatewaySkuArgs {
  /**
   * Optional. The tier.
   * @default "StandardV2"
   */
  readonly sku?: string;
  /**
   * Optional. Scale units.
   * @default 1
   */
  readonly capacity?: number;
  /**
   * Optional. Injection mode for Premium/Developer/PremiumV2: `External` keeps the gateway on a public
   * IP (the kit's front door); `Internal` gives it only a private VIP, so clients need a path into the
   * VNet (Application Gateway, Front Door with Private Link, VPN). Standard v2 is always `External`
   * (outbound integration only).
   * @default "External"
   */
  readonly virtualNetworkMode?: VirtualNetworkMode;
  /**
   * Optional. A Standard-SKU public IPv4 address (ARM id) for a classic injected gateway, so its address
   * is yours and stable. Premium/Developer only.
   * @default none (Azure manages the address)
   */
  readonly publicIpAddressId?: unknown;
  /**
   * Optional. Availability zones. Premium only.
   * @default none
   */
  readonly zones?: readonly string[];
}

/** The SKU and network properties of the service, derived from the tier. */
export interface ResolvedGatewaySku {
  readonly sku: { readonly name: GatewaySkuName; readonly capacity: number };
  readonly network: GatewayNetworkModel;
  readonly virtualNetworkType: VirtualNetworkMode;
  /**
   * Always "Enabled". For Standard v2 the gateway is the public front door (and API Management refuses
   * "Disabled" at creation). For an injected gateway, the setting governs private-endpoint-only access,
   * which injection does not support; an `Internal` gateway has no public listener regardless.
   */
  readonly publicNetworkAccess: "Enabled";
  readonly zones?: readonly string[];
}

/** A problem with one of `GatewaySkuArgs`' fields (the names `McpGatewayServiceArgs` uses too). */
function bad(field: keyof GatewaySkuArgs, problem: string, fix: string): never {
  throw new SettingError({ field: [field], problem, fix });
}

/**
 * Checks the tier and its network options and returns what the service resource needs. Refuses tiers that
 * cannot keep backends private, and tiers the pinned API version cannot express (`PremiumV2` with API
 * 2024-05-01), rather than sending Azure something it would reject.
 */
export function resolveGatewaySku(args: GatewaySkuArgs, pinnedSkuNames: readonly string[] = PINNED_SKU_NAMES): ResolvedGatewaySku {
  const name = args.sku ?? "StandardV2";
  const refusedReason = RefusedGatewayTiers[name];
  if (refusedReason !== undefined) {
    bad("sku", `"${name}" is refused: ${refusedReason}`, "Use StandardV2 (default), Premium, or Developer for non-production");
  }
  if (!Object.prototype.hasOwnProperty.call(GatewayTiers, name)) {
    bad("sku", `"${name}" is not an API Management tier the kit knows`, `Use one of ${Object.keys(GatewayTiers).join(", ")}`);
  }
  const skuName = name as GatewaySkuName;
  if (!pinnedSkuNames.includes(skuName)) {
    bad(
      "sku",
      `"${skuName}" cannot be deployed with the pinned @pulumi/azure-native: its API Management API ` +
        `version ${PINNED_APIM_API_VERSION} has no ${skuName} SKU, so Azure would reject the request`,
      "Use Premium (classic VNet injection) or StandardV2 (outbound VNet integration), or upgrade to an SDK whose API version lists it",
    );
  }
  const tier: TierShape = GatewayTiers[skuName];
  const capacity = args.capacity ?? 1;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > tier.maxCapacity) {
    bad("capacity", `${capacity} is out of range for ${skuName}`, `Use a whole number from 1 to ${tier.maxCapacity}`);
  }
  const mode = args.virtualNetworkMode ?? "External";
  if (mode !== "External" && mode !== "Internal") {
    bad("virtualNetworkMode", `"${String(mode)}" is not External or Internal`, "Use External (the default) or Internal");
  }
  if (tier.network === "integration" && mode === "Internal") {
    bad(
      "virtualNetworkMode",
      `"Internal" is not available on ${skuName}: its VNet integration is outbound only`,
      "Use Premium for an internal gateway, or keep External (the default)",
    );
  }
  if (args.publicIpAddressId !== undefined && !tier.publicIpAllowed) {
    bad("publicIpAddressId", `applies only to classic injection (Premium, Developer), not ${skuName}`, "Remove it");
  }
  if (args.zones !== undefined && args.zones.length > 0 && !tier.zonesAllowed) {
    bad("zones", `is supported here only on Premium, not ${skuName}`, "Remove it or use Premium");
  }
  return {
    sku: { name: skuName, capacity },
    network: tier.network,
    virtualNetworkType: mode,
    publicNetworkAccess: "Enabled",
    ...(args.zones && args.zones.length > 0 ? { zones: args.zones } : {}),
  };
}

const PREFIX = "Microsoft.WindowsAzure.ApiManagement.Gateway";

/** The weak suites the gateway stops offering: the pack's list, which its TLS rules require off. */
export const WEAK_CIPHER_SUITES = WEAK_CIPHERS;

/**
 * The service's `customProperties`: SSL 3.0, TLS 1.0 and 1.1 off towards clients and backends, weak
 * ciphers off, HTTP/2 on. Every value is written explicitly, because API Management resets an omitted
 * property to its default on update.
 */
export function gatewayTlsCustomProperties(sku: GatewaySkuName): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const side of ["Security.Protocols", "Security.Backend.Protocols"]) {
    for (const protocol of LEGACY_PROTOCOLS) properties[`${PREFIX}.${side}.${protocol}`] = "False";
  }
  // The v2 tiers' cipher suites are fixed by the platform; the service does not take cipher settings there.
  if (!hasFixedCiphers(sku)) {
    for (const cipher of WEAK_CIPHER_SUITES) properties[`${PREFIX}.Security.Ciphers.${cipher}`] = "False";
  }
  properties[`${PREFIX}.Protocols.Server.Http2`] = "True";
  return properties;
}

/**
 * Checks a custom host name for the gateway: a lowercase DNS name with at least two labels, no wildcard,
 * not under Azure's own `azure-api.net`.
 */
export function validateGatewayHostName(hostName: string): void {
  const field = ["customDomain", "hostName"];
  if (!DNS_HOST_NAME.test(hostName)) {
    throw new SettingError({
      field,
      problem: `"${hostName}" is not a lowercase DNS host name`,
      fix: "Use the name clients will call, e.g. mcp.contoso.com (no scheme, port, path or wildcard)",
    });
  }
  if (/\.azure-api\.net$/.test(hostName)) {
    throw new SettingError({ field, problem: `"${hostName}" is under azure-api.net, which Azure assigns`, fix: "Use a domain you own, or drop customDomain" });
  }
}
