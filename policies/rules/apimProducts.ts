import { finding, Rule } from "./types";
import { effective, get, isFalse, isTrue, noteImplicit, resourceRule, str } from "./util";

/**
 * API Management products: who may call the APIs a product groups, and whether the sample products a new
 * service starts with are still around. Learn: https://learn.microsoft.com/azure/api-management/api-management-howto-add-products.
 */

const PRODUCT = ["azure-native:apimanagement:Product"];

export const apimProductSubscriptionRequired = resourceRule({
  name: "azure-apim-product-subscription-required",
  description: "API Management products must require a subscription; an open product lets anyone call its APIs without a key.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["excessive-permissions"],
  remediation:
    "Leave subscriptionRequired unset (true by default) or set it to true. MCP APIs that authenticate with Entra tokens need no product at all (https://learn.microsoft.com/azure/api-management/api-management-howto-add-products).",
  psrule: ["Azure.APIM.ProductSubscription"],
  types: PRODUCT,
  validate: (props, args, report) => {
    const e = effective(props, args.type, "subscriptionRequired");
    if (isFalse(e.value)) report("subscriptionRequired is false; the product's APIs can be called without a subscription key.");
    else noteImplicit(args, report, "subscriptionRequired", e);
  },
});

export const apimProductApprovalRequired = resourceRule({
  name: "azure-apim-product-approval-required",
  description: "API Management products that require a subscription should require an administrator to approve each one.",
  enforcementLevel: "advisory",
  severity: "low",
  risks: ["excessive-permissions"],
  remediation: "Set approvalRequired to true (unset, new subscriptions are approved automatically).",
  psrule: ["Azure.APIM.ProductApproval"],
  types: PRODUCT,
  validate: (props, args, report) => {
    if (isFalse(effective(props, args.type, "subscriptionRequired").value)) return;
    const e = effective(props, args.type, "approvalRequired");
    if (!isTrue(e.value)) report(`approvalRequired is ${e.implicit ? "not set (Azure approves subscriptions automatically)" : JSON.stringify(e.value)}; it must be true.`);
  },
});

/** The products Azure creates with a new Developer, Basic, Standard or Premium service. */
export const SAMPLE_PRODUCTS = ["starter", "unlimited"];

export const apimNoSampleProducts = resourceRule({
  name: "azure-apim-no-sample-products",
  description: "The sample products Starter and Unlimited (created with a new service, Unlimited with no rate limit) must be removed, not managed.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["excessive-permissions"],
  remediation: "Delete the Starter and Unlimited products and define products of your own (https://learn.microsoft.com/azure/api-management/api-management-howto-add-products).",
  psrule: ["Azure.APIM.SampleProducts"],
  types: PRODUCT,
  validate: (props, _args, report) => {
    const ids = [str(get(props, "productId")), str(get(props, "displayName"))].filter((i): i is string => i !== undefined);
    const sample = ids.find((i) => SAMPLE_PRODUCTS.includes(i.trim().toLowerCase()));
    if (sample !== undefined) report(finding(sample, `The product ${JSON.stringify(sample)} is a sample product.`));
  },
});

export const apimProductRules: Rule[] = [apimProductSubscriptionRequired, apimProductApprovalRequired, apimNoSampleProducts];
