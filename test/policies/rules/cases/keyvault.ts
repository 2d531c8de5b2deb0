import { patch, RuleCases, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER } from "../harness";

const T = "azure-native:keyvault:Vault";
const S = "azure-native:keyvault:Secret";
export const vault = {
  properties: {
    tenantId: "t",
    sku: { family: "A", name: "standard" },
    enablePurgeProtection: true,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    enableRbacAuthorization: true,
    publicNetworkAccess: "Disabled",
    networkAcls: { defaultAction: "Deny", bypass: "None" },
  },
};
const v = (p: Record<string, unknown>) => ({ type: T, props: patch(vault, { properties: p }) });
const secret = { properties: { value: "x", contentType: "text/plain", attributes: { exp: 1893456000 } } };
const s = (p: Record<string, unknown>) => ({ type: S, props: patch(secret, { properties: p }) });

export const keyvaultCases: Record<string, RuleCases> = {
  "azure-keyvault-purge-protection": {
    pass: [v({})],
    fail: [v({ enablePurgeProtection: undefined }), v({ enablePurgeProtection: false })],
    unknown: [v({ enablePurgeProtection: UNKNOWN_BOOL })],
  },
  "azure-keyvault-soft-delete": {
    pass: [v({}), { ...v({ softDeleteRetentionInDays: 30 }), config: { minimumRetentionDays: 30 } }],
    fail: [
      { ...v({ enableSoftDelete: false }), expect: ["[SoftDelete]"] },
      { ...v({ softDeleteRetentionInDays: undefined }), expect: ["[Retention]"] },
      { ...v({ softDeleteRetentionInDays: 30 }), expect: ["[Retention]", "90 days"] },
      { ...v({ softDeleteRetentionInDays: 30 }), config: { minimumRetentionDays: 60 }, expect: ["60 days"] },
    ],
    unknown: [v({ softDeleteRetentionInDays: UNKNOWN_NUMBER })],
  },
  "azure-keyvault-rbac-authorization": {
    pass: [v({}), v({ accessPolicies: [] })],
    fail: [
      { ...v({ enableRbacAuthorization: false }), expect: ["[Rbac]"] },
      { ...v({ enableRbacAuthorization: undefined }), expect: ["[Rbac]"] },
      { ...v({ accessPolicies: [{ objectId: "o", tenantId: "t", permissions: {} }] }), expect: ["[AccessPolicies]"] },
    ],
    unknown: [v({ enableRbacAuthorization: UNKNOWN_BOOL }), v({ accessPolicies: UNKNOWN_ARRAY })],
  },
  "azure-keyvault-public-network-disabled": {
    pass: [v({}), v({ publicNetworkAccess: "disabled" })],
    fail: [v({ publicNetworkAccess: "Enabled" }), v({ publicNetworkAccess: undefined })],
    unknown: [v({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-keyvault-firewall-default-deny": {
    pass: [v({})],
    fail: [v({ networkAcls: { defaultAction: "Allow" } }), v({ networkAcls: undefined })],
    unknown: [v({ networkAcls: { defaultAction: UNKNOWN } })],
  },
  "azure-keyvault-secret-expiry": {
    pass: [s({})],
    fail: [s({ attributes: undefined }), s({ attributes: { exp: undefined, enabled: true } })],
    unknown: [s({ attributes: { exp: UNKNOWN_NUMBER } })],
  },
  "azure-keyvault-secret-content-type": {
    pass: [s({})],
    fail: [s({ contentType: undefined }), s({ contentType: " " })],
    unknown: [s({ contentType: UNKNOWN })],
  },
};
