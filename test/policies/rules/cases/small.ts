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
    pass: [c({}), c({ publicNetworkAccess: "disabled" })],
    fail: [c({ publicNetworkAccess: "Enabled" }), c({ publicNetworkAccess: undefined })],
    unknown: [c({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-cognitive-network-acls-deny": {
    pass: [c({})],
    fail: [c({ networkAcls: { defaultAction: "Allow" } }), c({ networkAcls: undefined })],
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
    pass: [r({})],
    fail: [r({ adminUserEnabled: true }), r({ adminUserEnabled: undefined })],
    unknown: [r({ adminUserEnabled: UNKNOWN_BOOL })],
  },
  "azure-acr-anonymous-pull-disabled": {
    pass: [r({})],
    fail: [r({ anonymousPullEnabled: true }), r({ anonymousPullEnabled: undefined })],
    unknown: [r({ anonymousPullEnabled: UNKNOWN_BOOL })],
  },
  "azure-acr-public-network-disabled": {
    pass: [r({}), r({ publicNetworkAccess: "disabled" })],
    fail: [r({ publicNetworkAccess: "Enabled" }), r({ publicNetworkAccess: undefined })],
    unknown: [r({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-storage-https-only": {
    pass: [st({})],
    fail: [st({ enableHttpsTrafficOnly: false }), st({ enableHttpsTrafficOnly: undefined })],
    unknown: [st({ enableHttpsTrafficOnly: UNKNOWN_BOOL })],
  },
  "azure-storage-min-tls12": {
    pass: [st({}), st({ minimumTlsVersion: "tls1_2" })],
    fail: [st({ minimumTlsVersion: "TLS1_0" }), st({ minimumTlsVersion: undefined })],
    unknown: [st({ minimumTlsVersion: UNKNOWN })],
  },
  "azure-storage-no-blob-public-access": {
    pass: [st({})],
    fail: [st({ allowBlobPublicAccess: true }), st({ allowBlobPublicAccess: undefined })],
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
