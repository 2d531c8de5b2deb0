import type { GatewayNetworkMode, SubnetCidrs } from "../network/cidr";
import type { CallLimit } from "../gateway/policy/settings";
import { GatewaySkuName, GatewayTiers } from "../gateway/serviceSku";
import { ResourceNames } from "./naming";

/**
 * The platform's validated settings: plain data, every default applied, every cross-field rule
 * checked. `parsePlatformConfig` is the only way to build one; `HardenedMcpPlatform` takes it as is.
 */
export interface PlatformSettings {
  /** Pulumi project and stack the settings were built for (they feed names and tags). */
  readonly project: string;
  readonly stack: string;
  /** Short workload name that starts every resource name. */
  readonly workload: string;
  /** Azure region of every regional resource. */
  readonly location: string;
  /** Applied to every taggable resource: the user's tags plus `workload`, `stack` and `managed-by`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Entra tenant that issues the tokens the gateway accepts and that owns the Key Vault. */
  readonly tenantId: string;
  readonly resourceGroup: ResourceGroupSettings;
  readonly gateway: GatewaySettings;
  readonly network: NetworkSettings;
  /** How API Management attaches to the VNet, derived from the SKU. */
  readonly gatewayNetworkMode: GatewayNetworkMode;
  readonly monitoring: MonitoringSettings;
  readonly keyVault: KeyVaultSettings;
  readonly contentSafety: ContentSafetySettings;
  readonly entra: EntraSettings;
  readonly servers: readonly ServerSettings[];
  /** Every resource name, derived once (see `naming.ts`). */
  readonly names: ResourceNames;
}

export interface ResourceGroupSettings {
  /** Its name: the configured one, else `rg-<workload>-<stack>`. */
  readonly name: string;
  /** True: the platform creates it. False: it must already exist (`useExisting: true` in config). */
  readonly create: boolean;
}

/** The API Management tiers the kit knows (the gateway service's catalog; some are refused with a reason). */
export const GatewaySkus = Object.keys(GatewayTiers) as [GatewaySkuName, ...GatewaySkuName[]];
export type GatewaySku = GatewaySkuName;

export interface GatewaySettings {
  readonly publisherEmail: string;
  readonly publisherName: string;
  readonly sku: GatewaySku;
  /** Scale units. */
  readonly capacity: number;
  /** Injected tiers only: "External" (public gateway) or "Internal" (private VIP only). */
  readonly virtualNetworkMode: "External" | "Internal";
  /** Optional custom domain for the gateway, its certificate read from Key Vault by the gateway identity. */
  readonly customDomain?: CustomDomainSettings;
  /** The gateway's user-assigned identity, when it is brought (`gateway.identity.existing`); absent: the kit creates it. */
  readonly identity?: { readonly existing: ExistingIdentitySettings };
}

/** A user-assigned identity the kit does not create (checked by `WorkloadIdentity.fromExisting`). */
export interface ExistingIdentitySettings {
  readonly id: string;
  readonly clientId: string;
  readonly principalId: string;
}

export interface CustomDomainSettings {
  readonly hostName: string;
  /** `https://<vault>.vault.azure.net/secrets/<name>` (versionless, so renewals roll out on their own). */
  readonly certificateSecretId: string;
  /**
   * Whether the gateway serves the host name yet. API Management reads the certificate from the firewalled
   * vault with its system-assigned identity, which exists only after the first deployment: that deployment
   * grants it (bind false), the next binds the host name (bind true).
   */
  readonly bind: boolean;
}

export interface NetworkSettings {
  /** The kit's VNet's address space; absent with `existing`. */
  readonly addressSpace?: string;
  /** Every subnet's CIDR: the configured ones, the rest computed from the address space (with `existing`: the given ones). */
  readonly subnets: SubnetCidrs;
  /** A VNet the kit does not create (then egress is the landing zone's: mode "none"). */
  readonly existing?: ExistingNetworkSettings;
  /**
   * The outbound path of the gateway and apps subnets (default outbound access is off on every subnet):
   * a NAT gateway the kit creates, an existing one, or none (the landing zone routes egress, e.g. through
   * a firewall; without a route the workloads reach nothing outside the VNet).
   */
  readonly egress: { readonly mode: "natGateway" } | { readonly mode: "existing"; readonly natGatewayId: string } | { readonly mode: "none" };
}

/** A landing zone's VNet: its subnets (id and CIDR) and, where a hub owns them, its private DNS zones. */
export interface ExistingNetworkSettings {
  readonly virtualNetworkId: string;
  readonly subnets: Readonly<Record<"gateway" | "apps" | "endpoints", { readonly id: string; readonly addressPrefix: string }>>;
  readonly privateDnsZoneIds?: Readonly<Partial<Record<"keyVault" | "cognitiveServices" | "containerRegistry", string>>>;
}

export interface MonitoringSettings {
  /** Retention of the workspace the kit creates (with `existing`, its owner's: the setting is refused). */
  readonly retentionInDays: number;
  /** A Log Analytics workspace the kit does not create: every diagnostic setting and Application Insights use it. */
  readonly existing?: { readonly workspaceId: string };
  /** Weakening when false: no scheduled query alert rules (infra/monitoring/alerts.ts). */
  readonly alerts: boolean;
  /** Action group every alert rule notifies; absent: alerts show in Azure Monitor only. */
  readonly actionGroupId?: string;
}

export interface KeyVaultSettings {
  /**
   * Weakening, for throwaway stacks: no Pulumi `protect` and no `CanNotDelete` lock on the vault, so
   * `pulumi destroy` removes it (purge protection still keeps its name for the retention period).
   */
  readonly allowDestroy: boolean;
  /** A vault the kit does not create: it grants on it and (unless told otherwise) reaches it through its own private endpoint. */
  readonly existing?: ExistingVaultSettings;
}

export interface ExistingVaultSettings {
  readonly id: string;
  /** The vault's name, from its id. */
  readonly name: string;
  /** Given, or `https://<name>.vault.azure.net/`. */
  readonly vaultUri: string;
  /** Whether this stack makes a private endpoint to it in the endpoints subnet. */
  readonly privateEndpoint: boolean;
}

export interface ContentSafetySettings {
  /** Prompt Shields screening of tool arguments and results at the gateway. */
  readonly enabled: boolean;
  /** Weakening: let calls through when Content Safety is unreachable (default: block them). */
  readonly failOpen: boolean;
  /** Region of the Content Safety account (Prompt Shields is not in every region). */
  readonly location: string;
}

/** How the per-server Entra applications (the token audiences) come to exist. */
export interface EntraSettings {
  /**
   * "create": the platform registers each server's MCP application with @pulumi/azuread.
   * "existing": an identity team registered them; each server names its own (`entraApp`).
   * Either way the platform creates each server's backend application (only the gateway may call it).
   */
  readonly mode: "create" | "existing";
  /** MCP clients (e.g. VS Code) pre-authorized for the scope: no consent prompt. Also accepted by the gateway. */
  readonly preAuthorizedClientIds: readonly string[];
  /** Further client applications whose tokens the gateway accepts. Empty with no pre-authorized clients: any client of the tenant. */
  readonly allowedClientAppIds: readonly string[];
}

export interface ToolSettings {
  /** The MCP tool name, exactly as the server lists it. */
  readonly name: string;
  /** Entra app roles allowed to call it; a caller needs at least one. */
  readonly roles: readonly string[];
  /** SHA-256 of the tool's canonical definition (`hardened-mcp tools pin`); a listed definition that differs is drift. */
  readonly definitionSha256?: string;
}

export interface ServerSettings {
  /** Container App name and APIM path segment: lowercase, 2-32 characters. */
  readonly name: string;
  /** Container image, pinned by digest unless `allowTagOnlyImages`. */
  readonly image: string;
  /** Weakening: accept a tag-only image reference (mutable: what runs can change without a deploy). */
  readonly allowTagOnlyImages: boolean;
  /** Port the server listens on inside the environment. */
  readonly port: number;
  /** Plain environment variables (never secrets: those go in `secrets`). */
  readonly env: Readonly<Record<string, string>>;
  /** Environment variable name -> Key Vault secret name, read through the server's identity. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The approved tools: anything else is refused at the gateway. */
  readonly tools: readonly ToolSettings[];
  /** HTTP path of the health probe. */
  readonly healthPath: string;
  readonly cpu: number;
  /** e.g. "1Gi"; Container Apps requires memory = 2 x cpu in Gi. */
  readonly memory: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Env names that look like credentials but are not (the server component refuses them otherwise). */
  readonly allowPlainEnvNames: readonly string[];
  /** Private registry pulled with the server's identity (AcrPull on that registry only, when `resourceId` is set). */
  readonly registry?: { readonly server: string; readonly resourceId?: string; readonly privateEndpoint?: boolean };
  /** Gateway policy options; each absent one takes the policy's secure default (`resolveMcpPolicySettings`). */
  readonly allowedOrigins?: readonly string[];
  readonly maxBodyBytes?: number;
  readonly rateLimit?: CallLimit;
  readonly toolRateLimit?: CallLimit;
  /** Per caller within a client application (the policy default unless set). */
  readonly clientAppQuota?: CallLimit;
  /** Weakening: one `clientAppQuota` bucket for every caller of a client application. */
  readonly sharedClientAppQuota: boolean;
  /** What a drifted tool definition gets: removed from tools/list (the policy default) or the list refused. */
  readonly toolDrift?: "remove" | "refuse";
  readonly backendTimeoutSeconds?: number;
  /** Bring-your-own Entra app (required when `entra.mode` is "existing"). */
  readonly entraApp?: { readonly clientId: string; readonly applicationIdUri: string };
  /**
   * The gateway publishes RFC 8414 metadata for this server naming Entra's endpoints and declaring S256, and the PRM
   * names the gateway as authorization server (`McpServerApi` `serveAuthServerMetadata`; trade-offs: docs/clients.md).
   */
  readonly serveAuthServerMetadata: boolean;
}
