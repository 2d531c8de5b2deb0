import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { APIM_MIN_API_VERSION } from "../../baseline/apim";
import { hasFixedCiphers, LEGACY_PROTOCOLS, WEAK_CIPHERS } from "../../baseline/tls";
import { finding, Rule } from "./types";
import {
  defaultOf,
  describeEffective,
  effective,
  eqi,
  get,
  hasManagedIdentity,
  isFalse,
  isTrue,
  list,
  noteImplicit,
  num,
  peek,
  Props,
  requireValue,
  resourceRule,
  plainCredential,
  shown,
  str,
  strings,
} from "./util";

const SERVICE = ["azure-native:apimanagement:ApiManagementService"];
const API = ["azure-native:apimanagement:Api"];
const BACKEND = ["azure-native:apimanagement:Backend"];
const DIAGNOSTIC = ["azure-native:apimanagement:Diagnostic", "azure-native:apimanagement:ApiDiagnostic"];

const SECURITY = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security";

/** A `customProperties` value, looked up case-insensitively (ARM treats the keys case-insensitively). */
function customProperty(props: Props, key: string): unknown {
  const custom = get(props, "customProperties");
  if (custom === null || typeof custom !== "object") return undefined;
  const match = Object.keys(custom).find((k) => k.toLowerCase() === key.toLowerCase());
  return match === undefined ? undefined : (custom as Record<string, unknown>)[match];
}

/** Services created on or before this date keep the legacy protocols on by default (defaults.ts). */
const LEGACY_DEFAULTS_UNTIL = "2018-04-02";

/**
 * Every listed custom property must effectively be "False": explicitly, or by the API default, which is
 * "False" for protocols on any service created after 2018-04-01 and "True" for ciphers (defaults.ts). A
 * service's `createdAtUtc` (stack exports) before that date keeps the legacy default; unknown or absent
 * means the service is being created now.
 */
function requireDisabled(props: Props, args: ResourceValidationArgs, report: ReportViolation, keys: readonly { qualifier: string; key: string }[]) {
  const created = str(peek(props, "createdAtUtc"));
  const legacyService = created !== undefined && created < LEGACY_DEFAULTS_UNTIL;
  for (const { qualifier, key } of keys) {
    const value = customProperty(props, key);
    const fallback = value === undefined && !legacyService ? defaultOf(args.type, `customProperties.${key}`) : undefined;
    if (isFalse(value)) continue;
    if (fallback !== undefined && isFalse(fallback.value)) {
      noteImplicit(args, report, `customProperties.${key}`, { value: fallback.value, implicit: fallback });
      continue;
    }
    const why = value !== undefined ? shown(value) : legacyService ? `not set, and the service (created ${created}) keeps the legacy default "True"` : 'not set, so Azure applies "True"';
    report(finding(qualifier, `customProperties["${key}"] is ${why}; it must be "False".`));
  }
}


export const apimGatewayTls12 = resourceRule({
  name: "azure-apim-gateway-tls12",
  description: "The API Management gateway must refuse TLS 1.0, TLS 1.1 and SSL 3.0 from clients.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation: `Set customProperties "${SECURITY}.Protocols.Tls10", ".Tls11" and ".Ssl30" to "False".`,
  checkov: ["CKV_AZURE_173"],
  types: SERVICE,
  validate: (props, args, report) =>
    requireDisabled(props, args, report, LEGACY_PROTOCOLS.map((p) => ({ qualifier: p, key: `${SECURITY}.Protocols.${p}` }))),
});

export const apimBackendTls12 = resourceRule({
  name: "azure-apim-backend-tls12",
  description: "API Management must not use TLS 1.0, TLS 1.1 or SSL 3.0 towards backends (the MCP servers).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation: `Set customProperties "${SECURITY}.Backend.Protocols.Tls10", ".Tls11" and ".Ssl30" to "False".`,
  checkov: ["CKV_AZURE_173"],
  types: SERVICE,
  validate: (props, args, report) =>
    requireDisabled(props, args, report, LEGACY_PROTOCOLS.map((p) => ({ qualifier: p, key: `${SECURITY}.Backend.Protocols.${p}` }))),
});


interface CipherConfig {
  allowedCiphers?: string[];
}

export const apimWeakCiphersDisabled = resourceRule({
  name: "azure-apim-weak-ciphers-disabled",
  description:
    "The API Management gateway must disable 3DES, CBC and non-forward-secret (TLS_RSA) cipher suites (classic tiers; the v2 tiers' ciphers are fixed by the platform).",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security"],
  remediation: `Set customProperties "${SECURITY}.Ciphers.<suite>" to "False" for TripleDes168 and every TLS_RSA_* and *_CBC_* suite.`,
  configSchema: {
    properties: {
      allowedCiphers: {
        type: "array",
        items: { type: "string" },
        description: "Cipher keys (e.g. TLS_RSA_WITH_AES_128_GCM_SHA256) to leave enabled for legacy clients.",
      },
    },
  },
  types: SERVICE,
  validate: (props, args, report) => {
    // Tiers with a fixed, platform-managed cipher configuration take no cipher settings at all.
    if (hasFixedCiphers(String(get(props, "sku.name") ?? ""))) return;
    const allowed = new Set((args.getConfig<CipherConfig>().allowedCiphers ?? []).map((c) => c.toLowerCase()));
    const keys = WEAK_CIPHERS.filter((c) => !allowed.has(c.toLowerCase()));
    requireDisabled(props, args, report, keys.map((c) => ({ qualifier: c, key: `${SECURITY}.Ciphers.${c}` })));
  },
});

interface SkuConfig {
  allowedSkus?: string[];
}

/**
 * Tiers that reach private backends through a VNet: injection (Developer, Premium, Isolated, PremiumV2) or
 * outbound VNet integration (StandardV2). Basic, Standard, Consumption and BasicV2 cannot reach a private MCP server.
 */
const VNET_SKUS = ["Developer", "Premium", "Isolated", "StandardV2", "PremiumV2"];

export const apimVnetSku = resourceRule({
  name: "azure-apim-vnet-capable-sku",
  description: "API Management must use a tier that can reach private backends through a virtual network (injection or v2 VNet integration).",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security"],
  remediation: `Use one of the SKUs ${VNET_SKUS.join(", ")} (Developer for non-production only).`,
  configSchema: {
    properties: { allowedSkus: { type: "array", items: { type: "string" }, default: VNET_SKUS } },
  },
  azurePolicy: [
    { name: "API Management service should use a SKU that supports virtual networks", id: "73ef9241-5d81-4cd4-b483-8443d1730fe5" },
  ],
  types: SERVICE,
  validate: (props, args, report) => {
    const allowed = args.getConfig<SkuConfig>().allowedSkus ?? VNET_SKUS;
    const sku = get(props, "sku.name");
    if (!allowed.some((s) => eqi(sku, s))) report(`sku.name is ${shown(sku)}; it must be one of ${allowed.join(", ")}.`);
  },
});

export const apimVnetInjected = resourceRule({
  name: "azure-apim-vnet-injected",
  description: "API Management must run inside a virtual network (Internal mode preferred) so backends stay private.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation: 'Set virtualNetworkType to "Internal" (or "External" behind a WAF) and virtualNetworkConfiguration.subnetResourceId.',
  checkov: ["CKV_AZURE_107"],
  azurePolicy: [
    { name: "API Management services should use a virtual network", id: "ef619a2c-cc4d-4d03-b2ba-8c94a834d85b" },
  ],
  types: SERVICE,
  validate: (props, _args, report) => {
    const mode = get(props, "virtualNetworkType");
    if (mode === undefined || eqi(mode, "None")) {
      report(finding("Mode", `virtualNetworkType is ${shown(mode)}; it must be "Internal" or "External".`));
      return;
    }
    if (str(get(props, "virtualNetworkConfiguration.subnetResourceId")) === undefined) {
      report(finding("Subnet", "virtualNetworkConfiguration.subnetResourceId is not set."));
    }
  },
});

export const apimPublicNetworkDisabled = resourceRule({
  name: "azure-apim-public-network-disabled",
  description: "API Management should disable public network access when clients reach it privately (private endpoint or Internal VNet behind a WAF).",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["transport-security"],
  remediation: 'Set publicNetworkAccess to "Disabled" and publish the gateway through Application Gateway / Front Door with WAF.',
  checkov: ["CKV_AZURE_174"],
  azurePolicy: [
    { name: "API Management should disable public network access to the service configuration endpoints", id: "df73bd95-24da-4a4f-96b9-4e8b94b402bd" },
  ],
  types: SERVICE,
  validate: requireValue("publicNetworkAccess", "Disabled"),
});

export const apimManagedIdentity = resourceRule({
  name: "azure-apim-managed-identity",
  description: "API Management must have a managed identity, used for Key Vault named values and Entra-authenticated backend calls.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["token-passthrough", "excessive-permissions"],
  remediation: 'Set identity.type to "SystemAssigned" or "UserAssigned".',
  types: SERVICE,
  validate: (props, _args, report) => {
    if (!hasManagedIdentity(props)) report(`identity.type is ${shown(get(props, "identity.type"))}; a managed identity is required.`);
  },
});

export const apimPortalsDisabled = resourceRule({
  name: "azure-apim-portals-disabled",
  description: "The API Management developer and legacy portals must be disabled (the v3 SDK enables both by default).",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["excessive-permissions"],
  remediation: 'Set developerPortalStatus and legacyPortalStatus to "Disabled".',
  types: SERVICE,
  validate: (props, args, report) => {
    for (const [qualifier, path] of [
      ["DeveloperPortal", "developerPortalStatus"],
      ["LegacyPortal", "legacyPortalStatus"],
    ] as const) {
      const e = effective(props, args.type, path);
      if (!eqi(e.value, "Disabled")) report(finding(qualifier, `${describeEffective(path, e)}; it must be "Disabled".`));
    }
  },
});

interface ApiVersionConfig {
  minimumApiVersion?: string;
}

export const apimMinApiVersion = resourceRule({
  name: "azure-apim-min-control-plane-api-version",
  description: "API Management must reject control-plane calls with old API versions that lack secret-hiding semantics.",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["excessive-permissions"],
  remediation: `Set apiVersionConstraint.minApiVersion to "${APIM_MIN_API_VERSION}" or later.`,
  configSchema: { properties: { minimumApiVersion: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}", default: APIM_MIN_API_VERSION } } },
  azurePolicy: [
    { name: "[Deprecated]: API Management minimum API version should be set to 2019-12-01 or higher", id: "549814b6-3212-4203-bdc8-1548d342fb67" },
  ],
  types: SERVICE,
  validate: (props, args, report) => {
    const minimum = args.getConfig<ApiVersionConfig>().minimumApiVersion ?? APIM_MIN_API_VERSION;
    const value = str(get(props, "apiVersionConstraint.minApiVersion"));
    if (value === undefined || value.slice(0, 10) < minimum) {
      report(`apiVersionConstraint.minApiVersion is ${shown(value)}; it must be ${minimum} or later.`);
    }
  },
});

export const apimApiHttpsOnly = resourceRule({
  name: "azure-apim-api-https-only",
  description: "APIs must be served over HTTPS only (no plain http or ws).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "session-hijacking"],
  remediation: 'Set protocols to ["https"].',
  azurePolicy: [
    { name: "API Management APIs should use only encrypted protocols", id: "ee7495e7-3ba7-40b6-bfee-c29e22cc75d4" },
  ],
  types: API,
  validate: (props, _args, report) => {
    const protocols = list(get(props, "protocols"));
    const insecure = protocols.filter((p) => !eqi(p, "https") && !eqi(p, "wss"));
    if (protocols.length === 0 || insecure.length > 0) {
      report(`protocols is ${shown(get(props, "protocols"))}; it must be ["https"].`);
    }
  },
});

export const apimApiServiceUrlHttps = resourceRule({
  name: "azure-apim-api-service-url-https",
  description: "An API's backend service URL, when set, must use https://.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "token-passthrough"],
  remediation: "Point serviceUrl at the backend's https:// endpoint (or a Backend entity with an https URL).",
  types: API,
  validate: (props, _args, report) => {
    const url = get(props, "serviceUrl");
    if (url !== undefined && !(typeof url === "string" && url.toLowerCase().startsWith("https://"))) {
      report(`serviceUrl is ${shown(url)}; it must start with https://.`);
    }
  },
});

export const apimBackendHttps = resourceRule({
  name: "azure-apim-backend-https",
  description: "API Management backends must be reached over https.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "token-passthrough"],
  remediation: "Set url to the backend's https:// endpoint.",
  checkov: ["CKV_AZURE_215"],
  types: BACKEND,
  validate: (props, _args, report) => {
    const url = str(get(props, "url"));
    if (url === undefined || !url.toLowerCase().startsWith("https://")) report(`url is ${shown(url)}; it must start with https://.`);
  },
});

export const apimBackendTlsValidation = resourceRule({
  name: "azure-apim-backend-tls-validation",
  description: "API Management must validate the backend's certificate chain and name.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "confused-deputy"],
  remediation: "Set tls.validateCertificateChain and tls.validateCertificateName to true.",
  azurePolicy: [
    { name: "API Management calls to API backends should not bypass certificate thumbprint or name validation", id: "92bb331d-ac71-416a-8c91-02f2cb734ce4" },
  ],
  types: BACKEND,
  validate: (props, args, report) => {
    for (const [qualifier, path] of [
      ["Chain", "tls.validateCertificateChain"],
      ["Name", "tls.validateCertificateName"],
    ] as const) {
      const e = effective(props, args.type, path);
      if (!isTrue(e.value)) report(finding(qualifier, `${describeEffective(path, e)}; it must be true.`));
      else noteImplicit(args, report, path, e);
    }
  },
});

export const apimNoAllApisSubscription = resourceRule({
  name: "azure-apim-no-all-apis-subscription",
  description: "API Management subscriptions must not be scoped to all APIs, and must not allow request tracing.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["excessive-permissions"],
  remediation: "Scope each subscription to one product or API (/products/<id> or /apis/<id>) and set allowTracing to false.",
  azurePolicy: [
    { name: "API Management subscriptions should not be scoped to all APIs", id: "3aa03346-d8c5-4994-a5bc-7652c2a2aef1" },
  ],
  types: ["azure-native:apimanagement:Subscription"],
  validate: (props, _args, report) => {
    const scope = str(get(props, "scope")) ?? "";
    if (/\/apis\/?$/i.test(scope.trim())) report(finding("AllApis", `scope ${JSON.stringify(scope)} grants every API.`));
    if (isTrue(get(props, "allowTracing"))) report(finding("Tracing", "allowTracing is true; traces expose headers and bodies."));
  },
});

export const apimNamedValueKeyVault = resourceRule({
  name: "azure-apim-named-value-keyvault",
  description: "Secret API Management named values must come from Key Vault; credentials must never be plain named values.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "supply-chain"],
  remediation: "Set secret to true and keyVault.secretIdentifier (with the gateway's managed identity); remove the inline value.",
  azurePolicy: [
    { name: "API Management secret named values should be stored in Azure Key Vault", id: "f1cc7827-022c-473e-836e-5a51cae0b249" },
  ],
  types: ["azure-native:apimanagement:NamedValue"],
  validate: (props, _args, report) => {
    const secret = get(props, "secret");
    const value = str(get(props, "value"));
    if (secret === true) {
      if (str(get(props, "keyVault.secretIdentifier")) === undefined) {
        report(finding("NotInKeyVault", "The secret named value has no keyVault.secretIdentifier; its value lives in API Management."));
      }
      return;
    }
    const name = `${str(get(props, "displayName")) ?? ""} ${str(get(props, "namedValueId")) ?? ""}`;
    const credential = plainCredential(name, value ?? "x");
    if (credential !== undefined) {
      const what = credential.pattern ? ` (${credential.pattern})` : "";
      report(finding("PlainSecret", `The named value looks like a credential${what} but is not a Key Vault secret.`));
    }
  },
});

/** Headers that carry credentials and must never reach a log sink. */
const SENSITIVE_HEADERS = ["authorization", "ocp-apim-subscription-key", "cookie", "set-cookie", "x-functions-key", "api-key", "mcp-session-id"];

const MESSAGES = ["frontend.request", "frontend.response", "backend.request", "backend.response"] as const;

export const apimDiagnosticsNoBodies = resourceRule({
  name: "azure-apim-diagnostics-no-bodies",
  description: "API Management diagnostics must not log request or response bodies (MCP payloads carry tool arguments, results and tokens).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["monitoring", "token-passthrough"],
  remediation: "Remove body logging (or set body.bytes to 0) on frontend and backend requests and responses.",
  types: DIAGNOSTIC,
  validate: (props, _args, report) => {
    for (const message of MESSAGES) {
      const bytes = get(props, `${message}.body.bytes`);
      if (bytes !== undefined && num(bytes) !== 0) report(finding(message, `${message}.body.bytes is ${shown(bytes)}; it must be 0 or absent.`));
    }
  },
});

export const apimDiagnosticsNoAuthHeaders = resourceRule({
  name: "azure-apim-diagnostics-no-auth-headers",
  description: "API Management diagnostics must not log credential headers (Authorization, subscription keys, cookies, session ids).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["monitoring", "token-passthrough", "session-hijacking"],
  remediation: "Remove Authorization, Ocp-Apim-Subscription-Key, Cookie and Mcp-Session-Id from the logged headers.",
  types: DIAGNOSTIC,
  validate: (props, _args, report) => {
    for (const message of MESSAGES) {
      for (const header of strings(get(props, `${message}.headers`))) {
        if (SENSITIVE_HEADERS.includes(header.trim().toLowerCase())) {
          report(finding(`${message}:${header}`, `${message}.headers logs the credential header ${header}.`));
        }
      }
    }
  },
});

export const apimRules: Rule[] = [
  apimGatewayTls12,
  apimBackendTls12,
  apimWeakCiphersDisabled,
  apimVnetSku,
  apimVnetInjected,
  apimPublicNetworkDisabled,
  apimManagedIdentity,
  apimPortalsDisabled,
  apimMinApiVersion,
  apimApiHttpsOnly,
  apimApiServiceUrlHttps,
  apimBackendHttps,
  apimBackendTlsValidation,
  apimNoAllApisSubscription,
  apimNamedValueKeyVault,
  apimDiagnosticsNoBodies,
  apimDiagnosticsNoAuthHeaders,
];
