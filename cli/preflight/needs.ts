import { armTypeOf } from "../../testing/engine/armIds";
import type { Plan, PlanResource } from "../../testing/planFile";
import type { PlatformSettings } from "../../infra/config/settings";
import { isUnder, parseArmId } from "./armIds";

/**
 * What a deployment of this stack needs from Azure before `pulumi up`, read off the plan itself (the
 * resources the program registers, with their ARM types and cross-references), so the checks follow
 * the code: a new resource type in the kit is a new provider and a new write action here, unasked.
 */

/** The rights needed at one scope, as RBAC action strings. */
export interface ScopeNeed {
  /** "resource group rg-mcp-dev", "registry contoso": shown in the table. */
  readonly label: string;
  /** ARM id of the scope. */
  readonly id: string;
  /** Needed by the first deployment. */
  readonly actions: readonly string[];
  /** Needed by later deployments (removing a server, replacing an identity): deletes, and lifting the vault lock. */
  readonly dayTwoActions: readonly string[];
}

export interface GraphNeeds {
  /** The Entra object kinds the plan creates (azuread resource types, shortened). */
  readonly creates: readonly string[];
  /** True when the plan assigns app roles (the gateway identity on each backend application). */
  readonly assignsAppRoles: boolean;
}

export interface PreflightNeeds {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly location: string;
  readonly resourceGroup: { readonly name: string; readonly id: string; readonly create: boolean };
  /** Resource provider namespaces the subscription must have registered. */
  readonly providers: readonly string[];
  /** The resource group first, then scopes outside it (container registries). */
  readonly scopes: readonly ScopeNeed[];
  /** Globally unique names and where they would be soft-deleted. */
  readonly names: {
    /** Absent when the stack brings its vault (`keyVault.existing`): no name of the kit's is taken then. */
    readonly keyVault?: string;
    readonly apiManagement: string;
    readonly contentSafety?: string;
  };
  readonly gateway: { readonly sku: string; readonly capacity: number };
  readonly contentSafety?: { readonly location: string };
  readonly graph?: GraphNeeds;
  /** Container registries the servers pull from, each checked for a reachable network path. */
  readonly registries: readonly RegistryNeed[];
  /**
   * True when the stack links `privatelink.azurecr.io` to its VNet (a registry gets a private endpoint): every
   * registry name that resolves through that zone must then have its records in it.
   */
  readonly registryZoneLinked: boolean;
  /** The vault the stack brings (`keyVault.existing`): read to check what the kit would have set on its own. */
  readonly existingVault?: { readonly id: string };
}

/** One registry the servers pull from. */
export interface RegistryNeed {
  /** ARM id, as the config writes it. */
  readonly id: string;
  /** The stack gives it a private endpoint (`servers[].registry.privateEndpoint`). */
  readonly privateEndpoint: boolean;
  /** The servers pulling from it. */
  readonly servers: readonly string[];
}

/** The registries the servers pull from (one entry per registry, ids compared without case), in config order. */
function registryNeeds(settings: PlatformSettings): RegistryNeed[] {
  const byId = new Map<string, { id: string; privateEndpoint: boolean; servers: string[] }>();
  for (const server of settings.servers) {
    const r = server.registry;
    if (!r?.resourceId) continue;
    const need = byId.get(r.resourceId.toLowerCase()) ?? { id: r.resourceId, privateEndpoint: false, servers: [] };
    need.privateEndpoint ||= r.privateEndpoint === true;
    need.servers.push(server.name);
    byId.set(r.resourceId.toLowerCase(), need);
  }
  return [...byId.values()];
}

/** Providers every subscription has registered (ARM registers them itself). */
const ALWAYS_REGISTERED = new Set(["microsoft.resources", "microsoft.authorization"]);

/**
 * Resources that another resource uses by id need a `join` (or `assign`) action on that resource, as
 * RBAC's operation list names them ("Azure permissions for Networking", "... for Identity").
 */
const JOIN_ACTIONS: Readonly<Record<string, string>> = {
  "microsoft.network/virtualnetworks/subnets": "Microsoft.Network/virtualNetworks/subnets/join/action",
  "microsoft.network/virtualnetworks": "Microsoft.Network/virtualNetworks/join/action",
  "microsoft.network/networksecuritygroups": "Microsoft.Network/networkSecurityGroups/join/action",
  "microsoft.network/natgateways": "Microsoft.Network/natGateways/join/action",
  "microsoft.network/publicipaddresses": "Microsoft.Network/publicIPAddresses/join/action",
  "microsoft.network/privatednszones": "Microsoft.Network/privateDnsZones/join/action",
  "microsoft.managedidentity/userassignedidentities": "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
};

/** Every ARM id in a value, as strings or as object keys (`userAssignedIdentities: { "<id>": {} }`). */
function armIdsIn(value: unknown, out: Set<string>): void {
  if (typeof value === "string") {
    if (value.toLowerCase().startsWith("/subscriptions/")) out.add(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => armIdsIn(v, out));
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key.toLowerCase().startsWith("/subscriptions/")) out.add(key);
      armIdsIn(v, out);
    }
  }
}

/** The ARM type a plan resource writes, or undefined for components and non-ARM providers. */
function writtenType(resource: PlanResource): string | undefined {
  if (!resource.custom || !resource.type.startsWith("azure-native:")) return undefined;
  if (resource.type === "azure-native:resources:ResourceGroup") return "Microsoft.Resources/subscriptions/resourceGroups";
  if (resource.type === "azure-native:resources:Resource") {
    const i = resource.inputs;
    const parentTypes = typeof i.parentResourcePath === "string" ? i.parentResourcePath.split("/").filter((_, n) => n % 2 === 0) : [];
    return [i.resourceProviderNamespace, ...parentTypes, i.resourceType].filter((p) => typeof p === "string" && p !== "").join("/");
  }
  return armTypeOf(resource.type);
}

/** Where an extension resource (role assignment, lock, diagnostic setting) is written: its `scope`/`resourceUri`. */
function extensionScope(resource: PlanResource): string | undefined {
  const scope = resource.inputs.scope ?? resource.inputs.resourceUri;
  return typeof scope === "string" ? scope : undefined;
}

class ScopeActions {
  readonly first = new Set<string>();
  readonly later = new Set<string>();
  constructor(
    readonly label: string,
    readonly id: string,
  ) {}
  toNeed(): ScopeNeed {
    const later = [...this.later].filter((a) => !this.first.has(a)).sort();
    return { label: this.label, id: this.id, actions: [...this.first].sort(), dayTwoActions: later };
  }
}

export function derivePreflightNeeds(plan: Plan, settings: PlatformSettings, subscriptionId: string): PreflightNeeds {
  const groupId = `/subscriptions/${subscriptionId}/resourceGroups/${settings.resourceGroup.name}`;
  const group = new ScopeActions(`resource group ${settings.resourceGroup.name}`, groupId);
  const outside = new Map<string, ScopeActions>();
  const providers = new Set<string>();
  // The plan's ids carry the config's subscription (a placeholder in an example file): match the
  // resource group by name, whatever the subscription segment says.
  const planGroupId = (id: string): boolean => {
    const parsed = parseArmId(id);
    return parsed?.resourceGroup?.toLowerCase() === settings.resourceGroup.name.toLowerCase();
  };
  const scopeFor = (id: string): ScopeActions => {
    if (planGroupId(id) || isUnder(id, groupId)) return group;
    const key = id.toLowerCase();
    let scope = outside.get(key);
    if (!scope) {
      const parsed = parseArmId(id);
      const kind = parsed?.type === "Microsoft.ContainerRegistry/registries" ? "registry" : (parsed?.type ?? "scope");
      scope = new ScopeActions(`${kind} ${parsed?.name ?? id}`, id);
      outside.set(key, scope);
    }
    return scope;
  };

  for (const resource of plan.resources) {
    const type = writtenType(resource);
    if (!type) continue;
    const namespace = type.split("/")[0];
    if (!ALWAYS_REGISTERED.has(namespace.toLowerCase())) providers.add(namespace);
    const extension = extensionScope(resource);
    const scope = extension && (type.startsWith("Microsoft.Authorization/") || type === "Microsoft.Insights/diagnosticSettings") ? scopeFor(extension) : group;
    scope.first.add(`${type}/write`);
    // Deleting the resource group is `pulumi destroy`'s business, not a later deployment's.
    if (resource.type !== "azure-native:resources:ResourceGroup") scope.later.add(`${type}/delete`);
    // Resources this one uses by id: joins and identity assignments.
    const referenced = new Set<string>();
    armIdsIn(resource.inputs, referenced);
    for (const id of referenced) {
      const referencedType = parseArmId(id)?.type?.toLowerCase();
      const join = referencedType ? JOIN_ACTIONS[referencedType] : undefined;
      if (join) scopeFor(id).first.add(join);
    }
    // A private endpoint is approved automatically only when the deployer may approve connections
    // on the target ("Manage Azure private endpoints": .../privateEndpointConnectionsApproval/action).
    if (resource.type === "azure-native:network:PrivateEndpoint") {
      const links = Array.isArray(resource.inputs.privateLinkServiceConnections) ? resource.inputs.privateLinkServiceConnections : [];
      for (const link of links as { privateLinkServiceId?: unknown }[]) {
        const target = typeof link.privateLinkServiceId === "string" ? link.privateLinkServiceId : undefined;
        const targetType = target ? parseArmId(target)?.type : undefined;
        if (target && targetType) scopeFor(target).first.add(`${targetType}/privateEndpointConnectionsApproval/action`);
      }
    }
  }
  // Standard v2's outbound VNet integration delegates its subnet to Microsoft.Web/serverFarms, which
  // needs the Microsoft.Web provider registered (Learn: "Integrate an Azure API Management instance
  // with a private virtual network for outbound connections", "Register Microsoft.Web resource provider").
  if (settings.gatewayNetworkMode === "integration") providers.add("Microsoft.Web");
  // Day 2 lifts the vault's CanNotDelete lock before deleting anything under the vault.
  if (group.first.has("Microsoft.Authorization/locks/write")) group.later.add("Microsoft.Authorization/locks/delete");
  // Without a resource group the deployer writes at the subscription: creating the group.
  if (!settings.resourceGroup.create) group.first.delete("Microsoft.Resources/subscriptions/resourceGroups/write");

  const azureadTypes = [...new Set(plan.resources.filter((r) => r.custom && r.type.startsWith("azuread:")).map((r) => r.type.split(":")[2]))].sort();
  const registries = registryNeeds(settings);
  return {
    subscriptionId,
    tenantId: settings.tenantId,
    location: settings.location,
    resourceGroup: { name: settings.resourceGroup.name, id: groupId, create: settings.resourceGroup.create },
    providers: [...providers].sort(),
    scopes: [group.toNeed(), ...[...outside.values()].map((s) => s.toNeed())],
    names: {
      ...(settings.keyVault.existing ? {} : { keyVault: settings.names.keyVault }),
      apiManagement: settings.names.apiManagement,
      ...(settings.contentSafety.enabled ? { contentSafety: settings.names.contentSafety } : {}),
    },
    gateway: { sku: settings.gateway.sku, capacity: settings.gateway.capacity },
    ...(settings.contentSafety.enabled ? { contentSafety: { location: settings.contentSafety.location } } : {}),
    ...(azureadTypes.length > 0 ? { graph: { creates: azureadTypes, assignsAppRoles: azureadTypes.includes("AppRoleAssignment") } } : {}),
    registries,
    registryZoneLinked: registries.some((r) => r.privateEndpoint),
    ...(settings.keyVault.existing ? { existingVault: { id: settings.keyVault.existing.id } } : {}),
  };
}
