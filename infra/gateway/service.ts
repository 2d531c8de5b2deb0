import * as pulumi from "@pulumi/pulumi";
import { after } from "../shared/armIds";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
import { parseKeyVaultSecretUrl } from "../../baseline/identifiers";
import { SettingError } from "../shared/settingError";
import { attachDiagnostics } from "../shared/diagnostics";
import { afterGrants } from "../shared/grantPropagation";
import { assignRole } from "../shared/roleAssignment";
import { APIM_MIN_API_VERSION } from "../../baseline/apim";
import { BuiltInRoles } from "../../baseline/roles";
import { Grantee, PlacementArgs } from "../shared/types";
import { GatewaySkuArgs, gatewayTlsCustomProperties, resolveGatewaySku, ResolvedGatewaySku, validateGatewayHostName } from "./serviceSku";

/** The gateway's user-assigned identity, created elsewhere (workload identity). */
export interface GatewayIdentityArgs {
  /** Required. ARM id of the user-assigned identity. */
  readonly id: pulumi.Input<string>;
  /** Required. Its client id: used for Key Vault certificates, the App Insights logger, backend tokens. */
  readonly clientId: pulumi.Input<string>;
  /** Required. Its principal (object) id. */
  readonly principalId: pulumi.Input<string>;
}

/** A custom host name for the gateway, with its certificate in Key Vault. */
export interface GatewayCustomDomainArgs {
  /** Required. Host name clients call, e.g. `mcp.contoso.com`. */
  readonly hostName: string;
  /**
   * Required. Versionless Key Vault secret id of the PFX certificate,
   * `https://<vault>.vault.azure.net/secrets/<name>`, so renewals roll out. The identity that reads it
   * needs Key Vault Secrets User on the vault before the host name is bound.
   */
  readonly keyVaultSecretId: pulumi.Input<string>;
  /**
   * Optional. Which identity reads the certificate. API Management requires its system-assigned identity
   * when the vault's firewall is on (Learn, API Management Key Vault network requirements), which the
   * kit's vault always has; that identity exists only once the service does, so grant it first and bind
   * the host name in a later deployment. `"user"` reads with the gateway's user-assigned identity, for a
   * vault without a firewall.
   * @default "system"
   */
  readonly readWith?: "system" | "user";
}

/** Where the gateway's telemetry goes. */
export interface GatewayApplicationInsightsArgs {
  /** Required. ARM id of the Application Insights component (local auth disabled). */
  readonly id: pulumi.Input<string>;
  /** Required. Its connection string; the logger authenticates with the gateway identity, not the key in it. */
  readonly connectionString: pulumi.Input<string>;
}

export interface McpGatewayServiceArgs extends PlacementArgs, Omit<GatewaySkuArgs, "publicIpAddressId"> {
  /**
   * Optional. Globally unique service name (`<name>.azure-api.net`).
   * @default the component name
   */
  readonly serviceName?: pulumi.Input<string>;
  /** Required. Publisher email (receives service notifications). */
  readonly publisherEmail: pulumi.Input<string>;
  /** Required. Publisher (organization) name. */
  readonly publisherName: pulumi.Input<string>;
  /**
   * Required. The gateway's subnet (ARM id). Standard v2: a subnet delegated to `Microsoft.Web/serverFarms`
   * for outbound integration. Premium/Developer: an injection subnet with no delegation and an NSG that
   * allows the API Management management traffic. Premium v2: a subnet delegated to
   * `Microsoft.Web/hostingEnvironments`.
   */
  readonly subnetId: pulumi.Input<string>;
  /**
   * Optional. Standard-SKU public IPv4 address (ARM id) for Premium/Developer injection.
   * @default none (Azure manages the address)
   */
  readonly publicIpAddressId?: pulumi.Input<string>;
  /** Required. The gateway's user-assigned identity. */
  readonly gatewayIdentity: GatewayIdentityArgs;
  /** Required. Application Insights for request telemetry. */
  readonly applicationInsights: GatewayApplicationInsightsArgs;
  /** Required. Log Analytics workspace (ARM id) for the gateway's resource logs (GatewayLogs and others). */
  readonly workspaceId: pulumi.Input<string>;
  /**
   * Optional. Grant the gateway identity Monitoring Metrics Publisher on the Application Insights
   * component, which Entra-authenticated ingestion needs. Turn off only when another component grants it.
   * @default true
   */
  readonly grantTelemetryPublish?: boolean;
  /**
   * Optional. Percentage of requests sent to Application Insights (errors are always sent).
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * Optional. A custom host name with a Key Vault certificate.
   * @default none: clients call `<serviceName>.azure-api.net`
   */
  readonly customDomain?: GatewayCustomDomainArgs;
}

/** The gateway's settings with every default applied and every check passed. */
export interface ResolvedGatewayServiceSettings {
  readonly sku: ResolvedGatewaySku;
  readonly samplingPercentage: number;
  readonly grantTelemetryPublish: boolean;
  readonly customDomain?: GatewayCustomDomainArgs;
}

/** The arguments that are plain values before anything is deployed: all `resolveGatewayServiceDefaults` reads. */
export type GatewayServicePlainArgs = Pick<
  McpGatewayServiceArgs,
  "sku" | "capacity" | "virtualNetworkMode" | "publicIpAddressId" | "zones" | "samplingPercentage" | "grantTelemetryPublish" | "customDomain"
>;

/**
 * The one place the gateway's defaults are applied and its plain settings checked. It reads no deploy-time value,
 * so the config layer runs it on the settings before anything exists; problems are `SettingError`s naming
 * `McpGatewayServiceArgs` fields.
 */
export function resolveGatewayServiceDefaults(args: GatewayServicePlainArgs): ResolvedGatewayServiceSettings {
  const sku = resolveGatewaySku(args);
  const samplingPercentage = args.samplingPercentage ?? 100;
  if (!(samplingPercentage > 0 && samplingPercentage <= 100)) {
    throw new SettingError({
      field: ["samplingPercentage"],
      problem: `${samplingPercentage} must be above 0 and at most 100`,
      fix: "Use 100 for a complete audit trail (errors are always logged regardless)",
    });
  }
  if (args.customDomain) {
    validateGatewayHostName(args.customDomain.hostName);
    if (typeof args.customDomain.keyVaultSecretId === "string") checkCertificateSecretId(args.customDomain.keyVaultSecretId);
  }
  return {
    sku,
    samplingPercentage,
    grantTelemetryPublish: args.grantTelemetryPublish ?? true,
    ...(args.customDomain ? { customDomain: args.customDomain } : {}),
  };
}

function checkCertificateSecretId(id: string): void {
  const field = ["customDomain", "keyVaultSecretId"];
  if (parseKeyVaultSecretUrl(id) === undefined) {
    throw new SettingError({ field, problem: `"${id}" is not a Key Vault secret URL`, fix: "Use https://<vault>.vault.azure.net/secrets/<name>, without a version" });
  }
  if (/\/secrets\/[^/]+\/[0-9a-f]{32}\/?$/.test(id)) {
    throw new SettingError({ field, problem: `"${id}" names a secret version, so certificate renewals would never reach the gateway`, fix: "Drop the version" });
  }
}

/** Headers and bodies the gateway never logs: no headers (Authorization, Mcp-Session-Id), no payloads. */
const NOTHING_LOGGED = { headers: [] as string[], body: { bytes: 0 } };

/**
 * The API Management service that is the only way in to every MCP server.
 *
 * - Tier and network from `resolveGatewaySku`: Standard v2 by default, public with outbound VNet
 *   integration to reach the private Container Apps; Premium/Developer with VNet injection (External or
 *   Internal). Tiers that cannot reach a private backend, or that the pinned API version cannot express,
 *   are refused. `publicNetworkAccess` stays "Enabled": Standard v2 is the public front door, and on an
 *   injected gateway the flag only governs private-endpoint-only access (which injection does not
 *   support); an `Internal` gateway listens on its private VIP only, so clients need a path into the VNet
 *   (Application Gateway or Front Door with WAF) and `<name>.azure-api.net` must resolve privately.
 * - SSL 3.0/TLS 1.0/1.1 and weak ciphers off on both sides, HTTP/2 on, all explicit.
 * - Developer and legacy portals off: MCP clients need neither, and each is an extra public surface.
 * - System-assigned identity plus the gateway's user-assigned identity, which reads the custom-domain
 *   certificate, sends telemetry with Entra auth, and gets tokens for the MCP backends.
 * - Application Insights logger with Entra credentials and a service-wide diagnostic that logs no headers
 *   and no bodies; resource logs go to the workspace.
 */
export class McpGatewayService extends pulumi.ComponentResource {
  readonly service: apimanagement.ApiManagementService;
  readonly logger: apimanagement.Logger;
  readonly diagnostic: apimanagement.Diagnostic;
  /** ARM id of the service. */
  readonly id: pulumi.Output<string>;
  /** The service's name (`serviceName` of its child resources). */
  readonly serviceName: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  /** Host name clients call: the custom domain when set, else `<serviceName>.azure-api.net`. */
  readonly gatewayHostName: pulumi.Output<string>;
  /** `https://` + `gatewayHostName`. */
  readonly gatewayUrl: pulumi.Output<string>;
  /**
   * The gateway's private IP in the VNet (VNet-injected tiers); `""` for outbound-only integration,
   * where the gateway has no address in the VNet.
   */
  readonly privateIpAddress: pulumi.Output<string>;
  /** Principal id of the service's system-assigned identity. */
  readonly systemPrincipalId: pulumi.Output<string>;
  /** The gateway's user-assigned identity, as something roles can be granted to. */
  readonly identity: Grantee & { readonly id: pulumi.Input<string>; readonly clientId: pulumi.Input<string> };
  /** Client id of the gateway's user-assigned identity. */
  readonly identityClientId: pulumi.Output<string>;
  /** ARM id of the Application Insights logger, for per-API diagnostics. */
  readonly loggerId: pulumi.Output<string>;

  constructor(name: string, args: McpGatewayServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:McpGatewayService", name, {}, opts);
    const s = resolveGatewayServiceDefaults(args);
    const uai = args.gatewayIdentity;
    this.identity = { id: uai.id, clientId: uai.clientId, principalId: uai.principalId, principalType: "ServicePrincipal" };

    const customDomain = s.customDomain;
    this.service = new apimanagement.ApiManagementService(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        serviceName: args.serviceName ?? name,
        publisherEmail: args.publisherEmail,
        publisherName: args.publisherName,
        sku: s.sku.sku,
        ...(s.sku.zones ? { zones: [...s.sku.zones] } : {}),
        virtualNetworkType: s.sku.virtualNetworkType,
        virtualNetworkConfiguration: { subnetResourceId: args.subnetId },
        ...(args.publicIpAddressId !== undefined ? { publicIpAddressId: args.publicIpAddressId } : {}),
        publicNetworkAccess: s.sku.publicNetworkAccess,
        identity: {
          type: "SystemAssigned, UserAssigned",
          userAssignedIdentities: pulumi.output(uai.id).apply((id) => ({ [id]: {} })),
        },
        customProperties: gatewayTlsCustomProperties(s.sku.sku.name),
        // Sent on every tier, v2 included: the REST spec's StandardV2 example (2024-05-01,
        // ApiManagementCreateServiceSkuv2Service.json) answers a v2 create with both set to "Disabled", so the
        // values match what a v2 service reports (unlike natGatewayState, "Unsupported" there, which is not sent).
        developerPortalStatus: "Disabled",
        legacyPortalStatus: "Disabled",
        disableGateway: false,
        // Refuses control-plane calls on API versions older than this, which lack current access checks.
        apiVersionConstraint: { minApiVersion: APIM_MIN_API_VERSION },
        hostnameConfigurations: customDomain
          ? [
              {
                type: "Proxy",
                hostName: customDomain.hostName,
                keyVaultId: typeof customDomain.keyVaultSecretId === "string"
                  ? customDomain.keyVaultSecretId
                  : pulumi.output(customDomain.keyVaultSecretId).apply((id) => {
                      checkCertificateSecretId(id);
                      return id;
                    }),
                // Omitted for the system-assigned identity; a client id selects a user-assigned one.
                ...(customDomain.readWith === "user" ? { identityClientId: uai.clientId } : {}),
                negotiateClientCertificate: false,
                defaultSslBinding: true,
              },
            ]
          : [],
      },
      { parent: this },
    );

    const service = { resourceGroupName: args.resourceGroupName, serviceName: this.service.name };
    const publish = s.grantTelemetryPublish
      ? [
          assignRole(
            `${name}-appi-publish`,
            {
              scope: args.applicationInsights.id,
              role: BuiltInRoles.MonitoringMetricsPublisher,
              grantee: this.identity,
              description: "API Management telemetry to Application Insights (Entra auth)",
            },
            { parent: this },
          ),
        ]
      : [];

    this.logger = new apimanagement.Logger(
      `${name}-appi`,
      {
        ...service,
        loggerId: "appinsights",
        loggerType: "applicationInsights",
        description: "Application Insights, Entra-authenticated with the gateway identity",
        // API Management publishes telemetry with the identity as soon as the logger exists.
        resourceId: afterGrants("the gateway's Application Insights logger", publish, args.applicationInsights.id),
        isBuffered: true,
        credentials: {
          connectionString: pulumi.secret(args.applicationInsights.connectionString),
          identityClientId: uai.clientId,
        },
      },
      { parent: this, dependsOn: publish },
    );

    this.diagnostic = new apimanagement.Diagnostic(
      `${name}-appi-diag`,
      {
        ...service,
        diagnosticId: "applicationinsights",
        loggerId: this.logger.id,
        alwaysLog: "allErrors",
        sampling: { samplingType: "fixed", percentage: s.samplingPercentage },
        logClientIp: true,
        httpCorrelationProtocol: "W3C",
        verbosity: "information",
        operationNameFormat: "Name",
        metrics: true,
        frontend: { request: NOTHING_LOGGED, response: NOTHING_LOGGED },
        backend: { request: NOTHING_LOGGED, response: NOTHING_LOGGED },
      },
      { parent: this },
    );

    attachDiagnostics(name, { resourceId: this.service.id, workspaceId: args.workspaceId }, { parent: this });

    this.id = this.service.id;
    // Known during preview (the names are ours; azure-native leaves `name` and `gatewayUrl` unknown until the
    // service exists), so the API policies built from them are known and the pack can read them. Both still
    // wait for the service. Without a custom domain API Management serves at <service name>.azure-api.net.
    const serviceName = args.serviceName ?? name;
    this.serviceName = after(this.service, serviceName);
    this.resourceGroupName = pulumi.output(args.resourceGroupName);
    this.gatewayHostName = customDomain
      ? pulumi.output(customDomain.hostName)
      : after(this.service, `${serviceName}.azure-api.net`);
    this.gatewayUrl = pulumi.interpolate`https://${this.gatewayHostName}`;
    this.privateIpAddress = this.service.privateIPAddresses.apply((ips) => ips?.[0] ?? "");
    this.systemPrincipalId = this.service.identity.apply((identity) => {
      if (!identity?.principalId) throw new Error(`API Management service ${name} returned no system-assigned identity.`);
      return identity.principalId;
    });
    this.identityClientId = pulumi.output(uai.clientId);
    this.loggerId = this.logger.id;
    this.registerOutputs({
      id: this.id,
      serviceName: this.serviceName,
      gatewayUrl: this.gatewayUrl,
      systemPrincipalId: this.systemPrincipalId,
      identityClientId: this.identityClientId,
      loggerId: this.loggerId,
    });
  }
}
