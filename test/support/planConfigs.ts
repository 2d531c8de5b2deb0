import { devEngineConfig, devRawConfig, toEngineConfig } from "../config/fixtures";

/**
 * The engine configs of every whole-platform plan the suite shares (test/support/plans.ts), by name. Each is
 * synthesized once per run, in globalSetup's child processes, and read by every test that needs it.
 */
type Raw = Record<string, any>;

/** Pulumi.dev.yaml changed by `change`, with the location and subscription kept from the dev stack. */
function devWith(change: (raw: Raw) => void): Record<string, string> {
  const raw = devRawConfig();
  const base = devEngineConfig();
  delete raw.location;
  delete raw.subscriptionId;
  change(raw);
  return { ...toEngineConfig(raw), "azure-native:location": base["azure-native:location"], "azure-native:subscriptionId": base["azure-native:subscriptionId"] };
}

/** One server, bring-your-own Entra, an existing resource group, a custom domain, no Content Safety. */
function broughtEverything(raw: Raw, options: { allowDestroy?: boolean } = {}): void {
  raw.nameSuffix = "t3st1";
  raw.resourceGroup = { name: "rg-shared-mcp", useExisting: true };
  raw.contentSafety = { enabled: false };
  if (options.allowDestroy) raw.keyVault = { allowDestroy: true };
  raw.entra = { mode: "existing", allowedClientAppIds: ["aebc6443-996d-45c2-90f0-388ff96faa56"] };
  raw.gateway.customDomain = { hostName: "mcp.contoso.com", certificateSecretId: "https://kv-mcp-dev-t3st1.vault.azure.net/secrets/gateway-tls", bind: true };
  raw.servers = [
    {
      ...raw.servers[1],
      entraApp: { clientId: "44444444-4444-4444-4444-444444444444", applicationIdUri: "api://44444444-4444-4444-4444-444444444444" },
    },
  ];
}

/** The four shared resources a landing zone brings (the `existing` settings) instead of the kit's. */
const SPOKE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-spoke-mcp/providers/Microsoft.Network/virtualNetworks/vnet-spoke-mcp";
const HUB_ZONES = "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones";

export const BROUGHT = {
  vaultId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared-kv/providers/Microsoft.KeyVault/vaults/kv-landing-zone",
  network: {
    virtualNetworkId: SPOKE,
    subnets: {
      gateway: { id: `${SPOKE}/subnets/snet-apim`, addressPrefix: "10.50.0.0/27" },
      endpoints: { id: `${SPOKE}/subnets/snet-pe`, addressPrefix: "10.50.1.0/26" },
      apps: { id: `${SPOKE}/subnets/snet-apps`, addressPrefix: "10.50.2.0/23" },
    },
    privateDnsZoneIds: {
      keyVault: `${HUB_ZONES}/privatelink.vaultcore.azure.net`,
      cognitiveServices: `${HUB_ZONES}/privatelink.cognitiveservices.azure.com`,
    },
  },
  workspaceId: "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-management/providers/Microsoft.OperationalInsights/workspaces/law-central",
  gatewayIdentity: {
    id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-apim-mcp",
    clientId: "22222222-2222-2222-2222-222222222222",
    principalId: "33333333-3333-3333-3333-333333333333",
  },
} as const;

/** Pulumi.dev.yaml with every shared resource brought. */
function broughtExisting(raw: Raw): void {
  delete raw.monitoring.retentionInDays;
  raw.monitoring.existing = { workspaceId: BROUGHT.workspaceId };
  raw.gateway.identity = { existing: { ...BROUGHT.gatewayIdentity } };
  raw.network = { existing: BROUGHT.network };
  raw.keyVault = { existing: { id: BROUGHT.vaultId } };
}

export const PLAN_CONFIGS = {
  /** The kit's default program with Pulumi.dev.yaml. */
  "kit-dev": devEngineConfig,
  /** The same config synthesized again in another process (plans must be byte-identical). */
  "kit-dev-again": devEngineConfig,
  /** The monitoring.alerts: false weakening. */
  "alerts-off": () => ({ ...devEngineConfig(), ...toEngineConfig({ monitoring: { alerts: false } }) }),
  /** test/platform: the brought-everything variant, with the vault's delete lock off. */
  "platform-brought": () => devWith((r) => broughtEverything(r, { allowDestroy: true })),
  /** test/platform: Premium, VNet-injected, internal, custom domain configured but not bound, registry private endpoint. */
  "platform-internal": () => {
    const internal = devRawConfig();
    Object.assign(internal.gateway, {
      sku: "Premium",
      virtualNetworkMode: "Internal",
      // Configured but not bound yet: the first of the two deployments a custom domain takes.
      customDomain: { hostName: "mcp.contoso.com", certificateSecretId: "https://kv-mcp-dev-t3st2.vault.azure.net/secrets/gateway-tls" },
    });
    // Both servers pull from one registry over its private endpoint (one endpoint for the two).
    const servers = internal.servers.map((server: Raw) => ({ ...server, registry: { ...server.registry, privateEndpoint: true } }));
    return { ...devEngineConfig(), ...toEngineConfig({ gateway: internal.gateway, nameSuffix: "t3st2", servers }) };
  },
  /** test/policies/rules/dogfoodVariants: every gateway tier and network mode, and the options the other way. */
  "premium-external": () => devWith((r) => Object.assign(r.gateway, { sku: "Premium", virtualNetworkMode: "External" })),
  "premium-internal": () => devWith((r) => Object.assign(r.gateway, { sku: "Premium", virtualNetworkMode: "Internal" })),
  developer: () => devWith((r) => Object.assign(r.gateway, { sku: "Developer", capacity: 1 })),
  "brought-everything": () => devWith((r) => broughtEverything(r)),
  /** test/platform/brought and dogfoodVariants: an existing workspace, network, vault and gateway identity. */
  "brought-existing": () => devWith(broughtExisting),
} satisfies Record<string, () => Record<string, string>>;

export type SharedPlanName = keyof typeof PLAN_CONFIGS;
export const SHARED_PLAN_NAMES = Object.keys(PLAN_CONFIGS) as SharedPlanName[];
