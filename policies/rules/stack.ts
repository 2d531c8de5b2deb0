import type { PolicyResource } from "@pulumi/policy";
import { finding, McpRisk, Rule, RuleMetadata, Severity } from "./types";
import { collectStrings, eqi, get, list, ofTypes, Props, refersTo, stackRule } from "./util";

/**
 * Cross-resource rules. Ids of new resources are unknown during preview, so links are followed through the
 * engine's property dependencies (e.g. a DiagnosticSetting's `resourceUri` depends on the vault), with an id
 * comparison as the fallback for stack exports and plans where ids are known.
 */

const PRIVATE_ENDPOINT = ["azure-native:network:PrivateEndpoint", "azure-native:network:InterfaceEndpoint"];
const DIAGNOSTIC_SETTING = ["azure-native:monitor:DiagnosticSetting", "azure-native:insights:DiagnosticSetting"];

interface Target {
  /** Short service id used in the rule name (azure-<service>-private-endpoint). */
  readonly service: string;
  readonly label: string;
  readonly types: readonly string[];
  /** Where the resource keeps publicNetworkAccess. */
  readonly publicNetworkAccessPath: string;
  /** Private link group id, for the remediation text. */
  readonly groupId: string;
  /** Require an endpoint even when public access is not disabled (the public-network rule flags that). */
  readonly always: boolean;
  readonly severity: Severity;
  readonly checkov?: readonly string[];
  readonly azurePolicy?: RuleMetadata["azurePolicy"];
  /** The resource is already reachable privately without a private endpoint (VNet injection). */
  readonly privateByVnet?: (props: Props) => boolean;
}

const TARGETS: readonly Target[] = [
  {
    service: "keyvault",
    label: "Key Vault",
    types: ["azure-native:keyvault:Vault"],
    publicNetworkAccessPath: "properties.publicNetworkAccess",
    groupId: "vault",
    always: true,
    severity: "high",
    checkov: ["CKV2_AZURE_32"],
    azurePolicy: [{ name: "Azure Key Vaults should use private link", id: "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9" }],
  },
  {
    service: "cognitive",
    label: "Cognitive Services account",
    types: ["azure-native:cognitiveservices:Account"],
    publicNetworkAccessPath: "properties.publicNetworkAccess",
    groupId: "account",
    always: true,
    severity: "high",
    azurePolicy: [{ name: "Azure AI Services resources should use Azure Private Link", id: "d6759c02-b87f-42b7-892e-71b3f471d782" }],
  },
  {
    service: "apim",
    label: "API Management service",
    types: ["azure-native:apimanagement:ApiManagementService"],
    publicNetworkAccessPath: "publicNetworkAccess",
    groupId: "Gateway",
    always: false,
    severity: "medium",
    // Internal VNet mode gives the gateway a private IP in its subnet.
    privateByVnet: (props) => eqi(get(props, "virtualNetworkType"), "Internal"),
  },
  {
    service: "acr",
    label: "container registry",
    types: ["azure-native:containerregistry:Registry"],
    publicNetworkAccessPath: "publicNetworkAccess",
    groupId: "registry",
    always: false,
    severity: "medium",
  },
  {
    service: "storage",
    label: "storage account",
    types: ["azure-native:storage:StorageAccount"],
    publicNetworkAccessPath: "publicNetworkAccess",
    groupId: "blob",
    always: false,
    severity: "medium",
    checkov: ["CKV2_AZURE_33"],
  },
  {
    service: "appservice",
    label: "App Service or Function app",
    types: ["azure-native:web:WebApp"],
    publicNetworkAccessPath: "publicNetworkAccess",
    groupId: "sites",
    always: false,
    severity: "medium",
  },
  {
    service: "containerapps-env",
    label: "Container Apps environment",
    types: ["azure-native:app:ManagedEnvironment"],
    publicNetworkAccessPath: "publicNetworkAccess",
    groupId: "managedEnvironments",
    always: false,
    severity: "medium",
    // An internal environment is injected into the VNet and reached through its internal load balancer.
    privateByVnet: (props) => get(props, "vnetConfiguration.internal") === true,
  },
];

function hasPrivateEndpoint(target: PolicyResource, endpoints: readonly PolicyResource[]): boolean {
  return endpoints.some(
    (pe) => refersTo(pe, "privateLinkServiceConnections", target) || refersTo(pe, "manualPrivateLinkServiceConnections", target),
  );
}

function privateEndpointRule(t: Target): Rule {
  const risks: McpRisk[] = ["transport-security"];
  return stackRule({
    name: `azure-${t.service}-private-endpoint`,
    description: t.always
      ? `Every ${t.label} must be reachable through a private endpoint.`
      : `Every ${t.label} with public network access disabled must have a private endpoint${
          t.privateByVnet ? ", unless it is injected into the virtual network" : ""
        } (otherwise nothing can reach it).`,
    enforcementLevel: "mandatory",
    severity: t.severity,
    risks,
    remediation: `Add a network.PrivateEndpoint with a privateLinkServiceConnections entry for the resource id (group "${t.groupId}") and a DNS zone group.`,
    ...(t.checkov ? { checkov: t.checkov } : {}),
    ...(t.azurePolicy ? { azurePolicy: t.azurePolicy } : {}),
    validate: (args, report) => {
      const endpoints = ofTypes(args.resources, PRIVATE_ENDPOINT);
      for (const r of ofTypes(args.resources, t.types)) {
        if (!t.always && !eqi(get(r.props, t.publicNetworkAccessPath), "Disabled")) continue;
        if (t.privateByVnet?.(r.props)) continue;
        if (!hasPrivateEndpoint(r, endpoints)) report(`The ${t.label} has no private endpoint.`, r.urn);
      }
    },
  });
}

export const privateEndpointRules: Rule[] = TARGETS.map(privateEndpointRule);

interface DiagnosticsTarget {
  readonly service: string;
  readonly label: string;
  readonly types: readonly string[];
  readonly azurePolicy: NonNullable<RuleMetadata["azurePolicy"]>;
}

const DIAGNOSTIC_TARGETS: readonly DiagnosticsTarget[] = [
  {
    service: "keyvault",
    label: "Key Vault",
    types: ["azure-native:keyvault:Vault"],
    azurePolicy: [{ name: "Resource logs in Key Vault should be enabled", id: "cf820ca0-f99e-4f3e-84fb-66e913812d21" }],
  },
  {
    service: "cognitive",
    label: "Cognitive Services account",
    types: ["azure-native:cognitiveservices:Account"],
    azurePolicy: [{ name: "Diagnostic logs in Azure AI services resources should be enabled", id: "1b4d1c4e-934c-4703-944c-27c82c06bebb" }],
  },
  {
    service: "apim",
    label: "API Management service",
    types: ["azure-native:apimanagement:ApiManagementService"],
    azurePolicy: [
      {
        name: "Enable logging by category group for API Management services (microsoft.apimanagement/service) to Log Analytics",
        id: "567c93f7-3661-494f-a30f-0a94d9bfebf8",
      },
    ],
  },
  {
    service: "containerapps-env",
    label: "Container Apps environment",
    types: ["azure-native:app:ManagedEnvironment"],
    azurePolicy: [
      {
        name: "Enable logging by category group for Container Apps Environments (microsoft.app/managedenvironments) to Log Analytics",
        id: "6a664864-e2b5-413e-b930-f11caa132f16",
      },
    ],
  },
];

/** A diagnostic setting that actually ships logs: some enabled log entry and a destination. */
function shipsLogs(props: Props): boolean {
  const logs = list(props["logs"]).filter((l) => get(l, "enabled") !== false && (get(l, "categoryGroup") ?? get(l, "category")) !== undefined);
  const destination = ["workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"].some(
    (k) => collectStrings(props[k]).length > 0 || props[k] !== undefined,
  );
  return logs.length > 0 && destination;
}

function diagnosticsRule(t: DiagnosticsTarget): Rule {
  return stackRule({
    name: `azure-${t.service}-diagnostic-settings`,
    description: `Every ${t.label} must send its resource logs (allLogs or audit category group) to Log Analytics through a diagnostic setting.`,
    enforcementLevel: "mandatory",
    severity: "medium",
    risks: ["monitoring"],
    azurePolicy: t.azurePolicy,
    remediation: 'Add a monitor.DiagnosticSetting with resourceUri set to the resource id, logs [{categoryGroup: "allLogs", enabled: true}] and workspaceId.',
    validate: (args, report) => {
      const settings = ofTypes(args.resources, DIAGNOSTIC_SETTING);
      for (const r of ofTypes(args.resources, t.types)) {
        const linked = settings.filter((s) => refersTo(s, "resourceUri", r));
        if (linked.length === 0) report(finding("Missing", `The ${t.label} has no diagnostic setting.`), r.urn);
        else if (!linked.some((s) => shipsLogs(s.props))) {
          report(finding("NoLogs", `The ${t.label}'s diagnostic settings enable no logs or have no destination.`), r.urn);
        }
      }
    },
  });
}

export const diagnosticSettingsRules: Rule[] = DIAGNOSTIC_TARGETS.map(diagnosticsRule);

const MANAGEMENT_LOCK = [
  "azure-native:authorization:ManagementLockByScope",
  "azure-native:authorization:ManagementLockAtResourceLevel",
  "azure-native:authorization:ManagementLockAtResourceGroupLevel",
];

/**
 * The vault holds every MCP server's secrets; losing it (purge protection keeps it recoverable, but not its
 * name or its access) takes every server down. Advisory: throwaway stacks opt out on purpose
 * (`keyVault.allowDestroy`), and this is what makes that choice visible in a review.
 */
export const keyVaultDeleteLock: Rule = stackRule({
  name: "azure-keyvault-delete-lock",
  description: "Every Key Vault should carry a CanNotDelete (or ReadOnly) management lock, on the vault or its resource group.",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["monitoring"],
  remediation: 'Add an authorization.ManagementLockByScope with scope set to the vault id and level "CanNotDelete".',
  validate: (args, report) => {
    const locks = ofTypes(args.resources, MANAGEMENT_LOCK).filter((l) => ["cannotdelete", "readonly"].includes(String(get(l.props, "level") ?? "").toLowerCase()));
    const groupLocked = locks.some((l) => l.type.endsWith("ManagementLockAtResourceGroupLevel"));
    for (const vault of ofTypes(args.resources, ["azure-native:keyvault:Vault"])) {
      if (groupLocked || locks.some((l) => refersTo(l, "scope", vault))) continue;
      report("The Key Vault has no delete lock.", vault.urn);
    }
  },
});

export const stackRules: Rule[] = [...privateEndpointRules, ...diagnosticSettingsRules, keyVaultDeleteLock];
