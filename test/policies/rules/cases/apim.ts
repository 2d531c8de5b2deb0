import { WEAK_CIPHERS } from "../../../../baseline/tls";
import { patch, RuleCases, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, UNKNOWN_OBJECT } from "../harness";

const T = "azure-native:apimanagement:ApiManagementService";
const S = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security";
const ciphers = WEAK_CIPHERS;
const customProperties: Record<string, string> = {};
for (const p of ["Tls10", "Tls11", "Ssl30"]) {
  customProperties[`${S}.Protocols.${p}`] = "False";
  customProperties[`${S}.Backend.Protocols.${p}`] = "false";
}
for (const c of ciphers) customProperties[`${S}.Ciphers.${c}`] = "False";

export const service = {
  publisherEmail: "a@b.c",
  publisherName: "p",
  sku: { name: "Premium", capacity: 1 },
  identity: { type: "SystemAssigned" },
  virtualNetworkType: "Internal",
  virtualNetworkConfiguration: { subnetResourceId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/apim" },
  publicNetworkAccess: "Disabled",
  developerPortalStatus: "Disabled",
  legacyPortalStatus: "Disabled",
  apiVersionConstraint: { minApiVersion: "2021-08-01" },
  customProperties,
};
const svc = (p: Record<string, unknown>) => ({ type: T, props: patch(service, p) });
const custom = (key: string, value: string | boolean | undefined) => svc({ customProperties: { ...customProperties, [key]: value } });

const API = "azure-native:apimanagement:Api";
const api = (p: Record<string, unknown>) => ({ type: API, props: patch({ path: "mcp/weather", protocols: ["https"], serviceUrl: "https://weather.internal" }, p) });
const BE = "azure-native:apimanagement:Backend";
const backend = (p: Record<string, unknown>) => ({
  type: BE,
  props: patch({ url: "https://weather.internal/mcp", protocol: "http", tls: { validateCertificateChain: true, validateCertificateName: true } }, p),
});
const SUB = "azure-native:apimanagement:Subscription";
const NV = "azure-native:apimanagement:NamedValue";
const DIAG = "azure-native:apimanagement:Diagnostic";
const diag = { loggerId: "/loggers/ai", frontend: { request: { headers: ["X-Request-Id"], body: { bytes: 0 } }, response: { headers: [] } }, backend: {} };
const d = (p: Record<string, unknown>, type = DIAG) => ({ type, props: patch(diag, p) });

export const apimCases: Record<string, RuleCases> = {
  "azure-apim-gateway-tls12": {
    // Unset protocol switches are "False" on every service created after 2018-04-01 (API 2024-05-01 default).
    pass: [svc({}), custom(`${S}.Protocols.Ssl30`, undefined), svc({ customProperties: undefined }), svc({ createdAtUtc: "2023-05-01T10:00:00Z", customProperties: undefined })],
    fail: [
      { ...custom(`${S}.Protocols.Tls11`, "True"), expect: ["[Tls11]"] },
      { ...custom(`${S}.Protocols.Tls10`, true), expect: ["[Tls10]"] },
      // A service created before April 2018 keeps the legacy protocols on unless told otherwise.
      { ...svc({ createdAtUtc: "2017-11-20T08:00:00Z", customProperties: undefined }), expect: ["[Tls10]", "[Tls11]", "[Ssl30]", "legacy default"] },
      { ...svc({ customProperties: undefined }), config: { strict: true }, expect: ['(advisory) [Implicit:customProperties.Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10]'] },
    ],
    unknown: [svc({ customProperties: UNKNOWN_OBJECT }), custom(`${S}.Protocols.Tls10`, UNKNOWN)],
  },
  "azure-apim-backend-tls12": {
    pass: [svc({}), { type: T, props: { ...service, customProperties: {} } }, { type: T, props: { customProperties: Object.fromEntries(Object.entries(customProperties).map(([k, v]) => [k.toLowerCase(), v])) } }],
    fail: [
      { ...custom(`${S}.Backend.Protocols.Tls10`, "true"), expect: ["[Tls10]"] },
      { type: T, props: { ...service, createdAtUtc: "2016-02-01T00:00:00Z", customProperties: {} }, expect: ["[Tls11]"] },
    ],
    unknown: [custom(`${S}.Backend.Protocols.Tls11`, UNKNOWN)],
  },
  "azure-apim-weak-ciphers-disabled": {
    pass: [
      svc({}),
      { ...custom(`${S}.Ciphers.TLS_RSA_WITH_AES_128_GCM_SHA256`, "True"), config: { allowedCiphers: ["TLS_RSA_WITH_AES_128_GCM_SHA256"] } },
      // The v2 tiers' ciphers are fixed by the platform and take no settings.
      svc({ sku: { name: "StandardV2", capacity: 1 }, customProperties: { ...customProperties, [`${S}.Ciphers.TripleDes168`]: undefined } }),
    ],
    fail: [
      { ...custom(`${S}.Ciphers.TripleDes168`, "True"), expect: ["[TripleDes168]"] },
      {
        ...svc({ sku: { name: "Developer", capacity: 1 }, customProperties: { ...customProperties, [`${S}.Ciphers.TripleDes168`]: undefined } }),
        expect: ["[TripleDes168]"],
      },
      { ...custom(`${S}.Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA`, undefined), expect: ["[TLS_RSA_WITH_AES_128_CBC_SHA]"] },
      {
        ...custom(`${S}.Ciphers.TripleDes168`, "True"),
        config: { allowedCiphers: ["TLS_RSA_WITH_AES_128_GCM_SHA256"] },
        expect: ["[TripleDes168]"],
      },
    ],
    unknown: [custom(`${S}.Ciphers.TripleDes168`, UNKNOWN)],
  },
  "azure-apim-vnet-capable-sku": {
    pass: [svc({}), svc({ sku: { name: "developer" } }), svc({ sku: { name: "StandardV2" } }), { ...svc({ sku: { name: "Isolated" } }), config: { allowedSkus: ["Isolated"] } }],
    fail: [svc({ sku: { name: "BasicV2" } }), svc({ sku: { name: "Consumption" } }), svc({ sku: undefined }), { ...svc({}), config: { allowedSkus: ["Isolated"] } }],
    unknown: [svc({ sku: { name: UNKNOWN } })],
  },
  "azure-apim-vnet-injected": {
    pass: [svc({}), svc({ virtualNetworkType: "External" })],
    fail: [
      { ...svc({ virtualNetworkType: "None" }), expect: ["[Mode]"] },
      { ...svc({ virtualNetworkType: undefined }), expect: ["[Mode]"] },
      { ...svc({ virtualNetworkConfiguration: undefined }), expect: ["[Subnet]"] },
    ],
    unknown: [svc({ virtualNetworkType: UNKNOWN }), svc({ virtualNetworkConfiguration: { subnetResourceId: UNKNOWN } })],
  },
  "azure-apim-public-network-disabled": {
    pass: [svc({})],
    fail: [svc({ publicNetworkAccess: "Enabled" }), svc({ publicNetworkAccess: undefined })],
    unknown: [svc({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-apim-managed-identity": {
    pass: [svc({}), svc({ identity: { type: "SystemAssigned, UserAssigned" } })],
    fail: [svc({ identity: undefined }), svc({ identity: { type: "None" } })],
    unknown: [svc({ identity: UNKNOWN_OBJECT })],
  },
  "azure-apim-portals-disabled": {
    pass: [svc({}), svc({ developerPortalStatus: "disabled" })],
    fail: [
      { ...svc({ developerPortalStatus: "Enabled" }), expect: ["[DeveloperPortal]"] },
      { ...svc({ legacyPortalStatus: undefined }), expect: ["[LegacyPortal]"] },
    ],
    unknown: [svc({ developerPortalStatus: UNKNOWN })],
  },
  "azure-apim-min-control-plane-api-version": {
    pass: [svc({}), svc({ apiVersionConstraint: { minApiVersion: "2024-05-01" } }), { ...svc({ apiVersionConstraint: { minApiVersion: "2019-12-01" } }), config: { minimumApiVersion: "2019-12-01" } }],
    fail: [svc({ apiVersionConstraint: undefined }), svc({ apiVersionConstraint: { minApiVersion: "2019-12-01" } }), { ...svc({}), config: { minimumApiVersion: "2024-05-01" } }],
    unknown: [svc({ apiVersionConstraint: { minApiVersion: UNKNOWN } })],
  },
  "azure-apim-api-https-only": {
    pass: [api({}), api({ protocols: ["https", "wss"] })],
    fail: [api({ protocols: ["http", "https"] }), api({ protocols: undefined }), api({ protocols: ["ws"] }), api({ protocols: [] })],
    unknown: [api({ protocols: UNKNOWN_ARRAY }), api({ protocols: ["https", UNKNOWN] })],
  },
  "azure-apim-api-service-url-https": {
    pass: [api({}), api({ serviceUrl: undefined }), api({ serviceUrl: "HTTPS://x" })],
    fail: [api({ serviceUrl: "http://weather.internal" })],
    unknown: [api({ serviceUrl: UNKNOWN })],
  },
  "azure-apim-backend-https": {
    pass: [backend({})],
    fail: [backend({ url: "http://weather.internal" }), backend({ url: undefined })],
    unknown: [backend({ url: UNKNOWN })],
  },
  "azure-apim-backend-tls-validation": {
    // Both validations default to true (API 2024-05-01).
    pass: [backend({}), backend({ tls: undefined })],
    fail: [
      { ...backend({ tls: { validateCertificateChain: false } }), expect: ["[Chain]"] },
      { ...backend({ tls: { validateCertificateName: "false" } }), expect: ["[Name]"] },
      { ...backend({ tls: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:tls.validateCertificateChain]"] },
    ],
    unknown: [backend({ tls: { validateCertificateName: UNKNOWN_BOOL } })],
  },
  "azure-apim-no-all-apis-subscription": {
    pass: [{ type: SUB, props: { scope: "/products/mcp", displayName: "s" } }, { type: SUB, props: { scope: "/apis/weather", allowTracing: false } }],
    fail: [
      { type: SUB, props: { scope: "/apis" }, expect: ["[AllApis]"] },
      { type: SUB, props: { scope: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/a/apis/" }, expect: ["[AllApis]"] },
      { type: SUB, props: { scope: "/products/p", allowTracing: true }, expect: ["[Tracing]"] },
    ],
    unknown: [{ type: SUB, props: { scope: UNKNOWN } }],
  },
  "azure-apim-named-value-keyvault": {
    pass: [
      { type: NV, props: { displayName: "client-secret", secret: true, keyVault: { secretIdentifier: "https://kv.vault.azure.net/secrets/x" } } },
      { type: NV, props: { displayName: "tenant-id", secret: false, value: "72f988bf-86f1-41af-91ab-2d7cd011db47" } },
      { type: NV, props: { displayName: "token-audience", secret: false, value: "api://weather" } },
    ],
    fail: [
      { type: NV, props: { displayName: "backend-key", secret: true, value: "abc" }, expect: ["[NotInKeyVault]"] },
      { type: NV, props: { displayName: "backend-api-key", value: "abc" }, expect: ["[PlainSecret]"] },
      { type: NV, props: { displayName: "storage", value: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abcdefghijklmnopqrstuvwxyz0123456789==" }, expect: ["AccountKey"] },
    ],
    unknown: [{ type: NV, props: { displayName: "x", secret: UNKNOWN_BOOL } }, { type: NV, props: { displayName: "x", secret: true, keyVault: UNKNOWN_OBJECT } }],
  },
  "azure-apim-diagnostics-no-bodies": {
    pass: [d({}), d({}, "azure-native:apimanagement:ApiDiagnostic")],
    fail: [
      { ...d({ frontend: { request: { body: { bytes: 8192 } } } }), expect: ["[frontend.request]"] },
      { ...d({ backend: { response: { body: { bytes: 1 } } } }, "azure-native:apimanagement:ApiDiagnostic"), expect: ["[backend.response]"] },
    ],
    unknown: [d({ frontend: { request: { body: { bytes: UNKNOWN_NUMBER } } } })],
  },
  "azure-apim-diagnostics-no-auth-headers": {
    pass: [d({})],
    fail: [
      { ...d({ frontend: { request: { headers: ["authorization"] } } }), expect: ["[frontend.request:authorization]"] },
      { ...d({ backend: { request: { headers: ["Ocp-Apim-Subscription-Key", "Mcp-Session-Id"] } } }), expect: ["Ocp-Apim-Subscription-Key", "Mcp-Session-Id"] },
    ],
    unknown: [d({ frontend: { request: { headers: UNKNOWN_ARRAY } } })],
  },
};
