import * as pulumi from "@pulumi/pulumi";
import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import { attachDiagnostics } from "../shared/diagnostics";
import { afterGrants } from "../shared/grantPropagation";
import { assignRole } from "../shared/roleAssignment";
import { BuiltInRoles } from "../../baseline/roles";
import type { WorkloadIdentity } from "../identity/workloadIdentity";
import type { McpServerArgs, McpServerIdentity, McpServerIdentityArgs } from "./serverArgs";
import { mcpServerIdentity } from "./serverIdentity";
import { inComponent } from "../shared/settingError";
import { checked, checkImage, resolveMcpServerDefaults, secretUrlField } from "./serverSettings";
import { BACKEND_AUTH_IDS, containerAppSecretName, validateBackendAuth, validateGatewayCidr, validateGuid, validateKeyVaultSecretUrl } from "./validation";

export * from "./serverArgs";
export { resolveMcpServerDefaults } from "./serverSettings";

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
  /** The identity the component created, when none was given (`identity`). */
  readonly workloadIdentity?: WorkloadIdentity;
  /** The identity the app runs as. */
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
    // Checked before the component registers: a bad argument leaves nothing behind. Errors name the component and
    // the argument (`McpServer "github": image: ...`); values known only at deployment are checked when they resolve.
    const what = `McpServer "${name}"`;
    const s = inComponent(what, () => {
      validateBackendAuth(args.backendAuth, args.allowUnauthenticatedBackend);
      return resolveMcpServerDefaults(args);
    });
    const checkedIn = (value: pulumi.Input<string>, check: (v: string) => void) => checked(value, (v) => inComponent(what, () => check(v)));
    super("hardened-mcp:azure:McpServer", name, {}, opts);
    const server = args.serverName;
    const placement = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    let given: McpServerIdentityArgs;
    if (args.identity !== undefined) given = args.identity;
    else {
      // The convenience default, as CDK's Function makes its role: an identity of the server's own.
      this.workloadIdentity = mcpServerIdentity(name, { ...placement, identityName: args.identityName }, this, { parent: this });
      given = this.workloadIdentity;
    }
    this.identity = {
      id: pulumi.output(given.id),
      principalId: pulumi.output(given.principalId),
      clientId: pulumi.output(given.clientId),
      principalType: "ServicePrincipal",
    };
    const identityId = this.identity.id;

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
    prerequisites.push(...(args.prerequisites ?? []));

    const secretEntries = Object.entries(s.secrets).map(([envName, secret]) => ({
      envName,
      name: containerAppSecretName(envName),
      keyVaultUrl: checkedIn(secret.keyVaultSecretUrl, (url) => validateKeyVaultSecretUrl(secretUrlField(envName), url)),
    }));
    const image = checkedIn(args.image, (value) => checkImage(args, value));
    const gatewayCidrs = args.gatewaySubnetCidrs.map((cidr, i) => checkedIn(cidr, (value) => validateGatewayCidr(value, ["gatewaySubnetCidrs", i])));
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
      const guid = (field: keyof typeof BACKEND_AUTH_IDS) => (v: string) => validateGuid(["backendAuth", field], v, BACKEND_AUTH_IDS[field]);
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
                clientId: checkedIn(auth.clientId, guid("clientId")),
                openIdIssuer: pulumi.interpolate`https://login.microsoftonline.com/${checkedIn(auth.tenantId, guid("tenantId"))}/v2.0`,
              },
              validation: {
                allowedAudiences: [auth.audience],
                defaultAuthorizationPolicy: {
                  allowedApplications: auth.allowedCallerClientIds.map((id) => checkedIn(id, guid("allowedCallerClientIds"))),
                  allowedPrincipals: {
                    identities: auth.allowedCallerPrincipalIds.map((id) => checkedIn(id, guid("allowedCallerPrincipalIds"))),
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

