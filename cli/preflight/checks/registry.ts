import { armErrorMessage } from "../rest";
import { isUnder } from "../armIds";
import type { PreflightNeeds, RegistryNeed } from "../needs";
import { Check, CheckResult, couldNotRun } from "../result";

/** Registries - Get (Microsoft.ContainerRegistry 2023-07-01): sku, network settings, private endpoint connections. */
const ACR_API = "2023-07-01";

/** The parts of Registries - Get that decide whether the apps can pull. */
interface RegistryBody {
  readonly sku?: { readonly name?: unknown };
  readonly properties?: {
    readonly publicNetworkAccess?: unknown;
    readonly networkRuleSet?: { readonly defaultAction?: unknown };
    readonly privateEndpointConnections?: readonly {
      readonly name?: unknown;
      readonly properties?: {
        readonly privateEndpoint?: { readonly id?: unknown };
        readonly privateLinkServiceConnectionState?: { readonly status?: unknown };
      };
    }[];
  };
}

const nameOf = (id: string) => id.split("/").pop() ?? id;
const settingFor = (need: RegistryNeed) => `servers[${need.servers.join(", ")}].registry.privateEndpoint`;

/**
 * What one registry's settings mean for the stack's pulls. Facts (Learn, "Connect privately to an Azure container
 * registry using Azure Private Link"): private endpoints are a Premium feature; a registry with a private endpoint
 * resolves through `<name>.privatelink.azurecr.io` (the article's `dig` output), so a VNet linked to a
 * `privatelink.azurecr.io` zone without the registry's records cannot resolve it. Connection states (REST spec
 * 2023-07-01, PrivateLinkServiceConnectionState): Approved, Pending, Rejected, Disconnected.
 */
function judge(need: RegistryNeed, needs: PreflightNeeds, body: RegistryBody): Omit<CheckResult, "check" | "subject"> {
  const name = nameOf(need.id);
  const p = body.properties ?? {};
  const sku = typeof body.sku?.name === "string" ? body.sku.name : undefined;
  const connections = p.privateEndpointConnections ?? [];
  const status = (c: (typeof connections)[number]) => c.properties?.privateLinkServiceConnectionState?.status;
  if (need.privateEndpoint) {
    if (sku !== "Premium") {
      return {
        status: "fail",
        why: `${settingFor(need)} is true, but the registry is ${sku ?? "of an unknown tier"} and private endpoints need Premium`,
        fix: `az acr update --name ${name} --sku Premium, or remove ${settingFor(need)} and pull over the egress path (public access on)`,
      };
    }
    // The stack's own endpoint, from an earlier deployment: in its resource group. Rejected or disconnected by the
    // registry's owner, it carries no traffic; pending, it waits for them.
    const ours = connections.find((c) => typeof c.properties?.privateEndpoint?.id === "string" && isUnder(c.properties.privateEndpoint.id, needs.resourceGroup.id));
    if (ours && status(ours) !== "Approved") {
      const connection = typeof ours.name === "string" ? ours.name : "<connection>";
      return {
        status: "fail",
        why: `the stack's private endpoint connection is ${String(status(ours))}, so the apps cannot pull through it`,
        fix: `the registry's owner approves it: az acr private-endpoint-connection approve --registry-name ${name} --name ${connection}`,
      };
    }
    return { status: "pass", why: `Premium: the apps pull over the stack's private endpoint${ours ? " (connection approved)" : " (approval right: see rights)"}` };
  }
  if (needs.registryZoneLinked && connections.some((c) => status(c) === "Approved")) {
    return {
      status: "fail",
      why: "the registry has private endpoints elsewhere, so its name resolves through privatelink.azurecr.io, and the stack links that zone to its VNet without this registry's records: the name would not resolve",
      fix: `set ${settingFor(need)}: true (one endpoint serves the VNet)`,
    };
  }
  if (p.publicNetworkAccess === "Disabled") {
    return {
      status: "fail",
      why: "public network access is disabled, and the apps pull over the egress path: the first revision would fail to pull",
      fix:
        sku === "Premium"
          ? `set ${settingFor(need)}: true, or enable public access and allow the egress IP (az acr update --name ${name} --public-network-enabled true)`
          : `the registry is ${sku ?? "of an unknown tier"}: private endpoints need Premium (az acr update --name ${name} --sku Premium), then set ${settingFor(need)}: true`,
    };
  }
  if (p.networkRuleSet?.defaultAction === "Deny") {
    return {
      status: "warn",
      why: "the registry firewall denies by default: allow the stack's egress IP (stack output egressIpAddress) before the first pull, or pull privately",
      fix: `az acr network-rule add --name ${name} --ip-address <egressIpAddress>, or set ${settingFor(need)}: true`,
    };
  }
  return { status: "pass", why: "reachable over the egress path (public network access enabled)" };
}

/**
 * Each registry a server pulls from must be reachable from the apps' subnet when the first revision is created:
 * over the stack's private endpoint when the config asks for one, else over the egress path (NAT gateway by default).
 */
export const checkRegistries: Check = async ({ rest, needs }) =>
  Promise.all(
    needs.registries.map(async (need): Promise<CheckResult> => {
      const subject = `registry ${nameOf(need.id)}`;
      try {
        const response = await rest.arm("GET", need.id, ACR_API);
        if (response.status === 404) {
          return { check: "registry", subject, status: "fail", why: `${need.id} does not exist or is not visible to you`, fix: "check servers[].registry.resourceId" };
        }
        if (response.status !== 200) return { check: "registry", subject, status: "unknown", why: `could not read the registry: ${armErrorMessage(response)}` };
        return { check: "registry", subject, ...judge(need, needs, (response.body ?? {}) as RegistryBody) };
      } catch (err) {
        return couldNotRun("registry", subject, err);
      }
    }),
  );
