import { Rule } from "./types";
import { firewallDenies, FIREWALLS, anyIpRules, publicAccessDisabled } from "./firewall";
import { get, hasManagedIdentity, isTrue, requireValue, resourceRule, shown, str, strings } from "./util";

/** Cognitive Services accounts: Content Safety (Prompt Shields), Azure OpenAI, AI Services. */
const ACCOUNT = ["azure-native:cognitiveservices:Account"];

export const cognitiveLocalAuthDisabled = resourceRule({
  name: "azure-cognitive-local-auth-disabled",
  description: "Cognitive Services accounts (Content Safety, OpenAI) must disable API keys and accept Entra ID tokens only.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "excessive-permissions"],
  remediation: "Set properties.disableLocalAuth to true and grant the caller's managed identity Cognitive Services User.",
  checkov: ["CKV_AZURE_236"],
  azurePolicy: [
    { name: "Azure AI Services resources should have key access disabled (disable local authentication)", id: "71ef260a-8f18-47b7-abcb-62d0673d94dc" },
  ],
  types: ACCOUNT,
  validate: requireValue("properties.disableLocalAuth", true),
});

export const cognitivePublicNetworkDisabled = resourceRule({
  name: "azure-cognitive-public-network-disabled",
  description: "Cognitive Services accounts must disable public network access and be reached through a private endpoint.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation:
    'Set properties.publicNetworkAccess to "Disabled" and add a private endpoint (group "account"); a firewall denying by default with explicit rules is the equivalent Azure Policy accepts (https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks).',
  checkov: ["CKV_AZURE_134"],
  azurePolicy: [
    { name: "Azure AI Services resources should restrict network access", id: "037eea7a-bd0a-46c5-9a66-03aea78705d3" },
  ],
  types: ACCOUNT,
  validate: (props, args, report) => {
    if (publicAccessDisabled(props, args.type, FIREWALLS.cognitive) || firewallDenies(props, args.type, FIREWALLS.cognitive)) return;
    report(`properties.publicNetworkAccess is ${shown(get(props, "properties.publicNetworkAccess"))} and the firewall does not deny by default; disable public network access.`);
  },
});

export const cognitiveNetworkAclsDeny = resourceRule({
  name: "azure-cognitive-network-acls-deny",
  description: "Cognitive Services account firewalls must deny by default.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security"],
  remediation:
    'Set properties.networkAcls.defaultAction to "Deny" (or publicNetworkAccess "Disabled", which Azure Policy accepts as equivalent: https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks).',
  azurePolicy: [
    { name: "Azure AI Services resources should restrict network access", id: "037eea7a-bd0a-46c5-9a66-03aea78705d3" },
  ],
  types: ACCOUNT,
  validate: (props, args, report) => {
    if (firewallDenies(props, args.type, FIREWALLS.cognitive) || publicAccessDisabled(props, args.type, FIREWALLS.cognitive)) return;
    const open = anyIpRules(props, FIREWALLS.cognitive);
    report(open.length > 0 ? `An IP rule admits every address (${open.join(", ")}).` : `properties.networkAcls.defaultAction is ${shown(get(props, "properties.networkAcls.defaultAction"))}; it must be "Deny".`);
  },
});

export const cognitiveManagedIdentity = resourceRule({
  name: "azure-cognitive-managed-identity",
  description: "Cognitive Services accounts must have a managed identity (for customer-managed keys and outbound calls without secrets).",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["excessive-permissions"],
  remediation: 'Set identity.type to "SystemAssigned" or "UserAssigned".',
  checkov: ["CKV_AZURE_238"],
  azurePolicy: [
    { name: "Cognitive Services accounts should use a managed identity", id: "fe3fd216-4f83-4fc1-8984-2bbec80a3418" },
  ],
  types: ACCOUNT,
  validate: (props, _args, report) => {
    if (!hasManagedIdentity(props)) report("The account has no managed identity (identity.type).");
  },
});

export const cognitiveCustomSubdomain = resourceRule({
  name: "azure-cognitive-custom-subdomain",
  description: "Cognitive Services accounts must have a custom subdomain, which Entra ID authentication and private endpoints require.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["token-passthrough"],
  remediation: "Set properties.customSubDomainName to a globally unique name.",
  types: ACCOUNT,
  validate: (props, _args, report) => {
    const subdomain = str(get(props, "properties.customSubDomainName"));
    if (subdomain === undefined || subdomain.trim() === "") {
      report("The account has no custom subdomain (properties.customSubDomainName).");
    }
  },
});

export const cognitiveRestrictOutbound = resourceRule({
  name: "azure-cognitive-restrict-outbound",
  description: "Cognitive Services accounts should restrict outbound network access to an explicit FQDN list (data exfiltration).",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["prompt-injection"],
  remediation: "Set properties.restrictOutboundNetworkAccess to true and list the FQDNs the service may call in properties.allowedFqdnList.",
  checkov: ["CKV_AZURE_247"],
  types: ACCOUNT,
  validate: (props, _args, report) => {
    if (!isTrue(get(props, "properties.restrictOutboundNetworkAccess"))) {
      report("Outbound network access is not restricted (properties.restrictOutboundNetworkAccess must be true).");
    } else if (strings(get(props, "properties.allowedFqdnList")).some((f) => f.includes("*"))) {
      report("properties.allowedFqdnList contains a wildcard entry.");
    }
  },
});

export const cognitiveRules: Rule[] = [
  cognitiveLocalAuthDisabled,
  cognitivePublicNetworkDisabled,
  cognitiveNetworkAclsDeny,
  cognitiveManagedIdentity,
  cognitiveCustomSubdomain,
  cognitiveRestrictOutbound,
];
