import { armErrorMessage } from "../rest";
import { Check, CheckResult, couldNotRun } from "../result";

/** Providers - Get (Microsoft.Resources, api-version 2021-04-01): `registrationState` per namespace. */
const RESOURCES_API = "2021-04-01";

/**
 * Every resource provider the plan writes to must be registered in the subscription: ARM does not
 * register them on first use for a deployment that names the provider (Learn: "Azure resource providers
 * and types", "Register resource provider"). Registering needs `<namespace>/register/action` at the
 * subscription, which Contributor has.
 */
export const checkProviders: Check = async ({ rest, needs }) => {
  const results = await Promise.all(
    needs.providers.map(async (namespace): Promise<CheckResult> => {
      const fix = `az provider register --namespace ${namespace} --subscription ${needs.subscriptionId} --wait`;
      try {
        const response = await rest.arm("GET", `/subscriptions/${needs.subscriptionId}/providers/${namespace}`, RESOURCES_API);
        if (response.status !== 200) {
          return { check: "provider", subject: namespace, status: "unknown", why: `could not read the registration: ${armErrorMessage(response)}`, fix };
        }
        const state = (response.body as { registrationState?: unknown } | undefined)?.registrationState;
        if (state === "Registered") return { check: "provider", subject: namespace, status: "pass", why: "registered" };
        const why =
          state === "Registering"
            ? "still registering (usually a few minutes); deploying now fails on its first resource"
            : `not registered (state ${typeof state === "string" ? state : "missing"}); the first resource of this provider would fail`;
        return { check: "provider", subject: namespace, status: "fail", why, fix };
      } catch (err) {
        return couldNotRun("provider", namespace, err);
      }
    }),
  );
  return results;
};
