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
    // Soft delete defaults to on with 90 days (API 2024-11-01); ARM also takes the days as a numeric string.
    pass: [
      v({}),
      v({ softDeleteRetentionInDays: undefined, enableSoftDelete: undefined }),
      v({ softDeleteRetentionInDays: "90" }),
      { ...v({ softDeleteRetentionInDays: 30 }), config: { minimumRetentionDays: 30 } },
    ],
    fail: [
      { ...v({ enableSoftDelete: false }), expect: ["[SoftDelete]"] },
      { ...v({ softDeleteRetentionInDays: "30" }), expect: ["[Retention]"] },
      { ...v({ softDeleteRetentionInDays: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:properties.softDeleteRetentionInDays]"] },
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
    // A firewall that denies by default with explicit rules is the equivalent Azure Policy accepts.
    pass: [
      v({}),
      v({ publicNetworkAccess: "disabled" }),
      v({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny", ipRules: [{ value: "203.0.113.0/24" }] } }),
    ],
    fail: [
      v({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }),
      v({ publicNetworkAccess: undefined, networkAcls: undefined }),
      v({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny", ipRules: [{ value: "0.0.0.0/0" }] } }),
    ],
    unknown: [v({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-keyvault-firewall-default-deny": {
    // Public network access disabled makes the firewall moot (Azure Policy 55615ac9 accepts either).
    pass: [v({}), v({ networkAcls: undefined })],
    fail: [
      v({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }),
      v({ publicNetworkAccess: undefined, networkAcls: undefined }),
      { ...v({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny", ipRules: [{ value: "*" }] } }), expect: ["admits every address"] },
    ],
    unknown: [v({ networkAcls: { defaultAction: UNKNOWN } })],
  },
  "azure-keyvault-secret-expiry": {
    // ARM accepts the expiry as a numeric string too.
    pass: [s({}), s({ attributes: { exp: "1893456000" } })],
    fail: [s({ attributes: undefined }), s({ attributes: { exp: undefined, enabled: true } }), s({ attributes: { exp: "0" } })],
    unknown: [s({ attributes: { exp: UNKNOWN_NUMBER } })],
  },
  "azure-keyvault-secret-content-type": {
    pass: [s({})],
    fail: [s({ contentType: undefined }), s({ contentType: " " })],
    unknown: [s({ contentType: UNKNOWN })],
  },
};
