import { armErrorMessage } from "../rest";
import { Check, CheckResult, couldNotRun } from "../result";

/** Registries - Get (Microsoft.ContainerRegistry 2023-07-01). */
const ACR_API = "2023-07-01";

/**
 * Each registry a server pulls from must be reachable from the apps' subnet. The apps leave through the
 * egress path (NAT gateway by default), so a registry with public network access disabled is
 * unreachable, and one whose firewall denies by default must allow the egress address.
 */
export const checkRegistries: Check = async ({ rest, needs }) =>
  Promise.all(
    needs.registries.map(async (id): Promise<CheckResult> => {
      const subject = `registry ${id.split("/").pop() ?? id}`;
      try {
        const response = await rest.arm("GET", id, ACR_API);
        if (response.status === 404) {
          return { check: "registry", subject, status: "fail", why: `${id} does not exist or is not visible to you`, fix: "check servers[].registry.resourceId" };
        }
        if (response.status !== 200) return { check: "registry", subject, status: "unknown", why: `could not read the registry: ${armErrorMessage(response)}` };
        const properties = (response.body as { properties?: { publicNetworkAccess?: unknown; networkRuleSet?: { defaultAction?: unknown } } } | undefined)?.properties;
        if (properties?.publicNetworkAccess === "Disabled") {
          return {
            check: "registry",
            subject,
            status: "fail",
            why: "public network access is disabled, and the apps pull over the egress path: the first image pull would fail",
            fix: "give the registry a private endpoint the apps' VNet resolves (privatelink.azurecr.io), or allow public access from the egress IP",
          };
        }
        if (properties?.networkRuleSet?.defaultAction === "Deny") {
          return {
            check: "registry",
            subject,
            status: "warn",
            why: "the registry firewall denies by default: allow the stack's egress IP (stack output egressIpAddress) before the first pull",
            fix: `az acr network-rule add --name ${id.split("/").pop() ?? "<registry>"} --ip-address <egressIpAddress>`,
          };
        }
        return { check: "registry", subject, status: "pass", why: "reachable over the egress path (public network access enabled)" };
      } catch (err) {
        return couldNotRun("registry", subject, err);
      }
    }),
  );
