import * as pulumi from "@pulumi/pulumi";
import { fieldName, SettingError, type SettingField } from "../shared/settingError";
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

/**
 * Defaults and checks of the plain arguments; the component checks `backendAuth` itself (it is deploy-time).
 * Throws a `SettingError` naming the argument (`image`, `env.GITHUB_TOKEN`), under `at` when the caller holds the
 * arguments elsewhere (the config layer: `["servers", 1]`).
 */
export function resolveMcpServerDefaults(args: McpServerPlainArgs, at: SettingField = []): ResolvedMcpServerSettings {
  const settings: ResolvedMcpServerSettings = {
    appName: args.appName ?? `mcp-${args.serverName}`,
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
  validateContainerAppName(settings.appName, at);
  validatePort(settings.port, at);
  validateHealthPath(settings.healthPath, at);
  validateScale(settings.minReplicas, settings.maxReplicas, at);
  const memory = validateResources(settings.cpu, settings.memory, at);
  validateServerEnvironment(settings.env, Object.keys(settings.secrets), args.allowPlainEnvNames, at);
  if (args.gatewaySubnetCidrs.length === 0) {
    throw new SettingError({ field: [...at, "gatewaySubnetCidrs"], problem: "is empty, so nothing could reach the server", fix: "Set the API Management subnet's prefix" });
  }
  // Plain values are checked here; values still unknown are checked when they resolve (see `checked`).
  args.gatewaySubnetCidrs.forEach((cidr, i) => {
    if (typeof cidr === "string") validateGatewayCidr(cidr, [...at, "gatewaySubnetCidrs", i]);
  });
  for (const [envName, secret] of Object.entries(settings.secrets)) {
    if (typeof secret.keyVaultSecretUrl === "string") validateKeyVaultSecretUrl(secretUrlField(envName, at), secret.keyVaultSecretUrl);
  }
  if (typeof args.image === "string") checkImage(args, args.image, at);
  if (args.identity !== undefined && args.identityName !== undefined) {
    throw new SettingError({ field: [...at, "identityName"], problem: "is set with identity, which already has its name", fix: "Remove identityName" });
  }
  return { ...settings, memory };
}

export const secretUrlField = (envName: string, at: SettingField = []): SettingField => [...at, "secrets", envName, "keyVaultSecretUrl"];

/** Digest pinning, and the image must come from the configured registry when there is one. */
export function checkImage(args: McpServerPlainArgs, image: string, at: SettingField = []): void {
  const name = (...field: SettingField) => fieldName([...at, ...field]);
  const ref = validateImageReference(image, { allowTagOnlyImages: args.allowTagOnlyImages, field: [...at, "image"] });
  if (!args.registry && ref.registry.endsWith(".azurecr.io")) {
    throw new SettingError({
      field: [...at, "registry"],
      problem: `is not set, so the app would try an anonymous pull of ${name("image")} from the container registry ${ref.registry}`,
      fix: `Set ${name("registry")} { server: "${ref.registry}", resourceId: <registry id> } to pull with the server's identity`,
    });
  }
  if (args.registry && args.registry.resourceId === undefined && args.registry.server.toLowerCase().endsWith(".azurecr.io")) {
    throw new SettingError({
      field: [...at, "registry", "resourceId"],
      problem: `is not set for the Azure Container Registry ${args.registry.server}, so nothing grants the server's identity AcrPull`,
      fix: `Set the registry's resource id (az acr show --name ${args.registry.server.split(".")[0]} --query id -o tsv); AcrPull is granted on that registry only`,
    });
  }
  if (args.registry && ref.registry !== args.registry.server.toLowerCase()) {
    throw new SettingError({
      field: [...at, "image"],
      problem: `comes from "${ref.registry}" but ${name("registry", "server")} is "${args.registry.server}"`,
      fix: `Push the image to ${args.registry.server} or change the registry`,
    });
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

