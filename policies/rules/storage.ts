import { anyIpRules, firewallDenies, FIREWALLS, publicAccessDisabled } from "./firewall";
import { finding, Rule } from "./types";
import { describeEffective, effective, eqi, noteImplicit, requireValue, resourceRule, str, tlsAtLeast } from "./util";

const ACCOUNT = ["azure-native:storage:StorageAccount"];

export const storageHttpsOnly = resourceRule({
  name: "azure-storage-https-only",
  description: "Storage accounts must accept secure transfer (HTTPS) only.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation: "Set enableHttpsTrafficOnly to true.",
  checkov: ["CKV_AZURE_3"],
  azurePolicy: [
    { name: "Secure transfer to storage accounts should be enabled", id: "404c3081-a854-4457-ae30-26a93ef643f9" },
  ],
  types: ACCOUNT,
  validate: requireValue("enableHttpsTrafficOnly", true),
});

export const storageMinTls12 = resourceRule({
  name: "azure-storage-min-tls12",
  description: "Storage accounts must require TLS 1.2 or later.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation: 'Set minimumTlsVersion to "TLS1_2".',
  checkov: ["CKV_AZURE_44"],
  azurePolicy: [
    { name: "Storage accounts should have the specified minimum TLS version", id: "fe83a0eb-a853-422d-aac2-1bffd182c5d0" },
  ],
  types: ACCOUNT,
  validate: (props, args, report) => {
    const e = effective(props, args.type, "minimumTlsVersion");
    if (!tlsAtLeast(e.value, 1, 2)) report(`${describeEffective("minimumTlsVersion", e)}; "TLS1_2" or later is required.`);
  },
});

export const storageNoBlobPublicAccess = resourceRule({
  name: "azure-storage-no-blob-public-access",
  description: "Storage accounts must not allow anonymous public access to blobs.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["excessive-permissions"],
  remediation: "Set allowBlobPublicAccess to false.",
  checkov: ["CKV_AZURE_190"],
  azurePolicy: [
    { name: "Storage account public access should be disallowed", id: "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751" },
  ],
  types: ACCOUNT,
  validate: requireValue("allowBlobPublicAccess", false),
});

export const storageNoSharedKey = resourceRule({
  name: "azure-storage-no-shared-key",
  description: "Storage accounts must refuse shared-key (account key and SAS) authorization and accept Entra ID only.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "excessive-permissions"],
  remediation: "Set allowSharedKeyAccess to false and grant data-plane roles to managed identities.",
  checkov: ["CKV2_AZURE_40"],
  azurePolicy: [
    { name: "Storage accounts should prevent shared key access", id: "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54" },
  ],
  types: ACCOUNT,
  validate: requireValue("allowSharedKeyAccess", false),
});

const STORAGE_NETWORK_DOC = "https://learn.microsoft.com/azure/storage/common/storage-network-security";

export const storageFirewallDefaultDeny = resourceRule({
  name: "azure-storage-firewall-default-deny",
  description: "Storage account firewalls must deny by default and admit no IP range that covers the internet (unless public network access is disabled).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "excessive-permissions"],
  remediation: `Set networkRuleSet.defaultAction to "Deny" with explicit ipRules and virtualNetworkRules, or publicNetworkAccess "Disabled" (${STORAGE_NETWORK_DOC}).`,
  checkov: ["CKV_AZURE_35"],
  psrule: ["Azure.Storage.Firewall"],
  azurePolicy: [
    { name: "Storage accounts should restrict network access", id: "34c877ad-507e-4c82-993e-3452a6e0ad3c" },
  ],
  types: ACCOUNT,
  validate: (props, args, report) => {
    if (publicAccessDisabled(props, args.type, FIREWALLS.storage)) return;
    const open = anyIpRules(props, FIREWALLS.storage);
    if (open.length > 0) report(finding("AnySource", `An IP rule admits every address (${open.join(", ")}).`));
    const e = effective(props, args.type, "networkRuleSet.defaultAction");
    if (!eqi(e.value, "Deny")) report(finding("DefaultAction", `${describeEffective("networkRuleSet.defaultAction", e)}; it must be "Deny".`));
  },
});

export const storageTrustedServicesBypass = resourceRule({
  name: "azure-storage-trusted-services-bypass",
  description: "A storage firewall that denies by default should let trusted Azure services (diagnostics, backup) through with the AzureServices bypass.",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["monitoring"],
  remediation: `Keep "AzureServices" in networkRuleSet.bypass (the default) so resource logs and backups reach the account (${STORAGE_NETWORK_DOC}#grant-access-to-trusted-azure-services).`,
  checkov: ["CKV_AZURE_36"],
  azurePolicy: [
    { name: "Storage accounts should allow access from trusted Microsoft services", id: "c9d007d0-c057-4772-b18c-01e546713bcd" },
  ],
  types: ACCOUNT,
  validate: (props, args, report) => {
    if (!eqi(effective(props, args.type, "networkRuleSet.defaultAction").value, "Deny")) return;
    const e = effective(props, args.type, "networkRuleSet.bypass");
    const bypass = (str(e.value) ?? "").split(",").map((b) => b.trim().toLowerCase());
    if (!bypass.includes("azureservices")) report(`${describeEffective("networkRuleSet.bypass", e)}; include "AzureServices".`);
    else noteImplicit(args, report, "networkRuleSet.bypass", e);
  },
});

export const storagePublicNetworkDisabled = resourceRule({
  name: "azure-storage-public-network-disabled",
  description: "Storage accounts should disable public network access, or deny it by default in their firewall (the equivalent Azure accepts).",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["transport-security"],
  remediation: `Set publicNetworkAccess to "Disabled" and add a private endpoint, or deny by default with explicit rules (${STORAGE_NETWORK_DOC}).`,
  checkov: ["CKV_AZURE_59"],
  azurePolicy: [
    { name: "Storage accounts should disable public network access", id: "b2982f36-99f2-4db5-8eff-283140c09693" },
  ],
  types: ACCOUNT,
  validate: (props, args, report) => {
    if (publicAccessDisabled(props, args.type, FIREWALLS.storage) || firewallDenies(props, args.type, FIREWALLS.storage)) return;
    report(`${describeEffective("publicNetworkAccess", effective(props, args.type, "publicNetworkAccess"))} and the firewall does not deny by default.`);
  },
});

export const storageNoPublicContainers = resourceRule({
  name: "azure-storage-no-public-containers",
  description: "Blob containers must not allow anonymous read access (publicAccess Blob or Container).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["excessive-permissions"],
  remediation: 'Set publicAccess to "None" (the default) and grant readers a data-plane role (https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-configure).',
  checkov: ["CKV_AZURE_34"],
  psrule: ["Azure.Storage.ContainerPublicAccess"],
  types: ["azure-native:storage:BlobContainer"],
  validate: requireValue("publicAccess", "None"),
});

export const storageRules: Rule[] = [
  storageHttpsOnly,
  storageMinTls12,
  storageNoBlobPublicAccess,
  storageNoSharedKey,
  storageFirewallDefaultDeny,
  storageTrustedServicesBypass,
  storagePublicNetworkDisabled,
  storageNoPublicContainers,
];
