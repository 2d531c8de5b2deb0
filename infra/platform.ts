import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import type * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import { gatewayServicePlainArgs, mcpServerPlainArgs, monitoringPlainArgs, serverPolicyOptions, toolRoleValues } from "./config/derive";
import { isCheckedSettings, parsePlatformConfig, PlatformContext } from "./config/parse";
import { PlatformConfigInput } from "./config/schema";
import { PlatformSettings, ServerSettings } from "./config/settings";
import { McpContainerAppsEnvironment } from "./containerapps/environment";
import { McpServer } from "./containerapps/mcpServer";
import { planRegistryEndpoints, RegistryPrivateEndpoint, registryPrivateLink } from "./containerapps/registryEndpoint";
import { MCP_SERVER_TYPE, mcpServerIdentity } from "./containerapps/serverIdentity";
import { ContentSafety } from "./contentsafety/contentSafety";
import {
  createMcpBackendApplication,
  McpEntraAppInfo,
  McpEntraApplication,
  resolveExistingEntraApplication,
} from "./entra";
import { McpServerApi } from "./gateway/mcpServerApi";
import { McpRefusalFragment } from "./gateway/refusalFragment";
import { buildGlobalPolicy } from "./gateway/policy/documents";
import { McpGatewayService } from "./gateway/service";
import { gatewayTierFamily } from "./gateway/serviceSku";
import { WorkloadIdentity, WorkloadIdentityReference } from "./identity/workloadIdentity";
import type { VaultReference } from "./keyvault/vaultReference";
import { Monitoring } from "./monitoring/monitoring";
import { McpAlerts } from "./monitoring/alerts";
import { McpWorkbook } from "./monitoring/workbook";
import { EgressNatGateway } from "./network/natGateway";
import type { NetworkReference } from "./network/vnetComponent";
import { platformNetwork, platformVault } from "./platformFoundation";
import { after } from "./shared/armIds";
import { Grantee } from "./shared/types";

/**
 * What `HardenedMcpPlatform` takes: the platform's settings, typed, in the stack config's shape
 * (docs/configuration.md). Defaults are applied and every check runs inside the component, before it
 * registers anything; a bad input throws `ConfigError` listing every problem.
 */
export interface HardenedMcpPlatformArgs extends PlatformConfigInput {
  /**
   * Optional. The project and stack the names, tags and unique suffix derive from.
   * @default the running program's project and stack
   */
  readonly context?: PlatformContext;
}

/** The platform's outputs: plain URLs and ids, nothing secret. Registered once, as the component's outputs. */
export interface HardenedMcpPlatformOutputs {
  readonly resourceGroupName: pulumi.Output<string>;
  /** `https://<gateway host>`. */
  readonly gatewayUrl: pulumi.Output<string>;
  readonly vaultUri: pulumi.Output<string>;
  /** The workloads' outbound address (the kit's NAT gateway), for upstream allow-lists; "" when egress is yours. */
  readonly egressIpAddress: pulumi.Output<string>;
  readonly gatewayIdentityClientId: pulumi.Output<string>;
  readonly gatewayIdentityPrincipalId: pulumi.Output<string>;
  readonly logAnalyticsWorkspaceId: pulumi.Output<string>;
  /** Per server: mcpUrl, prmUrl, entraClientId, applicationIdUri, backendUrl, identityPrincipalId. */
  readonly servers: pulumi.Output<Readonly<Record<string, pulumi.Unwrap<McpServerEndpoints>>>>;
}

/**
 * Applies the defaults and runs every check; throws `ConfigError` with every problem. Registers nothing.
 * Settings `parsePlatformConfig` already returned (from a stack's config) are taken as they are.
 */
export function resolvePlatformArgs(args: HardenedMcpPlatformArgs | PlatformSettings): PlatformSettings {
  if (isCheckedSettings(args)) return args;
  const { context, ...input } = args as HardenedMcpPlatformArgs;
  return parsePlatformConfig(input, { project: context?.project ?? pulumi.getProject(), stack: context?.stack ?? pulumi.getStack() });
}

/** One server's public face and internals, as the platform exports them. */
export interface McpServerEndpoints {
  /** `https://<gateway host>/<server>/mcp`: what MCP clients are configured with. */
  readonly mcpUrl: pulumi.Output<string>;
  /** RFC 9728 Protected Resource Metadata URL (path-suffixed). */
  readonly prmUrl: pulumi.Output<string>;
  /** The server's Entra application: the token audience and the RFC 8707 `resource` clients send. */
  readonly entraClientId: pulumi.Output<string>;
  readonly applicationIdUri: pulumi.Output<string>;
  /** Internal address the gateway calls (reachable from the gateway subnet only). */
  readonly backendUrl: pulumi.Output<string>;
  /** The server's own identity (Key Vault references, image pull). */
  readonly identityPrincipalId: pulumi.Output<string>;
}

/** A server's components, for callers that want to add to them (grants, alerts). */
export interface PlatformServer {
  readonly settings: ServerSettings;
  readonly entra: McpEntraAppInfo;
  readonly server: McpServer;
  readonly api: McpServerApi;
  readonly endpoints: McpServerEndpoints;
}

/**
 * The whole hardened MCP platform from one validated settings object:
 *
 * - a resource group (or an existing one), Azure Monitor (Log Analytics + Application Insights), and
 *   a VNet with gateway, apps and private-endpoint subnets, NSGs and private DNS zones;
 * - a Key Vault and (when enabled) a Content Safety account, each reachable only through a private
 *   endpoint, each with diagnostics;
 * - the gateway's user-assigned identity, granted exactly what it uses, each grant on one resource:
 *   Cognitive Services User on the Content Safety account, Key Vault Secrets User + Certificate User
 *   on the vault only when a custom domain's certificate is read from it, Monitoring Metrics Publisher
 *   on Application Insights (by the gateway service);
 * - the API Management service (the only way in), its service-wide policy and refusal fragment, and an internal Container
 *   Apps environment whose default domain resolves privately in the VNet;
 * - per server: its Entra applications, its `WorkloadIdentity` (granted Secrets User on the vault only when
 *   it has secrets, before the server exists), an `McpServer` running as it, ordered after that access, and an
 *   `McpServerApi` with the validated gateway policy.
 */
export class HardenedMcpPlatform extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly monitoring: Monitoring;
  /** The gateway's alert rules; absent only with the `monitoring.alerts: false` weakening. */
  public readonly alerts?: McpAlerts;
  /** The operators' workbook (every question of docs/operations.md over the workspace). */
  public readonly workbook: McpWorkbook;
  /** The kit's `McpNetwork`, or the `ExistingNetwork` that `network.existing` brought. */
  public readonly network: NetworkReference;
  /** The egress NAT gateway, when the platform creates it (`network.egress.mode` "natGateway", the default). */
  public readonly egress?: EgressNatGateway;
  /** The kit's `SecureVault`, or the `ExistingVault` that `keyVault.existing` brought. */
  public readonly vault: VaultReference;
  public readonly contentSafety?: ContentSafety;
  /** The gateway's user-assigned identity: the kit's `WorkloadIdentity`, or the one `gateway.identity.existing` brought. */
  public readonly gatewayIdentity: WorkloadIdentityReference;
  public readonly gateway: McpGatewayService;
  public readonly environment: McpContainerAppsEnvironment;
  public readonly servers: Readonly<Record<string, PlatformServer>>;
  /** `https://<gateway host>`. */
  public readonly gatewayUrl: pulumi.Output<string>;
  public readonly vaultUri: pulumi.Output<string>;
  /** The settings with every default applied. */
  public readonly settings: PlatformSettings;
  /** The stack outputs (also the component's registered outputs). */
  public readonly outputs: HardenedMcpPlatformOutputs;

  /**
   * @param args the typed input (defaults applied and checked here), or the settings `parsePlatformConfig`
   *   returned for a stack's config
   */
  constructor(name: string, args: HardenedMcpPlatformArgs | PlatformSettings, opts?: pulumi.ComponentResourceOptions) {
    // Checked before the component registers: a bad input leaves nothing behind.
    const s = resolvePlatformArgs(args);
    super("hardened-mcp:azure:HardenedMcpPlatform", name, {}, opts);
    this.settings = s;
    const child = { parent: this };

    // The group's name is ours, so it is known during preview (azure-native leaves `name` unknown until the
    // group exists); taken through the group's URN, everything placed in it still waits for it.
    const resourceGroupName = s.resourceGroup.create
      ? after(new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: s.resourceGroup.name, location: s.location, tags: s.tags }, child), s.resourceGroup.name)
      : pulumi.output(s.resourceGroup.name);
    this.resourceGroupName = resourceGroupName;
    const placement = { resourceGroupName, location: s.location, tags: s.tags };

    // The workspace is the kit's or the landing zone's (monitoring.existing); Application Insights is always the kit's.
    this.monitoring = new Monitoring(`${name}-monitoring`, { ...placement, ...monitoringPlainArgs(s) }, child);
    const workspaceId = this.monitoring.workspaceId;
    this.workbook = new McpWorkbook(`${name}-workbook`, { ...placement, workspaceId }, child);
    if (s.monitoring.alerts) {
      this.alerts = new McpAlerts(
        `${name}-alerts`,
        { ...placement, workspaceId, ...(s.monitoring.actionGroupId !== undefined ? { actionGroupId: s.monitoring.actionGroupId } : {}) },
        child,
      );
    }

    // Every subnet has default outbound access off: the workloads' egress is this explicit path.
    const egress = s.network.egress;
    if (egress.mode === "natGateway") {
      this.egress = new EgressNatGateway(
        `${name}-egress`,
        { ...placement, natGatewayName: s.names.natGateway, publicIpName: s.names.natGatewayPublicIp },
        child,
      );
    }
    const outboundNatGatewayId = egress.mode === "existing" ? egress.natGatewayId : this.egress?.id;
    // One private endpoint per registry that asks for it (servers[].registry.privateEndpoint), shared by its servers.
    const registryEndpoints = planRegistryEndpoints(s.servers);
    // The kit's VNet, or the landing zone's (network.existing; egress is then the landing zone's too).
    this.network = platformNetwork(name, s, { placement, workspaceId, ...(outboundNatGatewayId !== undefined ? { outboundNatGatewayId } : {}) }, child);
    const privateEndpointSubnet = this.network.endpointsSubnetId;

    const broughtIdentity = s.gateway.identity?.existing;
    this.gatewayIdentity = broughtIdentity
      ? WorkloadIdentity.fromExisting(broughtIdentity)
      : new WorkloadIdentity(`${name}-gateway-identity`, { ...placement, identityName: s.names.gatewayIdentity }, child);
    const gatewayIdentity = this.gatewayIdentity;

    // The kit's vault, or the landing zone's (keyVault.existing): grants are on that one vault either way.
    this.vault = platformVault(name, s, { placement, workspaceId, network: this.network }, child);
    this.vaultUri = this.vault.vaultUri;
    // A bound custom domain's certificate is read by the service's system identity, granted in an
    // earlier deployment (below); the service still waits for the vault's private DNS.
    const certificatePrerequisites: pulumi.CustomResource[] = s.gateway.customDomain?.bind ? this.vault.readersWaitFor([]) : [];

    let contentSafetyEndpoint: pulumi.Output<string> | undefined;
    let policyGrants: authorization.RoleAssignment[] = [];
    if (s.contentSafety.enabled) {
      this.contentSafety = new ContentSafety(
        `${name}-content-safety`,
        {
          ...placement,
          location: s.contentSafety.location,
          customSubDomainName: s.names.contentSafety,
          accountName: s.names.contentSafety,
          logAnalyticsWorkspaceId: workspaceId,
          privateEndpoint: {
            subnetId: privateEndpointSubnet,
            privateDnsZoneId: this.network.privateDnsZoneIdFor("cognitiveServices"),
            location: s.location,
          },
        },
        child,
      );
      // The API policies call Prompt Shields with the gateway identity (and fail closed): they are published
      // only once this grant has taken effect, never into minutes of 503s (McpServerApi `policyGrants`).
      policyGrants = [this.contentSafety.grantUser("gateway", gatewayIdentity)];
      contentSafetyEndpoint = this.contentSafety.endpoint;
    }

    const { customDomain, ...gatewayArgs } = gatewayServicePlainArgs(s);
    this.gateway = new McpGatewayService(
      `${name}-gateway`,
      {
        ...placement,
        ...gatewayArgs,
        subnetId: this.network.gatewaySubnetId,
        gatewayIdentity,
        applicationInsights: { id: this.monitoring.appInsightsId, connectionString: this.monitoring.appInsightsConnectionString },
        workspaceId,
        ...(customDomain
          ? {
              customDomain: {
                hostName: customDomain.hostName,
                // Carried through the prerequisites' ids, so the service (not just the component) waits for
                // them: API Management fetches the certificate while it is being created or updated.
                keyVaultSecretId: pulumi.all(certificatePrerequisites.map((g) => g.id)).apply(() => customDomain.keyVaultSecretId),
              },
            }
          : {}),
      },
      child,
    );
    this.gatewayUrl = this.gateway.gatewayUrl;
    if (s.gateway.customDomain && !s.gateway.customDomain.bind) {
      pulumi.log.warn(
        `gateway.customDomain ${s.gateway.customDomain.hostName} is configured but not bound: this deployment grants the ` +
          "gateway's system identity the certificate; set gateway.customDomain.bind: true and deploy again to serve it.",
        this,
      );
    }
    if (s.gateway.customDomain) {
      // API Management reads a certificate from a firewalled vault only with its system-assigned identity
      // (secret: the PFX's private key; certificate: its metadata), on this vault only. Granted as soon
      // as a domain is configured, so the deployment that sets `bind` finds the access in place.
      const system: Grantee = { principalId: this.gateway.systemPrincipalId, principalType: "ServicePrincipal" };
      this.vault.grantSecretsRead("gateway-system", system);
      this.vault.grantCertificatesRead("gateway-system", system);
    }
    if (s.gatewayNetworkMode === "injection" && s.gateway.virtualNetworkMode === "Internal") {
      // An internal gateway has only a private VIP and Azure publishes no DNS for it: resolve its host
      // name (default or custom domain) inside the VNet, without overriding the rest of azure-api.net.
      this.network.addGatewayDns(`${name}-gateway-dns`, {
        hostName: this.gateway.gatewayHostName,
        privateIpAddress: this.gateway.privateIpAddress,
      });
    }
    const service = { resourceGroupName, serviceName: this.gateway.serviceName };
    new apimanagement.Policy(`${name}-gateway-policy`, { ...service, policyId: "policy", format: "xml", value: buildGlobalPolicy() }, child);
    // Every API policy's refusals include this fragment: one per service, saved before any server's policy.
    const refusalFragment = new McpRefusalFragment(`${name}-refusal`, service, child);

    this.environment = new McpContainerAppsEnvironment(
      `${name}-apps`,
      { ...placement, environmentName: s.names.containerAppsEnvironment, infrastructureSubnetId: this.network.appsSubnetId, workspaceId },
      child,
    );
    this.network.addContainerAppsEnvironmentDns(`${name}-apps-dns`, {
      defaultDomain: this.environment.defaultDomain,
      staticIp: this.environment.staticIp,
    });

    // In the VNet's region (an endpoint must be; the registry may be elsewhere), in the endpoints subnet, with its
    // records in the VNet-linked privatelink.azurecr.io zone. Each server's app waits for its zone group.
    const registryLinks = new Map<string, RegistryPrivateEndpoint>();
    for (const r of registryEndpoints) {
      registryLinks.set(
        r.registryName,
        new RegistryPrivateEndpoint(
          `${name}-acr-${r.registryName}`,
          {
            ...placement,
            registryId: r.registryId,
            subnetId: privateEndpointSubnet,
            privateDnsZoneId: this.network.privateDnsZoneIdFor("containerRegistry"),
          },
          child,
        ),
      );
    }

    const servers: Record<string, PlatformServer> = {};
    for (const server of s.servers) {
      servers[server.name] = this.addServer(`${name}-${server.name}`, server, s, {
        placement,
        service,
        contentSafetyEndpoint,
        policyGrants,
        loggerId: this.gateway.loggerId,
        refusalFragment,
        registryLinks,
      });
    }
    this.servers = servers;

    this.outputs = {
      resourceGroupName: this.resourceGroupName,
      gatewayUrl: this.gatewayUrl,
      vaultUri: this.vaultUri,
      egressIpAddress: this.egress ? this.egress.publicIpAddress : pulumi.output(""),
      gatewayIdentityClientId: this.gatewayIdentity.clientId,
      gatewayIdentityPrincipalId: this.gatewayIdentity.principalId,
      logAnalyticsWorkspaceId: this.monitoring.workspaceId,
      servers: pulumi.output(Object.fromEntries(Object.entries(servers).map(([k, v]) => [k, v.endpoints]))),
    };
    this.registerOutputs(this.outputs);
  }

  private addServer(
    name: string,
    server: ServerSettings,
    s: PlatformSettings,
    shared: {
      placement: { resourceGroupName: pulumi.Input<string>; location: string; tags: Readonly<Record<string, string>> };
      service: { resourceGroupName: pulumi.Input<string>; serviceName: pulumi.Input<string> };
      contentSafetyEndpoint?: pulumi.Output<string>;
      policyGrants: readonly authorization.RoleAssignment[];
      loggerId: pulumi.Input<string>;
      refusalFragment: McpRefusalFragment;
      /** Registry private endpoints by registry name (lowercase). */
      registryLinks: ReadonlyMap<string, RegistryPrivateEndpoint>;
    },
  ): PlatformServer {
    const child = { parent: this };
    const gatewayIdentity = this.gatewayIdentity;

    // The MCP application clients get tokens for, and the backend application only the gateway can.
    let entra: McpEntraAppInfo;
    let backend: { clientId: pulumi.Output<string>; applicationIdUri: pulumi.Output<string> };
    if (s.entra.mode === "create") {
      const app = new McpEntraApplication(
        `${name}-entra`,
        {
          server: server.name,
          tenantId: s.tenantId,
          toolRoles: toolRoleValues(server).map((value) => ({ value })),
          preAuthorizedClientIds: s.entra.preAuthorizedClientIds,
          additionalAllowedClientIds: s.entra.allowedClientAppIds,
          gatewayIdentity,
        },
        child,
      );
      entra = app;
      backend = { clientId: app.backendClientId, applicationIdUri: app.backendApplicationIdUri };
    } else {
      const own = server.entraApp!;
      entra = resolveExistingEntraApplication({
        tenantId: s.tenantId,
        clientId: own.clientId,
        applicationIdUri: own.applicationIdUri,
        allowedClientAppIds: [...s.entra.preAuthorizedClientIds, ...s.entra.allowedClientAppIds],
      });
      const created = createMcpBackendApplication(`${name}-backend-app`, { server: server.name, gatewayIdentity }, child);
      backend = { clientId: created.clientId, applicationIdUri: created.applicationIdUri };
    }

    // The server's identity first, so its access is in place before the app exists: Key Vault Secrets User on
    // the vault only for a server that references secrets in it. The app waits for the grant (and for it to
    // take effect), for each referenced secret (declared with a placeholder until seeded, in the kit's own vault)
    // and for the vault's private DNS, since Container Apps resolves the references when it creates the revision.
    const identity = mcpServerIdentity(
      name,
      { ...shared.placement, identityName: s.names.servers[server.name].identity },
      pulumi.createUrn(name, MCP_SERVER_TYPE, this),
      child,
    );
    const secretNames = Object.values(server.secrets);
    const prerequisites =
      secretNames.length > 0
        ? [this.vault.grantSecretsRead(server.name, identity), ...this.vault.readersWaitFor(secretNames)]
        : [];
    const mcpServer = new McpServer(
      name,
      {
        ...shared.placement,
        ...mcpServerPlainArgs(server, s),
        ...registryPrivateLink(server, shared.registryLinks),
        environmentId: this.environment.id,
        environmentDefaultDomain: this.environment.defaultDomain,
        identity,
        prerequisites,
        backendAuth: {
          tenantId: s.tenantId,
          clientId: backend.clientId,
          audience: backend.clientId,
          allowedCallerClientIds: [gatewayIdentity.clientId],
          allowedCallerPrincipalIds: [gatewayIdentity.principalId],
        },
      },
      child,
    );

    const api = new McpServerApi(
      `${name}-api`,
      {
        server: server.name,
        ...shared.service,
        gatewayHost: this.gateway.gatewayHostName,
        gatewayIdentityClientId: gatewayIdentity.clientId,
        backendUrl: mcpServer.fqdn,
        backendAudience: backend.applicationIdUri,
        entra,
        ...(shared.contentSafetyEndpoint ? { contentSafetyEndpoint: shared.contentSafetyEndpoint } : {}),
        policyGrants: shared.policyGrants,
        policy: serverPolicyOptions(server, s.contentSafety, gatewayTierFamily(s.gateway.sku)),
        loggerId: shared.loggerId,
        refusalFragment: shared.refusalFragment,
        // The host-root metadata document can belong to one server only.
        publishRootMetadata: s.servers.length === 1,
        serveAuthServerMetadata: server.serveAuthServerMetadata,
      },
      child,
    );

    const endpoints: McpServerEndpoints = {
      mcpUrl: api.mcpUrl,
      prmUrl: api.prmUrl,
      entraClientId: pulumi.output(entra.clientId),
      applicationIdUri: pulumi.output(entra.applicationIdUri),
      backendUrl: mcpServer.fqdn,
      identityPrincipalId: mcpServer.identity.principalId,
    };
    return { settings: server, entra, server: mcpServer, api, endpoints };
  }
}
