import { patch, res, RuleCases, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL } from "../harness";

/** Cases for the rules added for issue 12's coverage: products, registry quarantine, storage network, NSG, App Service. */

const PRODUCT = "azure-native:apimanagement:Product";
const product = (p: Record<string, unknown>) => ({ type: PRODUCT, props: patch({ productId: "mcp-partners", displayName: "MCP partners", subscriptionRequired: true, approvalRequired: true }, p) });

const ACR = "azure-native:containerregistry:Registry";
const registry = (p: Record<string, unknown>) => ({ type: ACR, props: patch({ sku: { name: "Premium" }, policies: { quarantinePolicy: { status: "enabled" } } }, p) });

const ST = "azure-native:storage:StorageAccount";
const storage = (p: Record<string, unknown>) => ({
  type: ST,
  props: patch({ kind: "StorageV2", sku: { name: "Standard_LRS" }, publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ iPAddressOrRange: "203.0.113.0/24" }] } }, p),
});
const CONTAINER = "azure-native:storage:BlobContainer";

const NSG = "azure-native:network:NetworkSecurityGroup";
const RULE = "azure-native:network:SecurityRule";
const rule = { name: "allow-https", direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "Internet", destinationPortRange: "443", priority: 100 };
const nsg = (...rules: Record<string, unknown>[]) => ({ type: NSG, props: { securityRules: rules.map((r) => patch(rule, r)) } });

const WEB = "azure-native:web:WebApp";
const site = { kind: "app,linux", httpsOnly: true, clientCertEnabled: true, clientCertMode: "Required", siteConfig: { http20Enabled: true, cors: { allowedOrigins: ["https://portal.contoso.com"] } } };
const w = (p: Record<string, unknown>) => ({ type: WEB, props: patch(site, p) });
const AUTH_V2 = "azure-native:web:WebAppAuthSettingsV2";
const webApp = res(WEB, "docs-search", { name: "app-docs-search" });
const authV2 = (p: Record<string, unknown>, deps = true) =>
  res(AUTH_V2, "docs-search-auth", patch({ name: "app-docs-search", platform: { enabled: true }, globalValidation: { unauthenticatedClientAction: "Return401" }, httpSettings: { requireHttps: true } }, p), deps ? { name: [webApp] } : {});

export const coverageCases: Record<string, RuleCases> = {
  "azure-apim-product-subscription-required": {
    pass: [product({}), product({ subscriptionRequired: undefined })],
    fail: [product({ subscriptionRequired: false }), product({ subscriptionRequired: "false" }), { ...product({ subscriptionRequired: undefined }), config: { strict: true }, expect: ["(advisory) [Implicit:subscriptionRequired]"] }],
    unknown: [product({ subscriptionRequired: UNKNOWN_BOOL })],
  },
  "azure-apim-product-approval-required": {
    pass: [product({}), product({ subscriptionRequired: false, approvalRequired: undefined })],
    fail: [{ ...product({ approvalRequired: undefined }), expect: ["approves subscriptions automatically"] }, product({ approvalRequired: false, subscriptionRequired: undefined })],
    unknown: [product({ approvalRequired: UNKNOWN_BOOL })],
  },
  "azure-apim-no-sample-products": {
    pass: [product({}), product({ productId: "starter-kit-mcp", displayName: "Starter kit" })],
    fail: [{ ...product({ productId: "starter", displayName: "Starter" }), expect: ["[starter]"] }, product({ productId: "unlimited", displayName: "Unlimited" })],
    unknown: [product({ productId: UNKNOWN })],
  },
  "azure-acr-quarantine-enabled": {
    pass: [registry({}), registry({ policies: { quarantinePolicy: { status: "Enabled" } } })],
    fail: [registry({ policies: undefined }), registry({ policies: { quarantinePolicy: { status: "disabled" } } })],
    unknown: [registry({ policies: { quarantinePolicy: { status: UNKNOWN } } })],
  },
  "azure-storage-firewall-default-deny": {
    pass: [storage({}), storage({ publicNetworkAccess: "Disabled", networkRuleSet: undefined })],
    fail: [
      { ...storage({ networkRuleSet: undefined }), expect: ["[DefaultAction]", '"Allow"'] },
      { ...storage({ networkRuleSet: { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "0.0.0.0/0" }] } }), expect: ["[AnySource]"] },
      storage({ publicNetworkAccess: undefined, networkRuleSet: { defaultAction: "Allow" } }),
    ],
    unknown: [storage({ networkRuleSet: { defaultAction: UNKNOWN } })],
  },
  "azure-storage-trusted-services-bypass": {
    pass: [storage({}), storage({ networkRuleSet: { defaultAction: "Deny", bypass: undefined } }), storage({ networkRuleSet: { defaultAction: "Allow", bypass: "None" } }), storage({ networkRuleSet: { defaultAction: "Deny", bypass: "Logging, AzureServices" } })],
    fail: [storage({ networkRuleSet: { defaultAction: "Deny", bypass: "None" } }), { ...storage({ networkRuleSet: { defaultAction: "Deny", bypass: undefined } }), config: { strict: true }, expect: ["(advisory) [Implicit:networkRuleSet.bypass]"] }],
    unknown: [storage({ networkRuleSet: { defaultAction: "Deny", bypass: UNKNOWN } })],
  },
  "azure-storage-public-network-disabled": {
    // A firewall that denies by default with explicit rules is the equivalent Azure accepts.
    pass: [storage({}), storage({ publicNetworkAccess: "Disabled", networkRuleSet: undefined })],
    fail: [storage({ networkRuleSet: undefined }), storage({ publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny", ipRules: [{ iPAddressOrRange: "*" }] } })],
    unknown: [storage({ publicNetworkAccess: UNKNOWN })],
  },
  "azure-storage-no-public-containers": {
    pass: [{ type: CONTAINER, props: { publicAccess: "None" } }, { type: CONTAINER, props: {} }],
    fail: [{ type: CONTAINER, props: { publicAccess: "Blob" } }, { type: CONTAINER, props: { publicAccess: "Container" } }],
    unknown: [{ type: CONTAINER, props: { publicAccess: UNKNOWN } }],
  },
  "azure-network-nsg-no-internet-cleartext-ports": {
    pass: [
      nsg({}),
      nsg({ sourceAddressPrefix: "VirtualNetwork", destinationPortRange: "80" }),
      nsg({ access: "Deny", destinationPortRange: "*" }),
      { ...nsg({ name: "redirect", destinationPortRange: 80 }), config: { allowedPorts: [80] } },
    ],
    fail: [
      { ...nsg({ name: "http", destinationPortRange: "80" }), expect: ["[http:80]"] },
      { ...nsg({ name: "http-number", destinationPortRange: 80 }), expect: ["[http-number:80]"] },
      { type: RULE, props: patch(rule, { name: "sql", sourceAddressPrefix: "*", destinationPortRange: "1400-1500" }), expect: ["[sql:1433]"] },
      { ...nsg({ name: "all", destinationPortRange: "*" }), config: { allowedPorts: [80] }, expect: ["[all:445]"] },
    ],
    unknown: [nsg({ destinationPortRange: UNKNOWN })],
  },
  "azure-appservice-auth-enabled": {
    pass: [{ stack: [webApp, authV2({})] }, { stack: [webApp, authV2({}, false)] }],
    fail: [
      { stack: [webApp] },
      { stack: [webApp, authV2({ globalValidation: { unauthenticatedClientAction: "AllowAnonymous" } })] },
      { stack: [webApp, authV2({ platform: { enabled: false } })] },
    ],
    unknown: [{ stack: [webApp, authV2({ platform: { enabled: UNKNOWN_BOOL } })] }],
  },
  "azure-appservice-auth-requires-https": {
    pass: [{ type: AUTH_V2, props: { httpSettings: { requireHttps: true } } }, { type: AUTH_V2, props: { httpSettings: { requireHttps: "true" } } }],
    // The API documents no default for requireHttps, so unset is reported.
    fail: [
      { type: AUTH_V2, props: { httpSettings: { requireHttps: false } } },
      { type: AUTH_V2, props: { httpSettings: { requireHttps: "False" } } },
      { type: AUTH_V2, props: { platform: { enabled: true } }, expect: ["no documented default"] },
    ],
    unknown: [{ type: AUTH_V2, props: { httpSettings: { requireHttps: UNKNOWN_BOOL } } }],
  },
  "azure-appservice-cors-no-wildcard": {
    pass: [w({}), w({ siteConfig: { cors: undefined } })],
    fail: [w({ siteConfig: { cors: { allowedOrigins: ["*"] } } }), w({ siteConfig: { cors: { allowedOrigins: ["https://a.contoso.com", " * "] } } })],
    unknown: [w({ siteConfig: { cors: { allowedOrigins: UNKNOWN_ARRAY } } })],
  },
  "azure-appservice-client-certificates": {
    pass: [w({}), w({ clientCertMode: undefined })],
    fail: [{ ...w({ clientCertEnabled: undefined }), expect: ["[Enabled]", "Azure applies false"] }, { ...w({ clientCertMode: "Optional" }), expect: ["[Mode]"] }],
    unknown: [w({ clientCertEnabled: UNKNOWN_BOOL })],
  },
  "azure-appservice-http2": {
    pass: [w({}), w({ siteConfig: { http20Enabled: undefined } })],
    fail: [w({ siteConfig: { http20Enabled: false } }), { ...w({ siteConfig: { http20Enabled: undefined } }), config: { strict: true }, expect: ["(advisory) [Implicit:siteConfig.http20Enabled]"] }],
    unknown: [w({ siteConfig: { http20Enabled: UNKNOWN_BOOL } })],
  },
};
