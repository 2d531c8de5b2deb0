import { effective, eqi, get, isAnySource, list, Props, str } from "./util";

/**
 * Service firewalls, for the equivalent controls Azure itself accepts: a firewall that denies by default and
 * admits only listed addresses and subnets is the "firewall enabled" branch of Azure Policy's "firewall
 * enabled or public network access disabled" definitions (Key Vault 55615ac9, Azure AI services 037eea7a,
 * Storage 34c877ad). Learn: https://learn.microsoft.com/azure/key-vault/general/network-security,
 * https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks,
 * https://learn.microsoft.com/azure/storage/common/storage-network-security.
 */

/** Where a service keeps its firewall, and how its IP rules name their address. */
export interface FirewallShape {
  /** Path of the rule set (`properties.networkAcls`, `networkRuleSet`). */
  readonly acl: string;
  /** The IP rule's address field (`value` on Key Vault and AI services, `iPAddressOrRange` on Storage and ACR). */
  readonly ipField: string;
  /** Path of publicNetworkAccess. */
  readonly publicNetworkAccess: string;
}

export const FIREWALLS = {
  keyVault: { acl: "properties.networkAcls", ipField: "value", publicNetworkAccess: "properties.publicNetworkAccess" },
  cognitive: { acl: "properties.networkAcls", ipField: "value", publicNetworkAccess: "properties.publicNetworkAccess" },
  storage: { acl: "networkRuleSet", ipField: "iPAddressOrRange", publicNetworkAccess: "publicNetworkAccess" },
  registry: { acl: "networkRuleSet", ipField: "iPAddressOrRange", publicNetworkAccess: "publicNetworkAccess" },
} as const satisfies Record<string, FirewallShape>;

/** IP rules that admit the whole internet (a Deny default with an allow-all rule is no firewall). */
export function anyIpRules(props: Props, shape: FirewallShape): string[] {
  return list(get(props, `${shape.acl}.ipRules`))
    .map((r) => str(get(r, shape.ipField)) ?? "")
    .filter((a) => a.trim() === "" || isAnySource(a));
}

/** The firewall's effective default action is Deny and no IP rule admits everyone. */
export function firewallDenies(props: Props, type: string, shape: FirewallShape): boolean {
  return eqi(effective(props, type, `${shape.acl}.defaultAction`).value, "Deny") && anyIpRules(props, shape).length === 0;
}

/** publicNetworkAccess is (effectively) Disabled. */
export function publicAccessDisabled(props: Props, type: string, shape: FirewallShape): boolean {
  return eqi(effective(props, type, shape.publicNetworkAccess).value, "Disabled");
}
