import type { PlatformSettings } from "./settings";

/**
 * The resources the stack brings instead of letting the kit create them (the `existing` settings), stated once.
 * Bringing one is no weakening by itself, but the kit neither sets nor checks it: this stack's pack sees only
 * what the stack registers, so a brought resource's own settings are its owner's to keep. The plan lists each
 * one (cli/planSummary.ts) with what its owner must guarantee, named by the setting that brings it.
 */
export interface BroughtResource {
  /** The setting that brings it, as a config path (`["monitoring", "existing"]`). */
  readonly setting: readonly string[];
  /** What it is, e.g. "Log Analytics workspace". */
  readonly kind: string;
  /** Its ARM id, as given. */
  readonly id: string;
  /** What its owner must guarantee, since this stack's pack cannot check it. */
  readonly guarantees: string;
}

/** What the gateway subnet needs for the tier's network model. */
function gatewaySubnetNeeds(s: PlatformSettings): string {
  if (s.gatewayNetworkMode === "integration") return "delegated to Microsoft.Web/serverFarms";
  if (s.gatewayNetworkMode === "injectionV2") return "delegated to Microsoft.Web/hostingEnvironments";
  return "undelegated, with the NSG rules API Management injection requires (management endpoint 3443, load balancer)";
}

/** Every resource the settings bring: workspace, network, vault, gateway identity. */
export function broughtResources(s: PlatformSettings): BroughtResource[] {
  const out: BroughtResource[] = [];
  if (s.monitoring.existing) {
    out.push({
      setting: ["monitoring", "existing"],
      kind: "Log Analytics workspace",
      id: s.monitoring.existing.workspaceId,
      guarantees:
        "local auth disabled (Entra only), resource-context access, retention long enough for investigations; the deployer may add diagnostic settings that send to it",
    });
  }
  const network = s.network.existing;
  if (network) {
    const zones = network.privateDnsZoneIds ? "its private DNS zones (the hub's) hold this stack's private endpoint records" : "if it uses custom DNS servers, they resolve the private zones this stack links to it";
    out.push({
      setting: ["network", "existing"],
      kind: "virtual network",
      id: network.virtualNetworkId,
      guarantees:
        `an NSG on every subnet that admits only what each needs (the gateway's clients on 443, the apps from the gateway subnet only), ` +
        `default outbound access off and a route for egress, the gateway subnet ${gatewaySubnetNeeds(s)}, the apps subnet delegated to Microsoft.App/environments, ` +
        `private endpoint network policies enabled on the endpoints subnet; ${zones}`,
    });
  }
  const vault = s.keyVault.existing;
  if (vault) {
    const secrets = [...new Set(s.servers.flatMap((server) => Object.values(server.secrets)))];
    out.push({
      setting: ["keyVault", "existing"],
      kind: "Key Vault",
      id: vault.id,
      guarantees:
        "Azure RBAC authorization (no access policies), purge protection and soft delete, public network access disabled (hardened-mcp preflight reads these three), a delete lock" +
        (vault.privateEndpoint ? "" : ", a private endpoint that resolves from this stack's VNet") +
        (secrets.length > 0 ? `; it holds the secrets the servers reference (${secrets.join(", ")}): the kit declares none in a vault it does not own` : ""),
    });
  }
  if (s.gateway.identity) {
    out.push({
      setting: ["gateway", "identity", "existing"],
      kind: "user-assigned identity (gateway)",
      id: s.gateway.identity.existing.id,
      guarantees:
        "no role assignments or app role grants other than the ones this stack makes (the gateway acts with all of them), and no federated credentials",
    });
  }
  return out;
}
