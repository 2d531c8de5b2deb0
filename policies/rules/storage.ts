import { Rule } from "./types";
import { describeEffective, effective, requireValue, resourceRule, tlsAtLeast } from "./util";

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

export const storageRules: Rule[] = [storageHttpsOnly, storageMinTls12, storageNoBlobPublicAccess, storageNoSharedKey];
