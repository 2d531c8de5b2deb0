import * as pulumi from "@pulumi/pulumi";
import type * as network from "@pulumi/azure-native/network";
import { createPrivateEndpoint, PrivateLinkServices } from "../shared/privateEndpoint";
import { SettingProblem, throwIfProblems } from "../shared/settingError";
import { PlacementArgs } from "../shared/types";

/**
 * A container registry reached over Azure Private Link from the platform's VNet, so the apps pull their images
 * from a registry whose public network access is disabled.
 *
 * Facts this relies on (Learn, "Connect privately to an Azure container registry using Azure Private Link",
 * https://learn.microsoft.com/azure/container-registry/container-registry-private-link):
 * - private endpoints are a feature of the Premium tier only (hardened-mcp preflight refuses another tier);
 * - the private-link sub-resource (group id) is "registry";
 * - the endpoint's NIC gets two addresses, the registry's and its regional data endpoint's
 *   ("registry_data_<region>", one more per geo-replica), and both names must resolve in the VNet:
 *   `<name>.azurecr.io` and `<name>.<region>.data.azurecr.io`, as A records `<name>` and `<name>.<region>.data` in the
 *   zone `privatelink.azurecr.io`. The DNS zone group writes every one of them (and a replica's when one is added),
 *   so nothing here lists them;
 * - "the registry automatically accepts connections from clients and services that have Azure RBAC permissions on
 *   the registry"; otherwise the connection waits for the registry owner's approval (Learn, "Manage a Private
 *   Endpoint connection": automatic vs manual approval). The endpoint asks for automatic approval, which needs
 *   `Microsoft.ContainerRegistry/registries/privateEndpointConnectionsApproval/action` on the registry (preflight's
 *   `rights` check lists it). A manual request would leave the connection Pending, carrying no traffic, while Container
 *   Apps pulls the image as it creates the revision, so the same deployment would fail at the app.
 *
 * Container Apps pulls through the environment's VNet (the apps subnet) and resolves names with the VNet's DNS, so
 * once `privatelink.azurecr.io` is linked to the VNet and holds the records, the pull takes the private path. A pull
 * from a registry with public access disabled and no such path fails when the revision is created ("unable to pull
 * image using Managed identity ... for registry", microsoft/azure-container-apps#1061, #905).
 */

/** The registry settings one server carries (the stack config's `servers[].registry`). */
export interface ServerRegistryRequest {
  readonly name: string;
  readonly registry?: { readonly server: string; readonly resourceId?: string; readonly privateEndpoint?: boolean };
}

/** One registry that gets a private endpoint, and the servers that pull from it. */
export interface RegistryEndpointPlan {
  /** ARM id of the registry, as the first server wrote it. */
  readonly registryId: string;
  /** The registry's name (the id's last segment), lowercase: its login server is `<name>.azurecr.io`. */
  readonly registryName: string;
  /** The servers pulling from it, in config order. */
  readonly servers: readonly string[];
}

const REGISTRY_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerRegistry\/registries\/([A-Za-z0-9]+)$/i;

/**
 * The registries that get a private endpoint: one per registry, however many servers pull from it. Two endpoints to
 * one registry in one VNet would write the same A records into the one `privatelink.azurecr.io` zone, each zone group
 * overwriting the other's; one endpoint serves every app in the VNet. Throws a `SettingError` (fields relative to the
 * server list: `[i, "registry", ...]`) with every problem, before anything is registered.
 */
export function planRegistryEndpoints(servers: readonly ServerRegistryRequest[]): RegistryEndpointPlan[] {
  const problems: SettingProblem[] = [];
  const plans = new Map<string, { registryId: string; registryName: string; servers: string[] }>();
  servers.forEach((server, i) => {
    const r = server.registry;
    if (!r?.privateEndpoint) return;
    const field = [i, "registry", "privateEndpoint"];
    if (r.resourceId === undefined) {
      problems.push({
        field,
        problem: `is true but servers[${server.name}].registry.resourceId is not set, so there is no registry to connect the endpoint to`,
        fix: `set registry.resourceId (az acr show --name ${r.server.split(".")[0]} --query id -o tsv), or remove privateEndpoint`,
      });
      return;
    }
    const name = REGISTRY_ID.exec(r.resourceId)?.[1]?.toLowerCase();
    if (name === undefined) {
      problems.push({
        field: [i, "registry", "resourceId"],
        problem: `"${r.resourceId}" is not a container registry's resource id, so no private endpoint can connect to it`,
        fix: "set /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerRegistry/registries/<name>",
      });
      return;
    }
    const login = r.server.toLowerCase();
    if (login !== `${name}.azurecr.io`) {
      // The zone group writes the records of the registry the endpoint connects to: `<name>.azurecr.io` and its data
      // endpoint. Another login server (another registry, or a sovereign cloud's domain) would not resolve privately.
      problems.push({
        field: [i, "registry", "server"],
        problem: `is "${r.server}" but the private endpoint connects to the registry "${name}", whose login server is ${name}.azurecr.io`,
        fix: `set registry.server to ${name}.azurecr.io (and the image's registry host with it), or point resourceId at the registry of ${r.server}`,
      });
      return;
    }
    const plan = plans.get(name) ?? { registryId: r.resourceId, registryName: name, servers: [] };
    plan.servers.push(server.name);
    plans.set(name, plan);
  });
  // One endpoint serves the whole VNet: a server pulling from the same registry without asking for it would take the
  // private path all the same, so its setting would not say what happens.
  servers.forEach((server, i) => {
    const r = server.registry;
    const name = r?.resourceId ? REGISTRY_ID.exec(r.resourceId)?.[1]?.toLowerCase() : undefined;
    const plan = name === undefined ? undefined : plans.get(name);
    if (plan && !r?.privateEndpoint) {
      problems.push({
        field: [i, "registry", "privateEndpoint"],
        problem: `is not set, but servers ${plan.servers.join(", ")} give the registry "${name}" a private endpoint, which every app in the VNet pulls through`,
        fix: "set privateEndpoint: true on every server that pulls from this registry",
      });
    }
  });
  throwIfProblems(problems, "Invalid registry private endpoints");
  return [...plans.values()];
}

export interface RegistryPrivateEndpointArgs extends PlacementArgs {
  /** Required. ARM id of the container registry (Premium tier). */
  readonly registryId: pulumi.Input<string>;
  /** Required. The private endpoints subnet (ARM id), in the VNet the Container Apps environment is integrated with. */
  readonly subnetId: pulumi.Input<string>;
  /**
   * Required. The `privatelink.azurecr.io` zone (ARM id), linked to that VNet. Pass an id that resolves only once the
   * zone's VNet link exists (`McpNetwork.privateDnsZoneIdFor("containerRegistry")` does), so whatever waits for the
   * DNS zone group also waits for the link.
   */
  readonly privateDnsZoneId: pulumi.Input<string>;
}

/** What an app pulling through the endpoint waits for (`McpServerRegistryArgs.privateLink`). */
export interface RegistryPrivateLink {
  /** Exists once the registry's records are in the linked zone: the first pull can resolve the private addresses. */
  readonly dnsZoneGroup: pulumi.Resource;
}

/** A private endpoint (group "registry") to one container registry, with its `privatelink.azurecr.io` DNS zone group. */
export class RegistryPrivateEndpoint extends pulumi.ComponentResource implements RegistryPrivateLink {
  readonly endpoint: network.PrivateEndpoint;
  readonly dnsZoneGroup: network.PrivateDnsZoneGroup;

  constructor(name: string, args: RegistryPrivateEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:RegistryPrivateEndpoint", name, {}, opts);
    const created = createPrivateEndpoint(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        privateLinkServiceId: args.registryId,
        service: "containerRegistry",
        subnetId: args.subnetId,
        privateDnsZoneId: args.privateDnsZoneId,
      },
      { parent: this },
    );
    this.endpoint = created.endpoint;
    this.dnsZoneGroup = created.dnsZoneGroup;
    this.registerOutputs({ endpointId: this.endpoint.id, zone: PrivateLinkServices.containerRegistry.zone });
  }
}

/**
 * A server's `registry` argument with the private link it pulls through (`{}` when its registry has none), for the
 * platform to spread over the server's other arguments.
 */
export function registryPrivateLink(
  server: ServerRegistryRequest,
  links: ReadonlyMap<string, RegistryPrivateLink>,
): { registry?: { server: string; resourceId?: string; privateLink: RegistryPrivateLink } } {
  const r = server.registry;
  const name = r?.privateEndpoint && r.resourceId ? REGISTRY_ID.exec(r.resourceId)?.[1]?.toLowerCase() : undefined;
  const link = name === undefined ? undefined : links.get(name);
  return r && link ? { registry: { server: r.server, ...(r.resourceId !== undefined ? { resourceId: r.resourceId } : {}), privateLink: link } } : {};
}
