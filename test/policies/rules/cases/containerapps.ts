import { patch, res, RuleCases, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_OBJECT } from "../harness";

const APP = "azure-native:app:ContainerApp";
const DIGEST = "a".repeat(64);
const app = {
  containerAppName: "weather",
  identity: { type: "UserAssigned", userAssignedIdentities: ["/uai"] },
  configuration: {
    ingress: {
      external: true,
      allowInsecure: false,
      targetPort: 8080,
      ipSecurityRestrictions: [{ name: "apim", action: "Allow", ipAddressRange: "10.0.1.0/24" }],
    },
    secrets: [{ name: "api-key", keyVaultUrl: "https://kv.vault.azure.net/secrets/api-key", identity: "/uai" }],
    registries: [{ server: "acr.azurecr.io", identity: "/uai" }],
  },
  template: {
    containers: [
      {
        name: "server",
        image: `acr.azurecr.io/weather@sha256:${DIGEST}`,
        env: [
          { name: "API_KEY", secretRef: "api-key" },
          { name: "LOG_LEVEL", value: "info" },
        ],
      },
    ],
  },
};
const a = (p: Record<string, unknown>) => ({ type: APP, props: patch(app, p) });
const ingress = (p: Record<string, unknown>) => a({ configuration: { ingress: p } });
const env = (e: unknown[]) => a({ template: { containers: [{ name: "server", image: `x@sha256:${DIGEST}`, env: e }] } });

const ENV = "azure-native:app:ManagedEnvironment";
const environment = {
  vnetConfiguration: { internal: true, infrastructureSubnetId: "/subnets/aca" },
  publicNetworkAccess: "Disabled",
  appLogsConfiguration: { destination: "azure-monitor" },
  peerTrafficConfiguration: { encryption: { enabled: true } },
};
const e = (p: Record<string, unknown>) => ({ type: ENV, props: patch(environment, p) });

const AUTH = "azure-native:app:ContainerAppsAuthConfig";
const appRes = res(APP, "weather", { containerAppName: "weather" });
const auth = (p: Record<string, unknown>, deps = true) =>
  res(AUTH, "weather-auth", { platform: { enabled: true }, globalValidation: { unauthenticatedClientAction: "Return401" }, ...p }, deps ? { containerAppName: [appRes] } : {});

export const containerAppsCases: Record<string, RuleCases> = {
  "azure-containerapps-ingress-restricted": {
    pass: [
      a({}),
      ingress({ external: false, ipSecurityRestrictions: undefined }),
      { ...ingress({ ipSecurityRestrictions: undefined }), config: { allowedExternalApps: ["weather"] } },
      a({ configuration: { ingress: undefined } }),
    ],
    fail: [
      { ...ingress({ ipSecurityRestrictions: undefined }), expect: ["[Unrestricted]"] },
      { ...ingress({ ipSecurityRestrictions: [{ name: "all", action: "Allow", ipAddressRange: "0.0.0.0/0" }] }), expect: ["[AnySource]"] },
      { ...ingress({ ipSecurityRestrictions: [{ name: "bad", action: "Deny", ipAddressRange: "1.2.3.4/32" }] }), expect: ["[DenyRule]"] },
      { ...ingress({ ipSecurityRestrictions: undefined }), config: { allowedExternalApps: ["other"] }, expect: ["[Unrestricted]"] },
    ],
    unknown: [ingress({ external: UNKNOWN_BOOL }), ingress({ ipSecurityRestrictions: UNKNOWN_ARRAY })],
  },
  "azure-containerapps-no-insecure-ingress": {
    // allowInsecure defaults to false (API 2025-02-02-preview).
    pass: [a({}), a({ configuration: { ingress: undefined } }), ingress({ allowInsecure: undefined })],
    fail: [ingress({ allowInsecure: true }), { ...ingress({ allowInsecure: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:configuration.ingress.allowInsecure]"] }],
    unknown: [ingress({ allowInsecure: UNKNOWN_BOOL })],
  },
  "azure-containerapps-cors-no-wildcard": {
    pass: [a({}), ingress({ corsPolicy: { allowedOrigins: ["https://app.contoso.com"] } })],
    fail: [ingress({ corsPolicy: { allowedOrigins: ["*"] } }), ingress({ corsPolicy: { allowedOrigins: ["https://*.contoso.com"] } })],
    unknown: [ingress({ corsPolicy: { allowedOrigins: UNKNOWN_ARRAY } })],
  },
  "azure-containerapps-managed-identity": {
    pass: [a({})],
    fail: [a({ identity: undefined }), a({ identity: { type: "None" } })],
    unknown: [a({ identity: { type: UNKNOWN } })],
  },
  "azure-containerapps-secrets-keyvault": {
    pass: [a({}), a({ configuration: { secrets: undefined } })],
    fail: [
      { ...a({ configuration: { secrets: [{ name: "api-key", value: "abc" }] } }), expect: ["[api-key]"] },
      a({ configuration: { secrets: [{ name: "k", value: "abc", keyVaultUrl: "https://kv/secrets/k" }] } }),
    ],
    unknown: [a({ configuration: { secrets: [{ name: "k", value: UNKNOWN }] } })],
  },
  "azure-containerapps-no-plaintext-env-secrets": {
    pass: [
      a({}),
      env([{ name: "PORT", value: "8080" }]),
      env([{ name: "TOKEN_ENDPOINT", value: "https://login.microsoftonline.com/t/oauth2/v2.0/token" }]),
      env([{ name: "ENTRA_TOKEN_AUDIENCE", value: "api://weather" }]),
      env([{ name: "SAS_ENABLED", value: "false" }]),
    ],
    fail: [
      { ...env([{ name: "OPENAI_API_KEY", value: "abc" }]), expect: ["[OPENAI_API_KEY]"] },
      { ...env([{ name: "CALLBACK", value: "https://user:pa55@example.com" }, { name: "DB_PWD", value: "p" }]), expect: ["[DB_PWD]", "[CALLBACK]", "UrlCredentials"] },
      { ...env([{ name: "STORAGE", value: "AccountKey=abcdefghijklmnopqrstuvwxyz0123456789" }]), expect: ["AccountKey"] },
      {
        ...a({ template: { containers: app.template.containers, initContainers: [{ name: "init", image: "x", env: [{ name: "DB_PASSWORD", value: "p" }] }] } }),
        expect: ["[DB_PASSWORD]"],
      },
    ],
    unknown: [env([{ name: "TOKEN", value: UNKNOWN }]), a({ template: { containers: UNKNOWN_ARRAY } })],
  },
  "azure-containerapps-registry-identity": {
    pass: [a({}), a({ configuration: { registries: undefined } })],
    fail: [
      { ...a({ configuration: { registries: [{ server: "acr.azurecr.io", username: "u", passwordSecretRef: "pw" }] } }), expect: ["[acr.azurecr.io]"] },
      a({ configuration: { registries: [{ server: "acr.azurecr.io" }] } }),
    ],
    unknown: [a({ configuration: { registries: [{ server: "r", identity: UNKNOWN }] } })],
  },
  "azure-containerapps-image-digest": {
    pass: [a({})],
    fail: [
      { ...a({ template: { containers: [{ name: "server", image: "acr.azurecr.io/weather:1.2.3" }] } }), expect: ["[server]"] },
      a({ template: { containers: [{ name: "server" }] } }),
      a({ template: { containers: [{ name: "server", image: "w@sha256:short" }] } }),
    ],
    unknown: [a({ template: { containers: [{ name: "server", image: UNKNOWN }] } })],
  },
  "azure-containerapps-auth-required": {
    pass: [
      { stack: [appRes, auth({})] },
      { stack: [appRes, auth({ containerAppName: "weather" }, false)] },
      {
        stack: [
          appRes,
          res(APP, "other", { containerAppName: "other" }),
          auth({ containerAppName: UNKNOWN }),
          res(AUTH, "other-auth", { containerAppName: UNKNOWN, platform: { enabled: true } }, { containerAppName: [res(APP, "other", {})] }),
        ],
      },
    ],
    fail: [
      { stack: [appRes] },
      { stack: [appRes, auth({ globalValidation: { unauthenticatedClientAction: "AllowAnonymous" } })] },
      { stack: [appRes, auth({ platform: { enabled: false } })] },
      { stack: [appRes, auth({ containerAppName: "other" }, false)] },
    ],
    unknown: [{ stack: [appRes, auth({ platform: { enabled: UNKNOWN_BOOL } })] }],
  },
  "azure-containerapps-env-internal": {
    pass: [e({})],
    fail: [
      { ...e({ vnetConfiguration: { internal: false } }), expect: ["[Internal]"] },
      { ...e({ vnetConfiguration: undefined }), expect: ["[Internal]", "[Subnet]"] },
    ],
    unknown: [e({ vnetConfiguration: { internal: UNKNOWN_BOOL } }), e({ vnetConfiguration: UNKNOWN_OBJECT })],
  },
  "azure-containerapps-env-public-network-disabled": {
    // An internal environment has no public endpoint (Azure Policy d074ddf8 checks exactly that).
    pass: [e({}), e({ publicNetworkAccess: undefined })],
    fail: [e({ publicNetworkAccess: "Enabled", vnetConfiguration: { internal: false } }), e({ publicNetworkAccess: undefined, vnetConfiguration: undefined })],
    unknown: [e({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-containerapps-env-no-shared-key-logs": {
    pass: [e({}), e({ appLogsConfiguration: { destination: "log-analytics", logAnalyticsConfiguration: { customerId: "c" } } })],
    fail: [
      e({ appLogsConfiguration: { destination: "log-analytics", logAnalyticsConfiguration: { customerId: "c", sharedKey: "k" } } }),
      e({ appLogsConfiguration: undefined }),
    ],
    unknown: [e({ appLogsConfiguration: { logAnalyticsConfiguration: { sharedKey: UNKNOWN } } })],
  },
  "azure-containerapps-env-peer-encryption": {
    pass: [e({})],
    fail: [e({ peerTrafficConfiguration: undefined }), e({ peerTrafficConfiguration: { encryption: { enabled: false } } })],
    unknown: [e({ peerTrafficConfiguration: { encryption: { enabled: UNKNOWN_BOOL } } })],
  },
};
