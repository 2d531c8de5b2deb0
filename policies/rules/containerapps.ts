import { finding, Rule } from "./types";
import {
  describeEffective,
  effective,
  eqi,
  get,
  isFalse,
  isTrue,
  noteImplicit,
  hasManagedIdentity,
  knownEquals,
  isAnySource,
  list,
  ofTypes,
  peek,
  Props,
  refersTo,
  requireValue,
  resourceRule,
  plainCredential,
  shown,
  stackRule,
  str,
  strings,
} from "./util";

const APP = ["azure-native:app:ContainerApp"];
const ENV = ["azure-native:app:ManagedEnvironment"];
const AUTH = "azure-native:app:ContainerAppsAuthConfig";

interface IngressConfig {
  /** Container app names (logical or `name` property) allowed to have external ingress without IP restrictions. */
  allowedExternalApps?: string[];
}

function appNames(props: Props, logicalName: string): string[] {
  return [logicalName, str(get(props, "containerAppName")) ?? ""].filter((n) => n !== "").map((n) => n.toLowerCase());
}

export const containerAppsIngressRestricted = resourceRule({
  name: "azure-containerapps-ingress-restricted",
  description:
    "A container app with external ingress must only accept listed source ranges (Allow rules for specific CIDRs, e.g. the gateway's subnet), unless the app is allowlisted. On an internal environment, external means reachable from the VNet, which still must be narrowed to the gateway.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "confused-deputy"],
  remediation:
    "Set configuration.ingress.external to false, or add ipSecurityRestrictions with only Allow rules for the API Management subnet (no 0.0.0.0/0).",
  configSchema: {
    properties: { allowedExternalApps: { type: "array", items: { type: "string" }, description: "App names allowed unrestricted external ingress." } },
  },
  azurePolicy: [
    { name: "Container Apps should disable external network access", id: "783ea2a8-b8fd-46be-896a-9ae79643a0b1" },
  ],
  types: APP,
  validate: (props, args, report) => {
    if (!isTrue(effective(props, args.type, "configuration.ingress.external").value)) return;
    const allowed = (args.getConfig<IngressConfig>().allowedExternalApps ?? []).map((n) => n.toLowerCase());
    if (appNames(props, args.name).some((n) => allowed.includes(n))) return;
    const rules = list(get(props, "configuration.ingress.ipSecurityRestrictions"));
    if (rules.length === 0) {
      report(finding("Unrestricted", "External ingress has no ipSecurityRestrictions; any source can reach the MCP server directly."));
      return;
    }
    for (const rule of rules) {
      const action = get(rule, "action");
      const range = str(get(rule, "ipAddressRange")) ?? "";
      if (!eqi(action, "Allow")) report(finding("DenyRule", `Restriction ${shown(get(rule, "name"))} is ${shown(action)}; use only Allow rules (an Allow list denies the rest).`));
      else if (range.trim() === "" || isAnySource(range)) report(finding("AnySource", `Restriction ${shown(get(rule, "name"))} allows ${shown(range)}.`));
    }
  },
});

export const containerAppsNoInsecureIngress = resourceRule({
  name: "azure-containerapps-no-insecure-ingress",
  description: "Container app ingress must not accept plain HTTP.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "session-hijacking"],
  remediation: "Set configuration.ingress.allowInsecure to false.",
  azurePolicy: [
    { name: "Container Apps should only be accessible over HTTPS", id: "0e80e269-43a4-4ae9-b5bc-178126b8a5cb" },
  ],
  types: APP,
  validate: (props, args, report) => {
    if (get(props, "configuration.ingress") === undefined) return;
    const e = effective(props, args.type, "configuration.ingress.allowInsecure");
    if (!isFalse(e.value)) report(`${describeEffective("configuration.ingress.allowInsecure", e)}; it must be false.`);
    else noteImplicit(args, report, "configuration.ingress.allowInsecure", e);
  },
});

export const containerAppsCorsNoWildcard = resourceRule({
  name: "azure-containerapps-cors-no-wildcard",
  description: "Container app CORS policies must not allow every origin (browser-based DNS rebinding and cross-site calls to the MCP server).",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["session-hijacking", "confused-deputy"],
  remediation: "List explicit origins in configuration.ingress.corsPolicy.allowedOrigins, or remove the CORS policy (the gateway fronts the app).",
  types: APP,
  validate: (props, _args, report) => {
    const origins = strings(get(props, "configuration.ingress.corsPolicy.allowedOrigins"));
    if (origins.some((o) => o.includes("*"))) report(`corsPolicy.allowedOrigins contains a wildcard (${origins.join(", ")}).`);
  },
});

export const containerAppsManagedIdentity = resourceRule({
  name: "azure-containerapps-managed-identity",
  description: "Container apps must have a managed identity for Key Vault secrets, registry pulls and downstream calls.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["excessive-permissions", "token-passthrough"],
  remediation: 'Set identity.type to "UserAssigned" with a dedicated identity per MCP server.',
  azurePolicy: [
    { name: "Managed Identity should be enabled for Container Apps", id: "b874ab2d-72dd-47f1-8cb5-4a306478a4e7" },
  ],
  types: APP,
  validate: (props, _args, report) => {
    if (!hasManagedIdentity(props)) report(`identity.type is ${shown(get(props, "identity.type"))}; a managed identity is required.`);
  },
});

export const containerAppsSecretsFromKeyVault = resourceRule({
  name: "azure-containerapps-secrets-keyvault",
  description: "Container app secrets must be Key Vault references (keyVaultUrl with an identity), never inline values.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "supply-chain"],
  remediation: "Replace configuration.secrets[].value with keyVaultUrl and identity.",
  types: APP,
  validate: (props, _args, report) => {
    for (const secret of list(get(props, "configuration.secrets"))) {
      const name = str(get(secret, "name")) ?? "?";
      if (get(secret, "value") !== undefined || str(get(secret, "keyVaultUrl")) === undefined) {
        report(finding(name, `Secret ${name} is not a Key Vault reference (keyVaultUrl).`));
      }
    }
  },
});

function containers(props: Props): unknown[] {
  return [...list(get(props, "template.containers")), ...list(get(props, "template.initContainers"))];
}

export const containerAppsNoPlaintextEnvSecrets = resourceRule({
  name: "azure-containerapps-no-plaintext-env-secrets",
  description: "Container environment variables that look like credentials must use secretRef, not a plain value.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "supply-chain"],
  remediation: "Move the value to a Key Vault-referenced secret and set env[].secretRef.",
  types: APP,
  validate: (props, _args, report) => {
    for (const container of containers(props)) {
      for (const env of list(get(container, "env"))) {
        const name = str(get(env, "name")) ?? "";
        const value = str(get(env, "value"));
        const credential = value === undefined ? undefined : plainCredential(name, value);
        if (credential !== undefined) {
          const what = credential.pattern ? ` (${credential.pattern})` : "";
          report(finding(name, `Environment variable ${name} carries a plain value${what}; use secretRef.`));
        }
      }
    }
  },
});

export const containerAppsRegistryIdentity = resourceRule({
  name: "azure-containerapps-registry-identity",
  description: "Container apps must pull images with a managed identity, not a registry password.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["supply-chain"],
  remediation: "Set configuration.registries[].identity (and grant AcrPull); remove username and passwordSecretRef.",
  types: APP,
  validate: (props, _args, report) => {
    for (const registry of list(get(props, "configuration.registries"))) {
      const server = str(get(registry, "server")) ?? "?";
      if (get(registry, "passwordSecretRef") !== undefined || str(get(registry, "identity")) === undefined) {
        report(finding(server, `Registry ${server} is not accessed with a managed identity.`));
      }
    }
  },
});

export const containerAppsImageDigest = resourceRule({
  name: "azure-containerapps-image-digest",
  description: "Container images must be pinned by digest (@sha256:), so a re-pushed tag cannot change the running MCP server.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["supply-chain"],
  remediation: "Reference images as <registry>/<repo>@sha256:<digest>.",
  types: APP,
  validate: (props, _args, report) => {
    for (const container of containers(props)) {
      const image = str(get(container, "image"));
      if (image === undefined || !/@sha256:[a-f0-9]{64}$/i.test(image)) {
        report(finding(str(get(container, "name")) ?? "?", `Image ${shown(image)} is not pinned by digest.`));
      }
    }
  },
});

export const containerAppsAuthRequired = stackRule({
  name: "azure-containerapps-auth-required",
  description:
    "Container apps should have built-in authentication (ContainerAppsAuthConfig) enabled and refusing anonymous callers, as defence in depth behind the gateway.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["token-passthrough", "confused-deputy"],
  remediation:
    'Add an app.ContainerAppsAuthConfig with platform.enabled true and globalValidation.unauthenticatedClientAction "Return401", trusting only the gateway\'s identity.',
  azurePolicy: [
    { name: "Authentication should be enabled on Container Apps", id: "2b585559-a78e-4cc4-b1aa-fb169d2f6b96" },
  ],
  validate: (args, report) => {
    const configs = ofTypes(args.resources, [AUTH]);
    for (const app of ofTypes(args.resources, APP)) {
      const appName = str(peek(app.props, "containerAppName")) ?? app.name;
      const own = configs.filter((c) => refersTo(c, "containerAppName", app) || knownEquals(c.props, "containerAppName", appName));
      const enforcing = own.some(
        (c) => isTrue(get(c.props, "platform.enabled")) && !eqi(get(c.props, "globalValidation.unauthenticatedClientAction"), "AllowAnonymous"),
      );
      if (!enforcing) report("The app has no enabled authentication config that rejects unauthenticated callers.", app.urn);
    }
  },
});

export const containerAppsEnvInternal = resourceRule({
  name: "azure-containerapps-env-internal",
  description: "Container Apps environments must be VNet-injected with an internal load balancer only (no public IP).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "token-passthrough"],
  remediation: "Set vnetConfiguration.internal to true and vnetConfiguration.infrastructureSubnetId.",
  azurePolicy: [
    { name: "Container App environments should use network injection", id: "8b346db6-85af-419b-8557-92cee2c0f9bb" },
    { name: "Container Apps environment should disable public network access", id: "d074ddf8-01a5-4b5e-a2b8-964aed452c0a" },
  ],
  types: ENV,
  validate: (props, _args, report) => {
    if (!isTrue(get(props, "vnetConfiguration.internal"))) report(finding("Internal", "vnetConfiguration.internal is not true."));
    if (str(get(props, "vnetConfiguration.infrastructureSubnetId")) === undefined) {
      report(finding("Subnet", "vnetConfiguration.infrastructureSubnetId is not set."));
    }
  },
});

export const containerAppsEnvPublicNetworkDisabled = resourceRule({
  name: "azure-containerapps-env-public-network-disabled",
  description: "Container Apps environments must disable public network access.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation:
    'Set publicNetworkAccess to "Disabled"; an internal environment (vnetConfiguration.internal true) has no public endpoint, which Azure Policy treats as equivalent (https://learn.microsoft.com/azure/container-apps/networking).',
  azurePolicy: [
    { name: "Container Apps environment should disable public network access", id: "d074ddf8-01a5-4b5e-a2b8-964aed452c0a" },
  ],
  types: ENV,
  validate: (props, _args, report) => {
    if (eqi(get(props, "publicNetworkAccess"), "Disabled") || isTrue(get(props, "vnetConfiguration.internal"))) return;
    report(`publicNetworkAccess is ${shown(get(props, "publicNetworkAccess"))} and the environment is not internal; it must be "Disabled".`);
  },
});

export const containerAppsEnvNoSharedKeyLogs = resourceRule({
  name: "azure-containerapps-env-no-shared-key-logs",
  description:
    "Container Apps environments should send logs through Azure Monitor diagnostic settings rather than the Log Analytics shared key (which then must stay enabled on the workspace).",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["monitoring"],
  remediation: 'Set appLogsConfiguration.destination to "azure-monitor" and add a diagnostic setting to the workspace.',
  types: ENV,
  validate: (props, _args, report) => {
    if (str(get(props, "appLogsConfiguration.logAnalyticsConfiguration.sharedKey")) !== undefined) {
      report("appLogsConfiguration uses the Log Analytics shared key.");
    } else if (get(props, "appLogsConfiguration.destination") === undefined) {
      report("appLogsConfiguration.destination is not set; application logs are not collected.");
    }
  },
});

export const containerAppsEnvPeerEncryption = resourceRule({
  name: "azure-containerapps-env-peer-encryption",
  description: "Container Apps environments must encrypt traffic between apps (peer traffic encryption).",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security"],
  remediation: "Set peerTrafficConfiguration.encryption.enabled to true.",
  types: ENV,
  validate: requireValue("peerTrafficConfiguration.encryption.enabled", true),
});

export const containerAppsRules: Rule[] = [
  containerAppsIngressRestricted,
  containerAppsNoInsecureIngress,
  containerAppsCorsNoWildcard,
  containerAppsManagedIdentity,
  containerAppsSecretsFromKeyVault,
  containerAppsNoPlaintextEnvSecrets,
  containerAppsRegistryIdentity,
  containerAppsImageDigest,
  containerAppsAuthRequired,
  containerAppsEnvInternal,
  containerAppsEnvPublicNetworkDisabled,
  containerAppsEnvNoSharedKeyLogs,
  containerAppsEnvPeerEncryption,
];
