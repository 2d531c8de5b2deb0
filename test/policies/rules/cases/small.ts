import { patch, RuleCases, UNKNOWN, UNKNOWN_BOOL } from "../harness";

const COG = "azure-native:cognitiveservices:Account";
const account = {
  kind: "ContentSafety",
  sku: { name: "S0" },
  identity: { type: "SystemAssigned" },
  properties: {
    disableLocalAuth: true,
    publicNetworkAccess: "Disabled",
    customSubDomainName: "cs-mcp",
    networkAcls: { defaultAction: "Deny" },
    restrictOutboundNetworkAccess: true,
    allowedFqdnList: ["example.vault.azure.net"],
  },
};
const c = (p: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  type: COG,
  props: patch(patch(account, { properties: p }), top),
});

const ACR = "azure-native:containerregistry:Registry";
const registry = { sku: { name: "Premium" }, adminUserEnabled: false, anonymousPullEnabled: false, publicNetworkAccess: "Disabled" };
const r = (p: Record<string, unknown>) => ({ type: ACR, props: patch(registry, p) });

const ST = "azure-native:storage:StorageAccount";
const storage = {
  kind: "StorageV2",
  sku: { name: "Standard_LRS" },
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: "TLS1_2",
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: false,
};
const st = (p: Record<string, unknown>) => ({ type: ST, props: patch(storage, p) });

const WS = "azure-native:operationalinsights:Workspace";
const AI = "azure-native:applicationinsights:Component";

export const smallServiceCases: Record<string, RuleCases> = {
  "azure-cognitive-local-auth-disabled": {
    pass: [c({})],
    fail: [c({ disableLocalAuth: false }), c({ disableLocalAuth: undefined })],
    unknown: [c({ disableLocalAuth: UNKNOWN_BOOL })],
  },
  "azure-cognitive-public-network-disabled": {
    pass: [c({}), c({ publicNetworkAccess: "disabled" }), c({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny", ipRules: [{ value: "198.51.100.7" }] } })],
    fail: [c({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }), c({ publicNetworkAccess: undefined, networkAcls: undefined })],
    unknown: [c({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-cognitive-network-acls-deny": {
    pass: [c({}), c({ networkAcls: undefined })],
    fail: [
      c({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }),
      c({ publicNetworkAccess: undefined, networkAcls: undefined }),
      c({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny", ipRules: [{ value: "0.0.0.0/0" }] } }),
    ],
    unknown: [c({ networkAcls: { defaultAction: UNKNOWN } })],
  },
  "azure-cognitive-managed-identity": {
    pass: [c({}), c({}, { identity: { type: "UserAssigned", userAssignedIdentities: ["/id"] } })],
    fail: [c({}, { identity: undefined }), c({}, { identity: { type: "None" } })],
    unknown: [c({}, { identity: { type: UNKNOWN } })],
  },
  "azure-cognitive-custom-subdomain": {
    pass: [c({})],
    fail: [c({ customSubDomainName: undefined }), c({ customSubDomainName: "" })],
    unknown: [c({ customSubDomainName: UNKNOWN })],
  },
  "azure-cognitive-restrict-outbound": {
    pass: [c({})],
    fail: [c({ restrictOutboundNetworkAccess: undefined }), c({ allowedFqdnList: ["*.example.com"] })],
    unknown: [c({ restrictOutboundNetworkAccess: UNKNOWN_BOOL })],
  },
  "azure-acr-admin-user-disabled": {
    // Off by default (API 2023-01-01-preview).
    pass: [r({}), r({ adminUserEnabled: undefined }), r({ adminUserEnabled: "false" })],
    fail: [r({ adminUserEnabled: true }), r({ adminUserEnabled: "True" }), { ...r({ adminUserEnabled: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:adminUserEnabled]"] }],
    unknown: [r({ adminUserEnabled: UNKNOWN_BOOL })],
  },
  "azure-acr-anonymous-pull-disabled": {
    pass: [r({}), r({ anonymousPullEnabled: undefined })],
    fail: [r({ anonymousPullEnabled: true }), { ...r({ anonymousPullEnabled: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:anonymousPullEnabled]"] }],
    unknown: [r({ anonymousPullEnabled: UNKNOWN_BOOL })],
  },
  "azure-acr-public-network-disabled": {
    pass: [r({}), r({ publicNetworkAccess: "disabled" })],
    fail: [r({ publicNetworkAccess: "Enabled" }), r({ publicNetworkAccess: undefined })],
    unknown: [r({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-storage-https-only": {
    // HTTPS only has been the default since API 2019-04-01.
    pass: [st({}), st({ enableHttpsTrafficOnly: undefined })],
    fail: [st({ enableHttpsTrafficOnly: false }), { ...st({ enableHttpsTrafficOnly: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:enableHttpsTrafficOnly]"] }],
    unknown: [st({ enableHttpsTrafficOnly: UNKNOWN_BOOL })],
  },
  "azure-storage-min-tls12": {
    pass: [st({}), st({ minimumTlsVersion: "tls1_2" }), st({ minimumTlsVersion: "TLS1_3" })],
    // Unset, Azure applies TLS 1.0 (API 2024-01-01).
    fail: [st({ minimumTlsVersion: "TLS1_0" }), { ...st({ minimumTlsVersion: undefined }), expect: ['"TLS1_0"'] }, st({ minimumTlsVersion: "TLS1_1" })],
    unknown: [st({ minimumTlsVersion: UNKNOWN })],
  },
  "azure-storage-no-blob-public-access": {
    pass: [st({}), st({ allowBlobPublicAccess: undefined })],
    fail: [st({ allowBlobPublicAccess: true }), st({ allowBlobPublicAccess: "true" })],
    unknown: [st({ allowBlobPublicAccess: UNKNOWN_BOOL })],
  },
  "azure-storage-no-shared-key": {
    pass: [st({})],
    fail: [st({ allowSharedKeyAccess: true }), st({ allowSharedKeyAccess: undefined })],
    unknown: [st({ allowSharedKeyAccess: UNKNOWN_BOOL })],
  },
  "azure-monitor-workspace-local-auth-disabled": {
    pass: [{ type: WS, props: { features: { disableLocalAuth: true } } }],
    fail: [{ type: WS, props: { features: { disableLocalAuth: false } } }, { type: WS, props: {} }],
    unknown: [{ type: WS, props: { features: { disableLocalAuth: UNKNOWN_BOOL } } }],
  },
  "azure-monitor-appinsights-local-auth-disabled": {
    pass: [
      { type: AI, props: { kind: "web", disableLocalAuth: true } },
      { type: "azure-native:insights:Component", props: { disableLocalAuth: true } },
    ],
    fail: [{ type: AI, props: { kind: "web" } }, { type: "azure-native:insights:Component", props: { disableLocalAuth: false } }],
    unknown: [{ type: AI, props: { disableLocalAuth: UNKNOWN_BOOL } }],
  },
};
