import type * as pulumi from "@pulumi/pulumi";
import type { Grantee, PlacementArgs } from "../shared/types";
import type { RegistryPrivateLink } from "./registryEndpoint";

/** What `McpServer` takes, and the settings its arguments resolve to. */

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
   * Optional. ARM id of the registry. When set, the server's identity gets AcrPull on this registry only
   * (the component that is told where to pull from grants the pull, and orders the app after it).
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

/**
 * The user-assigned identity a server runs as: a `WorkloadIdentity`, or the ids of one that exists. The
 * image pull and the Key Vault references use it; grant it what it reads before the app starts (`prerequisites`).
 */
export interface McpServerIdentityArgs extends Grantee {
  /** Required. ARM id of the user-assigned identity (what the app lists in `userAssignedIdentities`). */
  readonly id: pulumi.Input<string>;
  /** Required. Object id of its service principal. */
  readonly principalId: pulumi.Input<string>;
  /** Required. Its application (client) id. */
  readonly clientId: pulumi.Input<string>;
}

/** The identity a server runs as, as the component exposes it: something roles can be granted to. */
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
   * Optional. The identity the app runs as (image pull, Key Vault references). Pass the platform's own
   * `WorkloadIdentity` to grant it access before the server exists and order the app after the grants
   * (`prerequisites`), or an existing identity's ids.
   * @default a `WorkloadIdentity` of the server's own, created as this component's child
   */
  readonly identity?: McpServerIdentityArgs;
  /**
   * Optional. The Azure name of the identity the component creates; refused with `identity`.
   * @default auto-named from the component name
   */
  readonly identityName?: string;
  /**
   * Optional. What the app must wait for: the identity's grants (Key Vault Secrets User on the vault its
   * secrets are in), the secrets it references, the vault's private DNS. Container Apps resolves the
   * references and pulls the image while it creates the revision, so the app is registered after every
   * resource here, and after each role assignment among them has had time to take effect (`afterGrants`).
   * @default [] (the caller makes sure access is in place before the first revision starts)
   */
  readonly prerequisites?: readonly pulumi.Resource[];
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
   * its identity, which needs Key Vault Secrets User on the vault (see `prerequisites`).
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, McpServerSecretArgs>>;
  /**
   * Optional. Names in `env` that look like credentials but are not (e.g. `TOKEN_ENDPOINT_URL`).
   * @default []
   */
  readonly allowPlainEnvNames?: readonly string[];
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
 * The arguments that are plain values before anything is deployed (no placement, environment, prerequisites or
 * backend authentication; of the identity, only whether one is given): all `resolveMcpServerDefaults` reads, so the config layer runs it on the settings
 * before anything exists.
 */
export type McpServerPlainArgs = Omit<
  McpServerArgs,
  "resourceGroupName" | "location" | "tags" | "environmentId" | "environmentDefaultDomain" | "backendAuth" | "identity" | "prerequisites"
> & {
  /** Only whether it is given: a name for the identity the component would create is refused next to it. */
  readonly identity?: unknown;
};
