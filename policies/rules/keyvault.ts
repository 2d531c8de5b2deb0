import { finding, Rule } from "./types";
import { anyIpRules, firewallDenies, FIREWALLS, publicAccessDisabled } from "./firewall";
import { describeEffective, effective, get, isTrue, list, noteImplicit, num, requireValue, resourceRule, shown, str } from "./util";

const VAULT = ["azure-native:keyvault:Vault"];
const SECRET = ["azure-native:keyvault:Secret"];

export const keyvaultPurgeProtection = resourceRule({
  name: "azure-keyvault-purge-protection",
  description: "Key Vaults must have purge protection enabled, so a deleted vault or secret cannot be destroyed before its retention ends.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["supply-chain", "monitoring"],
  remediation: "Set properties.enablePurgeProtection to true (it cannot be turned off again).",
  checkov: ["CKV_AZURE_110"],
  azurePolicy: [
    { name: "Key vaults should have deletion protection enabled", id: "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53" },
  ],
  types: VAULT,
  validate: requireValue("properties.enablePurgeProtection", true),
});

interface SoftDeleteConfig {
  minimumRetentionDays?: number;
}

export const keyvaultSoftDelete = resourceRule({
  name: "azure-keyvault-soft-delete",
  description: "Key Vaults must keep soft delete on with at least the configured retention (default 90 days).",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["monitoring"],
  remediation: "Set properties.enableSoftDelete to true and properties.softDeleteRetentionInDays to 90.",
  checkov: ["CKV_AZURE_111", "CKV_AZURE_42"],
  configSchema: {
    properties: { minimumRetentionDays: { type: "integer", minimum: 7, maximum: 90, default: 90 } },
  },
  azurePolicy: [
    { name: "Key vaults should have soft delete enabled", id: "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d" },
  ],
  types: VAULT,
  validate: (props, args, report) => {
    const minimum = args.getConfig<SoftDeleteConfig>().minimumRetentionDays ?? 90;
    const enabled = effective(props, args.type, "properties.enableSoftDelete");
    if (!isTrue(enabled.value)) report(finding("SoftDelete", `${describeEffective("properties.enableSoftDelete", enabled)}; it must be true.`));
    else noteImplicit(args, report, "properties.enableSoftDelete", enabled);
    const retention = effective(props, args.type, "properties.softDeleteRetentionInDays");
    const days = num(retention.value);
    if (days === undefined || days < minimum) {
      report(finding("Retention", `${describeEffective("properties.softDeleteRetentionInDays", retention)}; at least ${minimum} days are required.`));
    } else noteImplicit(args, report, "properties.softDeleteRetentionInDays", retention);
  },
});

export const keyvaultRbacAuthorization = resourceRule({
  name: "azure-keyvault-rbac-authorization",
  description: "Key Vaults must use the Azure RBAC permission model and carry no vault access policies.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["excessive-permissions"],
  remediation: "Set properties.enableRbacAuthorization to true, remove properties.accessPolicies and grant data-plane roles (e.g. Key Vault Secrets User) at the vault scope.",
  azurePolicy: [
    { name: "Azure Key Vault should use RBAC permission model", id: "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5" },
  ],
  types: VAULT,
  validate: (props, args, report) => {
    const rbac = effective(props, args.type, "properties.enableRbacAuthorization");
    if (!isTrue(rbac.value)) report(finding("Rbac", `${describeEffective("properties.enableRbacAuthorization", rbac)}; the vault must use the RBAC permission model (true).`));
    const policies = list(get(props, "properties.accessPolicies"));
    if (policies.length > 0) {
      report(finding("AccessPolicies", `The vault carries ${policies.length} access policies; grant RBAC roles instead.`));
    }
  },
});

export const keyvaultPublicNetworkDisabled = resourceRule({
  name: "azure-keyvault-public-network-disabled",
  description: "Key Vaults must disable public network access and be reached through a private endpoint.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security"],
  remediation:
    'Set properties.publicNetworkAccess to "Disabled" and add a private endpoint; a firewall denying by default with explicit IP and subnet rules is the equivalent Azure accepts (https://learn.microsoft.com/azure/key-vault/general/network-security).',
  checkov: ["CKV_AZURE_189"],
  azurePolicy: [
    { name: "Azure Key Vault should disable public network access", id: "405c5871-3e91-4644-8a63-58e19d68ff5b" },
  ],
  types: VAULT,
  validate: (props, args, report) => {
    if (publicAccessDisabled(props, args.type, FIREWALLS.keyVault) || firewallDenies(props, args.type, FIREWALLS.keyVault)) return;
    const e = effective(props, args.type, "properties.publicNetworkAccess");
    report(`${describeEffective("properties.publicNetworkAccess", e)} and the firewall does not deny by default; disable public network access (or deny by default with explicit rules).`);
  },
});

export const keyvaultFirewallDefaultDeny = resourceRule({
  name: "azure-keyvault-firewall-default-deny",
  description: "Key Vault firewalls must deny by default, so a re-enabled public endpoint still admits nobody.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["transport-security"],
  remediation:
    'Set properties.networkAcls.defaultAction to "Deny" (bypass "None" unless trusted services need access); with publicNetworkAccess "Disabled" the firewall is moot, which Azure Policy accepts (https://learn.microsoft.com/azure/key-vault/general/network-security).',
  checkov: ["CKV_AZURE_109"],
  azurePolicy: [
    { name: "Azure Key Vault should have firewall enabled or public network access disabled", id: "55615ac9-af46-4a59-874e-391cc3dfb490" },
  ],
  types: VAULT,
  validate: (props, args, report) => {
    if (firewallDenies(props, args.type, FIREWALLS.keyVault) || publicAccessDisabled(props, args.type, FIREWALLS.keyVault)) return;
    const open = anyIpRules(props, FIREWALLS.keyVault);
    const action = get(props, "properties.networkAcls.defaultAction");
    report(open.length > 0 ? `An IP rule admits every address (${open.join(", ")}).` : `properties.networkAcls.defaultAction is ${shown(action)}; it must be "Deny".`);
  },
});

export const keyvaultSecretExpiry = resourceRule({
  name: "azure-keyvault-secret-expiry",
  description: "Key Vault secrets must have an expiry date so forgotten credentials stop working.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["token-passthrough"],
  remediation: "Set properties.attributes.exp (seconds since the epoch) and rotate the secret before it expires.",
  checkov: ["CKV_AZURE_41"],
  azurePolicy: [
    { name: "Key Vault secrets should have an expiration date", id: "98728c90-32c7-4049-8429-847dc0f4fe37" },
  ],
  types: SECRET,
  validate: (props, _args, report) => {
    // ARM takes exp as a number or a numeric string (seconds since the epoch).
    const exp = num(get(props, "properties.attributes.exp"));
    if (exp === undefined || exp <= 0) report("The secret has no expiry (properties.attributes.exp).");
  },
});

export const keyvaultSecretContentType = resourceRule({
  name: "azure-keyvault-secret-content-type",
  description: "Key Vault secrets must declare a content type so their use can be audited and rotated correctly.",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["monitoring"],
  remediation: 'Set properties.contentType (e.g. "text/plain" or "application/x-pkcs12").',
  checkov: ["CKV_AZURE_114"],
  azurePolicy: [
    { name: "Secrets should have content type set", id: "75262d3e-ba4a-4f43-85f8-9f72c090e5e3" },
  ],
  types: SECRET,
  validate: (props, _args, report) => {
    const contentType = str(get(props, "properties.contentType"));
    if (contentType === undefined || contentType.trim() === "") report("The secret has no content type (properties.contentType).");
  },
});

export const keyvaultRules: Rule[] = [
  keyvaultPurgeProtection,
  keyvaultSoftDelete,
  keyvaultRbacAuthorization,
  keyvaultPublicNetworkDisabled,
  keyvaultFirewallDefaultDeny,
  keyvaultSecretExpiry,
  keyvaultSecretContentType,
];
