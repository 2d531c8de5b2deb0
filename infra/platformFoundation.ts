import * as pulumi from "@pulumi/pulumi";
import { existingNetworkPlainArgs, privateDnsZonesFor } from "./config/derive";
import type { PlatformSettings } from "./config/settings";
import { ExistingVault } from "./keyvault/existingVault";
import { SecureVault } from "./keyvault/vault";
import type { VaultReference } from "./keyvault/vaultReference";
import { ExistingNetwork } from "./network/existingNetwork";
import { McpNetwork } from "./network/network";
import type { NetworkReference } from "./network/vnetComponent";

/**
 * The platform's network and vault: the kit's, or the ones the settings bring (`network.existing`,
 * `keyVault.existing`). Either way the platform gets the same reference, so everything that attaches to a subnet,
 * resolves through a zone or is granted on the vault is built the same way, and waits for what it waited for.
 */

/** Where the platform's own resources go. */
export interface FoundationPlacement {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The kit's VNet (subnets, NSGs, zones), or the brought one with the zones it lacks created and linked to it. */
export function platformNetwork(
  name: string,
  s: PlatformSettings,
  shared: { readonly placement: FoundationPlacement; readonly workspaceId: pulumi.Output<string>; readonly outboundNatGatewayId?: pulumi.Input<string> },
  opts: pulumi.ComponentResourceOptions,
): NetworkReference {
  const brought = existingNetworkPlainArgs(s);
  if (brought) return new ExistingNetwork(`${name}-network`, { ...shared.placement, ...brought }, opts);
  return new McpNetwork(
    `${name}-network`,
    {
      ...shared.placement,
      logAnalyticsWorkspaceId: shared.workspaceId,
      vnetName: s.names.virtualNetwork,
      networkSecurityGroupNames: s.names.networkSecurityGroups,
      addressSpace: s.network.addressSpace,
      subnets: s.network.subnets,
      gatewayMode: s.gatewayNetworkMode,
      ...(shared.outboundNatGatewayId !== undefined ? { outboundNatGatewayId: shared.outboundNatGatewayId } : {}),
      // Public clients reach an External injected gateway; an Internal one only from the VNet.
      ...(s.gatewayNetworkMode === "injection" && s.gateway.virtualNetworkMode === "External" ? { gatewayClientSources: ["Internet"] } : {}),
      privateDnsZones: privateDnsZonesFor(s),
    },
    opts,
  );
}

/** The kit's vault (RBAC, purge protection, private only, locked), or the brought one reached through this stack's endpoint. */
export function platformVault(
  name: string,
  s: PlatformSettings,
  shared: { readonly placement: FoundationPlacement; readonly workspaceId: pulumi.Output<string>; readonly network: NetworkReference },
  opts: pulumi.ComponentResourceOptions,
): VaultReference {
  const brought = s.keyVault.existing;
  const privateEndpoint = () => ({ subnetId: shared.network.endpointsSubnetId, privateDnsZoneId: shared.network.privateDnsZoneIdFor("keyVault") });
  if (brought) {
    return new ExistingVault(
      `${name}-vault`,
      { ...shared.placement, id: brought.id, vaultUri: brought.vaultUri, ...(brought.privateEndpoint ? { privateEndpoint: privateEndpoint() } : {}) },
      opts,
    );
  }
  return new SecureVault(
    `${name}-vault`,
    {
      ...shared.placement,
      vaultName: s.names.keyVault,
      tenantId: s.tenantId,
      logAnalyticsWorkspaceId: shared.workspaceId,
      privateEndpoint: privateEndpoint(),
      protect: !s.keyVault.allowDestroy,
      skipDeleteLock: s.keyVault.allowDestroy,
    },
    opts,
  );
}
