import { Rule } from "./types";
import { requireValue, resourceRule } from "./util";

const REGISTRY = ["azure-native:containerregistry:Registry"];

export const acrAdminUserDisabled = resourceRule({
  name: "azure-acr-admin-user-disabled",
  description: "Container registries must disable the admin user; pulls use managed identities with AcrPull.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["supply-chain", "excessive-permissions"],
  remediation: "Set adminUserEnabled to false and grant AcrPull to the pulling identity.",
  checkov: ["CKV_AZURE_137"],
  types: REGISTRY,
  validate: requireValue("adminUserEnabled", false),
});

export const acrAnonymousPullDisabled = resourceRule({
  name: "azure-acr-anonymous-pull-disabled",
  description: "Container registries must not allow anonymous (unauthenticated) pulls.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["supply-chain"],
  remediation: "Set anonymousPullEnabled to false.",
  checkov: ["CKV_AZURE_138"],
  types: REGISTRY,
  validate: requireValue("anonymousPullEnabled", false),
});

export const acrPublicNetworkDisabled = resourceRule({
  name: "azure-acr-public-network-disabled",
  description: "Container registries should disable public network access (Premium SKU with a private endpoint).",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["supply-chain", "transport-security"],
  remediation: 'Use the Premium SKU, set publicNetworkAccess to "Disabled" and add a private endpoint (group "registry").',
  checkov: ["CKV_AZURE_139"],
  types: REGISTRY,
  validate: requireValue("publicNetworkAccess", "Disabled"),
});

export const acrRules: Rule[] = [acrAdminUserDisabled, acrAnonymousPullDisabled, acrPublicNetworkDisabled];
