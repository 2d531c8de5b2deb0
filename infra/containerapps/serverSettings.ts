import * as pulumi from "@pulumi/pulumi";
import type { McpServerPlainArgs, ResolvedMcpServerSettings } from "./serverArgs";
import {
  validateContainerAppName,
  validateGatewayCidr,
  validateHealthPath,
  validateImageReference,
  validateKeyVaultSecretUrl,
  validatePort,
  validateResources,
  validateScale,
  validateServerEnvironment,
} from "./validation";

/**
 * McpServer's pure part: the one place its defaults are applied, and every check plain values allow (values
 * known only at deployment are checked when they resolve, with `checked`).
 */

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

export const secretUrlSetting = (server: string, envName: string) => `servers[${server}].secrets.${envName}.keyVaultSecretUrl`;

/** Digest pinning, and the image must come from the configured registry when there is one. */
export function checkImage(args: McpServerPlainArgs, image: string): void {
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
export function checked(value: pulumi.Input<string>, check: (v: string) => void): pulumi.Input<string> {
  if (typeof value === "string") {
    check(value);
    return value;
  }
  return pulumi.output(value).apply((v) => {
    check(v);
    return v;
  });
}

