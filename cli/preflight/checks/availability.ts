import { PROMPT_SHIELDS_REGIONS } from "../../../infra/contentsafety/contentSafety";
import { armErrorMessage } from "../rest";
import { Check, couldNotRun, sameRegion } from "../result";

/** Resource Skus - List (Microsoft.CognitiveServices 2023-05-01); Api Management Skus - List (2024-05-01). */
const COGNITIVE_API = "2023-05-01";
const APIM_API = "2024-05-01";

interface ResourceSku {
  readonly resourceType?: string;
  readonly name?: string;
  readonly kind?: string;
  readonly locations?: readonly string[];
  readonly capacity?: { readonly maximum?: number };
  readonly restrictions?: readonly { readonly type?: string; readonly values?: readonly string[]; readonly reasonCode?: string }[];
}

function skus(body: unknown): ResourceSku[] | undefined {
  const value = (body as { value?: unknown } | undefined)?.value;
  return Array.isArray(value) ? (value as ResourceSku[]) : undefined;
}

/** A location restriction (`NotAvailableForSubscription`, `QuotaId`) on this region, if any. */
function restrictionIn(sku: ResourceSku, region: string): string | undefined {
  const hit = (sku.restrictions ?? []).find((r) => r.type === "Location" && (r.values ?? []).some((v) => sameRegion(v, region)));
  return hit ? (hit.reasonCode ?? "restricted") : undefined;
}

/**
 * Prompt Shields needs a Content Safety account in a region that offers it: the documented region list
 * (the same list the component enforces) and the subscription's SKU list for kind ContentSafety in that
 * region, so a region closed to this subscription shows here, not at `pulumi up`.
 */
export const checkPromptShields: Check = async ({ rest, needs }) => {
  const target = needs.contentSafety;
  if (!target) return [{ check: "prompt-shields", subject: "Content Safety", status: "pass", why: "contentSafety.enabled is false: no account is created" }];
  const subject = `Content Safety in ${target.location}`;
  if (!PROMPT_SHIELDS_REGIONS.some((r) => sameRegion(r, target.location))) {
    return [
      {
        check: "prompt-shields",
        subject,
        status: "fail",
        why: "Prompt Shields is not offered in this region",
        fix: `set hardened-mcp:contentSafety.location to one of ${PROMPT_SHIELDS_REGIONS.join(", ")}`,
      },
    ];
  }
  try {
    const response = await rest.arm("GET", `/subscriptions/${needs.subscriptionId}/providers/Microsoft.CognitiveServices/skus`, COGNITIVE_API);
    const list = response.status === 200 ? skus(response.body) : undefined;
    if (!list) return [{ check: "prompt-shields", subject, status: "unknown", why: `could not read the Cognitive Services SKUs: ${armErrorMessage(response)}` }];
    const offered = list.filter((s) => s.kind?.toLowerCase() === "contentsafety" && (s.locations ?? []).some((l) => sameRegion(l, target.location)));
    const open = offered.find((s) => restrictionIn(s, target.location) === undefined);
    if (open) return [{ check: "prompt-shields", subject, status: "pass", why: `kind ContentSafety, SKU ${open.name ?? "?"} offered to this subscription` }];
    const why = offered.length > 0 ? `ContentSafety is restricted here for this subscription (${restrictionIn(offered[0], target.location)})` : "no ContentSafety SKU is offered to this subscription in this region";
    return [{ check: "prompt-shields", subject, status: "fail", why, fix: `set hardened-mcp:contentSafety.location to another of ${PROMPT_SHIELDS_REGIONS.join(", ")}` }];
  } catch (err) {
    return [couldNotRun("prompt-shields", subject, err)];
  }
};

/**
 * The gateway tier must be offered in the region to this subscription with room for the configured
 * units. API Management has no usage/quota API; its SKU list carries the availability, the restrictions
 * (`NotAvailableForSubscription`, `QuotaId`) and each tier's maximum capacity.
 */
export const checkGatewaySku: Check = async ({ rest, needs }) => {
  const { sku, capacity } = needs.gateway;
  const subject = `${sku} x${capacity} in ${needs.location}`;
  try {
    const response = await rest.arm("GET", `/subscriptions/${needs.subscriptionId}/providers/Microsoft.ApiManagement/skus`, APIM_API);
    const list = response.status === 200 ? skus(response.body) : undefined;
    if (!list) return [{ check: "gateway-sku", subject, status: "unknown", why: `could not read the API Management SKUs: ${armErrorMessage(response)}` }];
    const entries = list.filter((s) => s.name === sku && (s.locations ?? []).some((l) => sameRegion(l, needs.location)));
    if (entries.length === 0) {
      return [{ check: "gateway-sku", subject, status: "fail", why: `${sku} is not offered in ${needs.location} to this subscription`, fix: "choose another region (location) or tier (gateway.sku)" }];
    }
    const restricted = entries.map((e) => restrictionIn(e, needs.location)).find((r) => r !== undefined);
    if (restricted) {
      return [{ check: "gateway-sku", subject, status: "fail", why: `${sku} is restricted in ${needs.location} (${restricted})`, fix: "request access through a support request, or choose another region or tier" }];
    }
    const maximum = Math.max(...entries.map((e) => e.capacity?.maximum ?? Number.POSITIVE_INFINITY));
    if (capacity > maximum) {
      return [{ check: "gateway-sku", subject, status: "fail", why: `${capacity} units exceed the tier's maximum of ${maximum}`, fix: `set hardened-mcp:gateway.capacity to at most ${maximum}` }];
    }
    return [{ check: "gateway-sku", subject, status: "pass", why: "offered, unrestricted, capacity within the maximum" }];
  } catch (err) {
    return [couldNotRun("gateway-sku", subject, err)];
  }
};
