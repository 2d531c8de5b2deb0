import * as pulumi from "@pulumi/pulumi";
import { knownArmId, subscriptionIdOf } from "../shared/armIds";
import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { attachDiagnostics } from "../shared/diagnostics";
import { afterGrants } from "../shared/grantPropagation";
import { assignRole } from "../shared/roleAssignment";
import { BuiltInRoles } from "../../baseline/roles";
import { Grantee, PlacementArgs } from "../shared/types";
import type { RegistryPrivateLink } from "./registryEndpoint";
import {
  BACKEND_AUTH_IDS,
  containerAppSecretName,
  validateBackendAuth,
  validateContainerAppName,
  validateGatewayCidr,
  validateGuid,
  validateHealthPath,
  validateImageReference,
  validateKeyVaultSecretUrl,
  validatePort,
  validateResources,
  validateScale,
  validateServerEnvironment,
} from "./validation";

/** Who may call the server's app directly: the gateway, proven by an Entra token for the backend's audience. */
export interface McpServerBackendAuthArgs {
  /** Required. Entra tenant that issues the tokens. */
  readonly tenantId: pulumi.Input<string>;
  /** Required. Client id of the backend's app registration (the relying party). */
  readonly clientId: pulumi.Input<string>;
  /** Required. The audience the gateway requests tokens for (the backend's Application ID URI or client id). */
  readonly audience: pulumi.Input<string>;
  /** Required. Client (application) ids allowed to call: the gateway identity's client id. At least one. */
  readonly allowedCallerClientIds: pulumi.Input<string>[];
  /** Required. Object (principal) ids allowed to call: the gateway identity's principal id. At least one. */
  readonly allowedCallerPrincipalIds: pulumi.Input<string>[];
}

/** The private registry the server's image comes from. */
export interface McpServerRegistryArgs {
  /** Required. Registry login server, e.g. `myregistry.azurecr.io`; must be the image's registry host. */
  readonly server: string;
  /**
   * Optional. ARM id of the registry. When set, the server's identity gets AcrPull on this registry only.
   * @default no grant (the caller grants pull access)
   */
  readonly resourceId?: pulumi.Input<string>;
  /**
   * Optional. The registry's private endpoint in the environment's VNet (`RegistryPrivateEndpoint`). Container Apps
   * pulls the image while it creates the revision, so the app is registered only once the endpoint's DNS zone group
   * (and through its zone id, the zone's VNet link) exists: a registry with public access disabled is reachable then.
   * @default none: the image is pulled over the environment's egress path
   */
  readonly privateLink?: RegistryPrivateLink;
}

/** An environment variable fed from a Key Vault secret. */
export interface McpServerSecretArgs {
  /**
   * Required. `https://<vault>.vault.azure.net/secrets/<name>`. Leave the version off so the app picks up
   * rotations.
   */
  readonly keyVaultSecretUrl: pulumi.Input<string>;
}

/** The server's user-assigned identity, as something roles can be granted to. */
export interface McpServerIdentity extends Grantee {
  /** ARM id of the identity. */
  readonly id: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;
  readonly principalType: "ServicePrincipal";
}

export interface McpServerArgs extends PlacementArgs {
  /** Required. The server's key in the `servers` settings; names resources and error messages. */
  readonly serverName: string;
  /** Required. ARM id of the Container Apps environment (`McpContainerAppsEnvironment.id`). */
  readonly environmentId: pulumi.Input<string>;
  /** Required. The environment's default domain (`McpContainerAppsEnvironment.defaultDomain`). */
  readonly environmentDefaultDomain: pulumi.Input<string>;
  /** Required. Image pinned by digest: `registry/repository[:tag]@sha256:<64 hex>`. */
  readonly image: pulumi.Input<string>;
  /**
   * Optional. Accept an image pinned only by a mutable tag (or `latest`).
   * @default false
   */
  readonly allowTagOnlyImages?: boolean;
  /**
   * Optional. The private registry to pull from with the server's identity (never a password).
   * @default none: the image must be pullable anonymously
   */
  readonly registry?: McpServerRegistryArgs;
  /**
   * Required. Address prefixes of the API Management subnet(s). Only these may reach the app's ingress;
   * everything else, the rest of the VNet included, is refused.
   */
  readonly gatewaySubnetCidrs: pulumi.Input<string>[];
  /**
   * Optional (but required unless `allowUnauthenticatedBackend` is true). Entra authentication in front of
   * the app (Container Apps built-in auth), so only the gateway's identity gets in.
   * @default none, which is refused unless `allowUnauthenticatedBackend: true`
   */
  readonly backendAuth?: McpServerBackendAuthArgs;
  /**
   * Optional. Run without `backendAuth`: anything that reaches the app's ingress from the gateway subnet
   * can call it.
   * @default false
   */
  readonly allowUnauthenticatedBackend?: boolean;
  /**
   * Optional. The container app's name (and so its host name). 2-32 lowercase letters, digits and '-'.
   * @default `mcp-<serverName>`
   */
  readonly appName?: string;
  /**
   * Optional. The Azure name of the server's user-assigned identity.
   * @default auto-named from the component name
   */
  readonly identityName?: string;
  /**
   * Optional. Port the server listens on inside the container.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Optional. Ingress transport. `http` is HTTP/1.1, which streams Server-Sent Events predictably;
   * `auto` also negotiates HTTP/2.
   * @default "http"
   */
  readonly transport?: "http" | "auto";
  /**
   * Optional. HTTP path the startup, readiness and liveness probes GET on `port`.
   * @default "/healthz"
   */
  readonly healthPath?: string;
  /**
   * Optional. vCPUs per replica (0.25 steps up to 4, Consumption profile).
   * @default 0.5
   */
  readonly cpu?: number;
  /**
   * Optional. Memory per replica; must be twice the vCPUs, in Gi.
   * @default "1Gi"
   */
  readonly memory?: string;
  /**
   * Optional. Replicas kept running. 0 lets the app scale to zero, at the cost of a cold start on the
   * first call.
   * @default 1
   */
  readonly minReplicas?: number;
  /**
   * Optional. Replica ceiling (at most 300). Streamable HTTP sessions live in one replica, so a stateful
   * server should keep this at 1 or share session state.
   * @default 3
   */
  readonly maxReplicas?: number;
  /**
   * Optional. Plain environment variables. Names that look like credentials (baseline `SECRET_NAME`) are
   * refused here; put them in `secrets`.
   * @default {}
   */
  readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Optional. Environment variables fed from Key Vault, keyed by variable name. The app reads them through
   * its own identity, which needs Key Vault Secrets User (see `prepareSecrets`).
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, McpServerSecretArgs>>;
  /**
   * Optional. Names in `env` that look like credentials but are not (e.g. `TOKEN_ENDPOINT_URL`).
   * @default []
   */
  readonly allowPlainEnvNames?: readonly string[];
  /**
   * Optional. Puts the server's secret references in place, called once the identity exists and before
   * the app is created: grant the identity read access, and return everything the app must wait for (the
   * grant, the secrets, the vault's private DNS), e.g.
   * `(identity) => [vault.grantSecretsRead("github", identity), vault.declareSecret("github-token")]`.
   * Without it, the caller must do so before the first revision starts.
   * @default none
   */
  readonly prepareSecrets?: (identity: McpServerIdentity) => pulumi.Resource | readonly pulumi.Resource[];
  /**
   * Optional. Let the server's code get tokens for its identity. Off, the identity serves only the
   * platform (image pull, Key Vault references), so code in the container cannot use it to read the
   * vault or the registry itself.
   * @default false
   */
  readonly identityAvailableToApp?: boolean;
  /**
   * Optional. Log Analytics workspace (ARM id) that receives the app's platform metrics (requests, replicas,
   * restarts). Its console and system logs flow through the environment's diagnostic setting regardless.
   * @default none: metrics stay in Azure Monitor only
   */
  readonly workspaceId?: pulumi.Input<string>;
  /**
   * Optional. Workload profile the app runs on; must exist in the environment.
   * @default "Consumption"
   */
  readonly workloadProfileName?: string;
}

/** An MCP server's settings with every default applied and every check passed. */
export interface ResolvedMcpServerSettings {
  readonly appName: string;
  readonly port: number;
  readonly transport: "http" | "auto";
  readonly healthPath: string;
  readonly cpu: number;
  readonly memory: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly env: Readonly<Record<string, pulumi.Input<string>>>;
  readonly secrets: Readonly<Record<string, McpServerSecretArgs>>;
  readonly identityAvailableToApp: boolean;
  readonly workloadProfileName: string;
}

/**
 * The one place an MCP server's defaults are applied; runs every check that plain values allow (values
 * known only at deployment are checked when they resolve).
 */
/**
 * The arguments that are plain values before anything is deployed (no placement, environment or backend
 * authentication): all `resolveMcpServerDefaults` reads, so the config layer runs it on the settings before
 * anything exists.
 */
export type McpServerPlainArgs = Omit<
  McpServerArgs,
  "resourceGroupName" | "location" | "tags" | "environmentId" | "environmentDefaultDomain" | "backendAuth" | "prepareSecrets"
>;

/** Defaults and checks of the plain arguments; the component checks `backendAuth` itself (it is deploy-time). */
export function resolveMcpServerDefaults(args: McpServerPlainArgs): ResolvedMcpServerSettings {
  const server = args.serverName;
  const settings: ResolvedMcpServerSettings = {
    appName: args.appName ?? `mcp-${server}`,
    port: args.port ?? 8080,
    transport: args.transport ?? "http",
    healthPath: args.healthPath ?? "/healthz",
    cpu: args.cpu ?? 0.5,
    memory: args.memory ?? "1Gi",
    minReplicas: args.minReplicas ?? 1,
    maxReplicas: args.maxReplicas ?? 3,
    env: args.env ?? {},
    secrets: args.secrets ?? {},
    identityAvailableToApp: args.identityAvailableToApp ?? false,
    workloadProfileName: args.workloadProfileName ?? "Consumption",
  };
  validateContainerAppName(server, settings.appName);
  validatePort(server, settings.port);
  validateHealthPath(server, settings.healthPath);
  validateScale(server, settings.minReplicas, settings.maxReplicas);
  const memory = validateResources(server, settings.cpu, settings.memory);
  validateServerEnvironment(server, settings.env, Object.keys(settings.secrets), args.allowPlainEnvNames);
  if (args.gatewaySubnetCidrs.length === 0) {
    throw new Error(
      `servers[${server}].gatewaySubnetCidrs is empty, so nothing could reach the server. Set the API Management subnet's prefix.`,
    );
  }
  // Plain values are checked here; values still unknown are checked when they resolve (see `checked`).
  for (const cidr of args.gatewaySubnetCidrs) if (typeof cidr === "string") validateGatewayCidr(server, cidr);
  for (const [envName, secret] of Object.entries(settings.secrets)) {
    if (typeof secret.keyVaultSecretUrl === "string") validateKeyVaultSecretUrl(secretUrlSetting(server, envName), secret.keyVaultSecretUrl);
  }
  if (typeof args.image === "string") checkImage(args, args.image);
  return { ...settings, memory };
}

const secretUrlSetting = (server: string, envName: string) => `servers[${server}].secrets.${envName}.keyVaultSecretUrl`;

/** Digest pinning, and the image must come from the configured registry when there is one. */
function checkImage(args: McpServerPlainArgs, image: string): void {
  const ref = validateImageReference(image, { allowTagOnlyImages: args.allowTagOnlyImages });
  if (!args.registry && ref.registry.endsWith(".azurecr.io")) {
    throw new Error(
      `servers[${args.serverName}].image comes from the container registry ${ref.registry}, but ` +
        `servers[${args.serverName}].registry is not set, so the app would try an anonymous pull. Set registry ` +
        `{ server: "${ref.registry}", resourceId: <registry id> } to pull with the server's identity.`,
    );
  }
  if (args.registry && args.registry.resourceId === undefined && args.registry.server.toLowerCase().endsWith(".azurecr.io")) {
    throw new Error(
      `servers[${args.serverName}].registry.resourceId is not set for the Azure Container Registry ${args.registry.server}. ` +
        "The server's identity is created by this deployment, so nothing else can have granted it AcrPull: set the " +
        `registry's resource id (az acr show --name ${args.registry.server.split(".")[0]} --query id -o tsv) and the kit grants AcrPull on that registry only.`,
    );
  }
  if (args.registry && ref.registry !== args.registry.server.toLowerCase()) {
    throw new Error(
      `servers[${args.serverName}].image comes from "${ref.registry}" but servers[${args.serverName}].registry.server ` +
        `is "${args.registry.server}". Push the image to ${args.registry.server} or change the registry.`,
    );
  }
}

/** Runs a check on a value now when it is known, or when it resolves. */
function checked(value: pulumi.Input<string>, check: (v: string) => void): pulumi.Input<string> {
  if (typeof value === "string") {
    check(value);
    return value;
  }
  return pulumi.output(value).apply((v) => {
    check(v);
    return v;
  });
}

/** The one container in the app. */
const CONTAINER_NAME = "mcp-server";

/**
 * One MCP server on Azure Container Apps, reachable only from the API Management gateway.
 *
 * Networking. Container Apps ingress `external: false` means "reachable only from apps in the same
 * environment", so API Management in its own subnet could not reach the server at all. The hardened shape
 * is therefore: an internal environment (internal load balancer, VNet-only, no public IP) plus ingress
 * `external: true`, which on an internal environment means "the whole VNet", never the internet; then
 * `ipSecurityRestrictions` with Allow rules for the gateway subnet(s) only, which denies every other source,
 * the rest of the VNet included. `allowInsecure: false` (HTTPS only), no CORS policy (MCP clients never
 * call the app directly). The gateway calls `fqdn`: `https://<appName>.<environment defaultDomain>`.
 *
 * Authentication. Container Apps built-in auth (`authConfigs/current`) validates an Entra token on every
 * request before it reaches the container and returns 401 otherwise: the audience must be the backend's,
 * and the caller must be the gateway's identity (client id and object id). A request that bypasses the
 * gateway is refused even from inside the gateway subnet.
 *
 * Supply chain and secrets. The image is pinned by digest and pulled with the server's own user-assigned
 * identity (AcrPull on that one registry); secrets are Key Vault references resolved with the same
 * identity, never values in the app definition. The identity serves the platform only unless
 * `identityAvailableToApp` is set.
 */
export class McpServer extends pulumi.ComponentResource {
  readonly app: app.ContainerApp;
  readonly authConfig?: app.ContainerAppsAuthConfig;
  readonly identityResource: managedidentity.UserAssignedIdentity;
  /** The server's identity: grant it Key Vault Secrets User on the secrets it references. */
  readonly identity: McpServerIdentity;
  /** The AcrPull grant on `registry.resourceId`, when one was given. */
  readonly acrPullAssignment?: pulumi.CustomResource;
  /** The container app's name. */
  readonly appName: pulumi.Output<string>;
  /** ARM id of the container app. */
  readonly appId: pulumi.Output<string>;
  /** Host name the gateway calls: `<appName>.<environment defaultDomain>`. */
  readonly hostName: pulumi.Output<string>;
  /** Base URL the gateway calls: `https://<appName>.<environment defaultDomain>`. */
  readonly fqdn: pulumi.Output<string>;

  constructor(name: string, args: McpServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:McpServer", name, {}, opts);
    const s = resolveMcpServerDefaults(args);
    validateBackendAuth(args.serverName, args.backendAuth, args.allowUnauthenticatedBackend);
    const server = args.serverName;
    const placement = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    this.identityResource = new managedidentity.UserAssignedIdentity(
      `${name}-id`,
      { ...placement, resourceName: args.identityName },
      // Fixed name: a replacement (rotation with `pulumi up --replace`) deletes first (see WorkloadIdentity).
      { parent: this, deleteBeforeReplace: true },
    );
    const uai = this.identityResource;
    // Known during preview when the name is ours: the app's whole `configuration` (registries, secrets and
    // identity settings name the identity) is then known, so the pack can judge its ingress and secrets.
    const identityId = knownArmId(uai, { subscriptionId: subscriptionIdOf(this), resourceGroupName: args.resourceGroupName }, [
      "Microsoft.ManagedIdentity/userAssignedIdentities",
      args.identityName,
    ]);
    this.identity = { id: identityId, principalId: uai.principalId, clientId: uai.clientId, principalType: "ServicePrincipal" };

    const prerequisites: pulumi.Resource[] = [];
    if (args.registry?.resourceId !== undefined) {
      this.acrPullAssignment = assignRole(
        `${name}-acrpull`,
        { scope: args.registry.resourceId, role: BuiltInRoles.AcrPull, grantee: this.identity, description: `AcrPull for MCP server ${server}` },
        { parent: this },
      );
      prerequisites.push(this.acrPullAssignment);
    }
    if (args.registry?.privateLink) prerequisites.push(args.registry.privateLink.dnsZoneGroup);
    if (args.prepareSecrets) {
      const granted = args.prepareSecrets(this.identity);
      prerequisites.push(...(Array.isArray(granted) ? granted : [granted as pulumi.Resource]));
    }

    const secretEntries = Object.entries(s.secrets).map(([envName, secret]) => ({
      envName,
      name: containerAppSecretName(envName),
      keyVaultUrl: checked(secret.keyVaultSecretUrl, (url) => validateKeyVaultSecretUrl(secretUrlSetting(server, envName), url)),
    }));
    const image = checked(args.image, (value) => checkImage(args, value));
    const gatewayCidrs = args.gatewaySubnetCidrs.map((cidr) => checked(cidr, (value) => validateGatewayCidr(server, value)));
    const probe = (type: "Startup" | "Readiness" | "Liveness", periodSeconds: number, failureThreshold: number) => ({
      type,
      httpGet: { path: s.healthPath, port: s.port, scheme: "HTTP" },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 3,
    });

    this.app = new app.ContainerApp(
      name,
      {
        ...placement,
        containerAppName: s.appName,
        // Container Apps pulls the image and resolves the Key Vault references with the identity while it
        // creates the revision: the app is registered only once those grants have taken effect.
        environmentId: afterGrants(
          `container app ${s.appName}`,
          prerequisites.filter((r): r is authorization.RoleAssignment => r instanceof authorization.RoleAssignment),
          args.environmentId,
        ),
        workloadProfileName: s.workloadProfileName,
        identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
        configuration: {
          activeRevisionsMode: "Single",
          // "None": the identity pulls the image and resolves Key Vault references, but code in the
          // container cannot get a token for it.
          identitySettings: [{ identity: identityId, lifecycle: s.identityAvailableToApp ? "All" : "None" }],
          ingress: {
            // On an internal environment "external" means the VNet, never the internet; see the class doc.
            external: true,
            allowInsecure: false,
            targetPort: s.port,
            transport: s.transport,
            ipSecurityRestrictions: gatewayCidrs.map((ipAddressRange, i) => ({
              name: `allow-gateway-${i + 1}`,
              description: "API Management subnet",
              action: "Allow",
              ipAddressRange,
            })),
          },
          registries: args.registry ? [{ server: args.registry.server, identity: identityId }] : [],
          secrets: secretEntries.map((e) => ({ name: e.name, keyVaultUrl: e.keyVaultUrl, identity: identityId })),
        },
        template: {
          containers: [
            {
              name: CONTAINER_NAME,
              image,
              resources: { cpu: s.cpu, memory: s.memory },
              env: [
                ...Object.entries(s.env).map(([envName, value]) => ({ name: envName, value })),
                ...secretEntries.map((e) => ({ name: e.envName, secretRef: e.name })),
              ],
              probes: [probe("Startup", 5, 30), probe("Readiness", 10, 3), probe("Liveness", 15, 3)],
            },
          ],
          scale: { minReplicas: s.minReplicas, maxReplicas: s.maxReplicas },
        },
      },
      { parent: this, dependsOn: prerequisites },
    );

    if (args.backendAuth) {
      const auth = args.backendAuth;
      const guid = (field: keyof typeof BACKEND_AUTH_IDS) => (v: string) =>
        validateGuid(`servers[${server}].backendAuth.${field}`, v, BACKEND_AUTH_IDS[field]);
      this.authConfig = new app.ContainerAppsAuthConfig(
        `${name}-auth`,
        {
          resourceGroupName: args.resourceGroupName,
          containerAppName: this.app.name,
          authConfigName: "current",
          platform: { enabled: true },
          globalValidation: { unauthenticatedClientAction: "Return401" },
          httpSettings: { requireHttps: true },
          identityProviders: {
            azureActiveDirectory: {
              enabled: true,
              registration: {
                clientId: checked(auth.clientId, guid("clientId")),
                openIdIssuer: pulumi.interpolate`https://login.microsoftonline.com/${checked(auth.tenantId, guid("tenantId"))}/v2.0`,
              },
              validation: {
                allowedAudiences: [auth.audience],
                defaultAuthorizationPolicy: {
                  allowedApplications: auth.allowedCallerClientIds.map((id) => checked(id, guid("allowedCallerClientIds"))),
                  allowedPrincipals: {
                    identities: auth.allowedCallerPrincipalIds.map((id) => checked(id, guid("allowedCallerPrincipalIds"))),
                  },
                },
              },
            },
          },
        },
        { parent: this },
      );
    }

    if (args.workspaceId !== undefined) {
      // Container apps have metrics but no resource log categories of their own.
      attachDiagnostics(name, { resourceId: this.app.id, workspaceId: args.workspaceId, logCategoryGroups: [], metrics: true }, { parent: this });
    }

    this.appName = this.app.name;
    this.appId = this.app.id;
    this.hostName = pulumi.interpolate`${s.appName}.${args.environmentDefaultDomain}`;
    this.fqdn = pulumi.interpolate`https://${this.hostName}`;
    this.registerOutputs({
      appName: this.appName,
      appId: this.appId,
      fqdn: this.fqdn,
      identityId: this.identity.id,
      identityPrincipalId: this.identity.principalId,
      identityClientId: this.identity.clientId,
    });
  }
}

