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
  azurePolicy: [
    { name: "Container registries should have local admin account disabled.", id: "dc921057-6b28-4fbe-9b83-f7bec05db6c2" },
  ],
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
  azurePolicy: [
    { name: "Container registries should have anonymous authentication disabled.", id: "9f2dea28-e834-476c-99c5-3507b4728395" },
  ],
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
  azurePolicy: [
    { name: "Public network access should be disabled for Container registries", id: "0fdf0491-d080-4575-b627-ad0e843cba0f" },
  ],
  types: REGISTRY,
  validate: requireValue("publicNetworkAccess", "Disabled"),
});

export const acrQuarantineEnabled = resourceRule({
  name: "azure-acr-quarantine-enabled",
  description:
    "Container registries (Premium) should quarantine pushed images until a scanner marks them verified, so an unscanned MCP server image cannot be pulled.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["supply-chain"],
  remediation:
    'Set policies.quarantinePolicy.status to "enabled" (Premium SKU) and have the scanning pipeline release verified images (https://learn.microsoft.com/azure/container-registry/container-registry-quarantine). Vulnerability scanning itself is Microsoft Defender for Containers, a subscription plan outside the registry resource.',
  psrule: ["Azure.ACR.Quarantine"],
  azurePolicy: [
    { name: "Azure registry container images should have vulnerabilities resolved (powered by Microsoft Defender Vulnerability Management)", id: "090c7b07-b4ed-4561-ad20-e9075f3ccaff" },
  ],
  types: REGISTRY,
  validate: requireValue("policies.quarantinePolicy.status", "enabled"),
});

export const acrRules: Rule[] = [acrAdminUserDisabled, acrAnonymousPullDisabled, acrPublicNetworkDisabled, acrQuarantineEnabled];
