import type { PolicyResource } from "@pulumi/policy";
import { res, RuleCases, UNKNOWN, UNKNOWN_ARRAY } from "../harness";

const PE = "azure-native:network:PrivateEndpoint";
const DS = "azure-native:monitor:DiagnosticSetting";

/** Targets of the per-service stack rules: type, where publicNetworkAccess sits, and whether a PE is always required. */
const targets: Record<string, { type: string; pna: (v: unknown) => Record<string, unknown>; always: boolean; vnet?: Record<string, unknown> }> = {
  keyvault: { type: "azure-native:keyvault:Vault", pna: (v) => ({ properties: { publicNetworkAccess: v } }), always: true },
  cognitive: { type: "azure-native:cognitiveservices:Account", pna: (v) => ({ properties: { publicNetworkAccess: v } }), always: true },
  apim: {
    type: "azure-native:apimanagement:ApiManagementService",
    pna: (v) => ({ publicNetworkAccess: v, virtualNetworkType: "External" }),
    always: false,
    vnet: { virtualNetworkType: "Internal" },
  },
  acr: { type: "azure-native:containerregistry:Registry", pna: (v) => ({ publicNetworkAccess: v }), always: false },
  storage: { type: "azure-native:storage:StorageAccount", pna: (v) => ({ publicNetworkAccess: v }), always: false },
  appservice: { type: "azure-native:web:WebApp", pna: (v) => ({ publicNetworkAccess: v }), always: false },
  "containerapps-env": {
    type: "azure-native:app:ManagedEnvironment",
    pna: (v) => ({ publicNetworkAccess: v }),
    always: false,
    vnet: { vnetConfiguration: { internal: true, infrastructureSubnetId: "/subnets/aca" } },
  },
};

const endpoint = (target: PolicyResource, name = "pe") =>
  res(PE, name, { privateLinkServiceConnections: [{ name: "c", groupIds: ["x"] }], subnet: { id: "/subnets/pe" } }, { privateLinkServiceConnections: [target] });

/** Preview: two resources, each with its own endpoint whose target id is still unknown (linked only by dependency). */
const previewPair = (type: string, props: Record<string, unknown>) => {
  const [a, b] = [res(type, "a", props), res(type, "b", props)];
  const pe = (t: PolicyResource) =>
    res(PE, `pe-${t.name}`, { privateLinkServiceConnections: [{ name: "c", privateLinkServiceId: UNKNOWN }] }, { privateLinkServiceConnections: [t] });
  return [a, b, pe(a), pe(b)];
};

function privateEndpointCases(service: string): RuleCases {
  const t = targets[service];
  const target = res(t.type, "target", t.pna("Disabled"));
  const known = res(t.type, "known", { ...t.pna("Disabled"), id: "/subscriptions/s/resourceGroups/r/providers/X/y/known" });
  return {
    pass: [
      { stack: [target, endpoint(target)] },
      { stack: previewPair(t.type, t.pna("Disabled")) },
      { stack: [known, res(PE, "pe", { privateLinkServiceConnections: [{ privateLinkServiceId: "/subscriptions/s/resourceGroups/r/providers/x/y/KNOWN" }] })] },
      ...(t.always ? [] : [{ stack: [res(t.type, "public", t.pna("Enabled"))] }]),
      ...(t.vnet ? [{ stack: [res(t.type, "injected", { ...t.pna("Disabled"), ...t.vnet })] }] : []),
    ],
    fail: [
      { stack: [target] },
      { stack: [target, endpoint(res(t.type, "other", t.pna("Disabled")))] },
      ...(t.always ? [{ stack: [res(t.type, "public", t.pna("Enabled"))] }] : []),
    ],
    unknown: t.always ? [] : [{ stack: [res(t.type, "target", t.pna(UNKNOWN))] }],
    unlinkedUnknown: [{ stack: [known, res(PE, "pe", { privateLinkServiceConnections: [{ privateLinkServiceId: UNKNOWN }] })] }],
  };
}

const setting = (target: PolicyResource, props: Record<string, unknown> = {}) =>
  res(DS, "diag", { logs: [{ categoryGroup: "allLogs", enabled: true }], workspaceId: "/workspaces/w", ...props }, { resourceUri: [target] });

function diagnosticCases(service: string): RuleCases {
  const t = targets[service];
  const target = res(t.type, "target", {});
  return {
    pass: [
      { stack: [target, setting(target)] },
      {
        stack: [
          target,
          res(t.type, "second", {}),
          res(DS, "d1", { logs: [{ categoryGroup: "allLogs" }], workspaceId: "/w", resourceUri: UNKNOWN }, { resourceUri: [target] }),
          res(DS, "d2", { logs: [{ categoryGroup: "audit" }], workspaceId: "/w", resourceUri: UNKNOWN }, { resourceUri: [res(t.type, "second", {})] }),
        ],
      },
      { stack: [target, { ...setting(target), type: "azure-native:insights:DiagnosticSetting" }] },
      { stack: [res(t.type, "known", { id: "/x/known" }), res(DS, "d", { resourceUri: "/x/known", logs: [{ categoryGroup: "audit" }], workspaceId: "/w" })] },
    ],
    fail: [
      { stack: [target], expect: ["[Missing]"] },
      { stack: [target, setting(res(t.type, "other", {}))], expect: ["[Missing]"] },
      { stack: [target, setting(target, { logs: [] })], expect: ["[NoLogs]"] },
      { stack: [target, setting(target, { workspaceId: undefined })], expect: ["[NoLogs]"] },
    ],
    unknown: [{ stack: [target, setting(target, { logs: UNKNOWN_ARRAY })] }],
    unlinkedUnknown: [{ stack: [res(t.type, "known", { id: "/x/known" }), res(DS, "d", { resourceUri: UNKNOWN })] }],
  };
}

const zoneGroup = (pe: PolicyResource, props: Record<string, unknown> = {}, linked = true) =>
  res(
    "azure-native:network:PrivateDnsZoneGroup",
    "zones",
    { privateDnsZoneConfigs: [{ name: "vault", privateDnsZoneId: "/zones/privatelink.vaultcore.azure.net" }], ...props },
    linked ? { privateEndpointName: [pe] } : {},
  );

const vault = res(targets.keyvault.type, "kv", {});
const pe = endpoint(vault);

const LOCK = "azure-native:authorization:ManagementLockByScope";
const lockOn = (target: PolicyResource, level: unknown = "CanNotDelete") => res(LOCK, "lock", { level, scope: UNKNOWN }, { scope: [target] });

// azure-monitor-gateway-alert-rules: a gateway, the workspace its diagnostic setting writes to, and alert rules on it.
const gateway = res("azure-native:apimanagement:ApiManagementService", "apim", { sku: { name: "StandardV2", capacity: 1 } });
const gatewayLaw = res("azure-native:operationalinsights:Workspace", "law", {});
const otherLaw = res("azure-native:operationalinsights:Workspace", "soc-law", {});
const gatewayLogs = res(DS, "apim-logs", { resourceUri: UNKNOWN, workspaceId: UNKNOWN }, { resourceUri: [gateway], workspaceId: [gatewayLaw] });
const alertOn = (workspace: PolicyResource, enabled: unknown = true) =>
  res("azure-native:monitor:ScheduledQueryRule", `alert-${workspace.name}`, { kind: "LogAlert", enabled, scopes: UNKNOWN_ARRAY }, { scopes: [workspace] });
// An existing workspace (monitoring.existing): not in the stack, named by id in the setting and the rules.
const CENTRAL_LAW = "/subscriptions/s/resourceGroups/rg-management/providers/Microsoft.OperationalInsights/workspaces/law-central";
const logsToCentral = res(DS, "apim-logs-central", { resourceUri: UNKNOWN, workspaceId: CENTRAL_LAW }, { resourceUri: [gateway] });
const alertOnId = (id: string) => res("azure-native:monitor:ScheduledQueryRule", "alert-by-id", { kind: "LogAlert", enabled: true, scopes: [id] });

// azure-network-private-endpoint-dns-zone-matches: an endpoint to a sub-resource, its zone group, and the zones.
const ZG = "azure-native:network:PrivateDnsZoneGroup";
const endpointTo = (groupIds: unknown, name = "pe-acr") => res(PE, name, { privateLinkServiceConnections: [{ name: "c", groupIds, privateLinkServiceId: UNKNOWN }] });
const privateZone = (zoneName: unknown) => res("azure-native:privatedns:PrivateZone", `zone-${String(zoneName)}`, { privateZoneName: zoneName, id: UNKNOWN });
/** A zone group of `pe` writing into `zone` by dependency (its id unknown, as at preview), or into a known zone id. */
const writesInto = (pe: PolicyResource, zone: PolicyResource | string) =>
  typeof zone === "string"
    ? res(ZG, `zg-${pe.name}`, { privateEndpointName: UNKNOWN, privateDnsZoneConfigs: [{ name: "z", privateDnsZoneId: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/privateDnsZones/${zone}` }] }, { privateEndpointName: [pe] })
    : res(ZG, `zg-${pe.name}`, { privateEndpointName: UNKNOWN, privateDnsZoneConfigs: [{ name: "z", privateDnsZoneId: UNKNOWN }] }, { privateEndpointName: [pe], privateDnsZoneConfigs: [zone] });
const acrEndpoint = endpointTo(["registry"]);
const acrZone = privateZone("privatelink.azurecr.io");
const vaultZone = privateZone("privatelink.vaultcore.azure.net");

export const stackCases: Record<string, RuleCases> = {
  "azure-network-private-endpoint-dns-zone-matches": {
    pass: [
      // The kit's shape at preview: the zone's id unknown, its name known through the dependency.
      { stack: [acrEndpoint, acrZone, writesInto(acrEndpoint, acrZone)] },
      { stack: [acrEndpoint, writesInto(acrEndpoint, "privatelink.azurecr.io")] },
      // A regional data zone under the registry's zone, and APIM's "Gateway" written as Azure writes it.
      { stack: [acrEndpoint, writesInto(acrEndpoint, "westeurope.data.privatelink.azurecr.io")] },
      { stack: [endpointTo(["Gateway"], "pe-apim"), writesInto(endpointTo(["Gateway"], "pe-apim"), "privatelink.azure-api.net")] },
      { stack: [endpointTo(["account"], "pe-ai"), writesInto(endpointTo(["account"], "pe-ai"), "privatelink.openai.azure.com")] },
      // A sub-resource the table does not list is not judged.
      { stack: [endpointTo(["sqlServer"], "pe-sql"), writesInto(endpointTo(["sqlServer"], "pe-sql"), "privatelink.vaultcore.azure.net")] },
      // A sovereign cloud's zone, allowed by the option.
      { stack: [acrEndpoint, writesInto(acrEndpoint, "privatelink.azurecr.cn")], config: { additionalZones: { registry: ["privatelink.azurecr.cn"] } } },
    ],
    fail: [
      {
        stack: [acrEndpoint, vaultZone, writesInto(acrEndpoint, vaultZone)],
        expect: ['Private endpoint "pe-acr" connects to "registry", but its DNS zone group writes into privatelink.vaultcore.azure.net; "registry" resolves through privatelink.azurecr.io.'],
      },
      { stack: [endpointTo(["vault"], "pe-kv"), writesInto(endpointTo(["vault"], "pe-kv"), "privatelink.azurecr.io")], expect: ['"vault" resolves through privatelink.vaultcore.azure.net'] },
      { stack: [acrEndpoint, writesInto(acrEndpoint, "privatelink.azurecr.cn")], config: { additionalZones: { vault: ["privatelink.azurecr.cn"] } } },
    ],
    unknown: [
      // No zone of the stack to read the name from, and the id unknown: cannot be judged at preview.
      { stack: [acrEndpoint, res(ZG, "zg", { privateEndpointName: UNKNOWN, privateDnsZoneConfigs: [{ name: "z", privateDnsZoneId: UNKNOWN }] }, { privateEndpointName: [acrEndpoint] })] },
      { stack: [endpointTo(UNKNOWN_ARRAY), writesInto(endpointTo(UNKNOWN_ARRAY), "privatelink.azurecr.io")] },
    ],
  },
  "azure-monitor-gateway-alert-rules": {
    pass: [
      { stack: [gateway, gatewayLaw, gatewayLogs, alertOn(gatewayLaw)] },
      // No diagnostic setting to tell which workspace: any workspace of the stack with a rule (azure-apim-diagnostic-settings reports the rest).
      { stack: [gateway, gatewayLaw, alertOn(gatewayLaw)] },
      { stack: [gatewayLaw, otherLaw] },
      { stack: [gateway, logsToCentral, alertOnId(CENTRAL_LAW.toUpperCase())] },
    ],
    fail: [
      { stack: [gateway, gatewayLaw, gatewayLogs], expect: ["No enabled log search alert rule watches the workspace the gateway logs to"] },
      { stack: [gateway, logsToCentral, alertOnId(CENTRAL_LAW.replace("law-central", "law-soc"))] },
      { stack: [gateway, gatewayLaw, gatewayLogs, alertOn(gatewayLaw, false)] },
      // A rule on another workspace does not watch the gateway's.
      { stack: [gateway, gatewayLaw, otherLaw, gatewayLogs, alertOn(otherLaw)] },
      { stack: [gateway] },
    ],
    unknown: [{ stack: [gateway, gatewayLaw, gatewayLogs, alertOn(gatewayLaw, UNKNOWN)] }],
  },
  "azure-keyvault-delete-lock": {
    pass: [
      { stack: [vault, lockOn(vault)] },
      { stack: [vault, lockOn(vault, "ReadOnly")] },
      { stack: [vault, res("azure-native:authorization:ManagementLockAtResourceGroupLevel", "rg-lock", { level: "CanNotDelete" })] },
      { stack: [pe] },
    ],
    fail: [
      { stack: [vault], expect: ["no delete lock"] },
      { stack: [vault, lockOn(vault, "NotSpecified")] },
      { stack: [vault, lockOn(res(targets.cognitive.type, "cs", {}))] },
    ],
    unknown: [{ stack: [vault, lockOn(vault, UNKNOWN)] }],
  },
  ...Object.fromEntries(Object.keys(targets).map((s) => [`azure-${s}-private-endpoint`, privateEndpointCases(s)])),
  ...Object.fromEntries(
    ["keyvault", "cognitive", "apim", "containerapps-env"].map((s) => [`azure-${s}-diagnostic-settings`, diagnosticCases(s)]),
  ),
  "azure-network-private-endpoint-dns-zone-group": {
    pass: [
      { stack: [vault, pe, zoneGroup(pe)] },
      { stack: [res(PE, "pe2", { privateEndpointName: "pe-kv" }), zoneGroup(pe, { privateEndpointName: "PE-KV" }, false)] },
      {
        stack: [
          pe,
          endpoint(vault, "pe-b"),
          zoneGroup(pe, { privateEndpointName: UNKNOWN }),
          res("azure-native:network:PrivateDnsZoneGroup", "zones-b", { privateEndpointName: UNKNOWN, privateDnsZoneConfigs: [{ name: "z" }] }, { privateEndpointName: [endpoint(vault, "pe-b")] }),
        ],
      },
    ],
    fail: [{ stack: [vault, pe] }, { stack: [vault, pe, zoneGroup(pe, { privateDnsZoneConfigs: [] })] }, { stack: [pe, zoneGroup(endpoint(vault, "other"))] }],
    unknown: [{ stack: [pe, zoneGroup(pe, { privateDnsZoneConfigs: UNKNOWN_ARRAY })] }],
    unlinkedUnknown: [{ stack: [pe, zoneGroup(pe, { privateEndpointName: UNKNOWN }, false)] }],
  },
};
