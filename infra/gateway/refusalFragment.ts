import { APIM_API_VERSION } from "../../baseline/apim";
import * as pulumi from "@pulumi/pulumi";
import { after } from "../shared/armIds";
import * as resources from "@pulumi/azure-native/resources";
import { buildRefusalFragment, REFUSAL_FRAGMENT_ID, resolveMetricNamespace } from "./policy";

export interface McpRefusalFragmentArgs {
  /** Required. Resource group of the API Management service. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Required. Name of the API Management service. */
  readonly serviceName: pulumi.Input<string>;
  /**
   * Optional. Namespace of the audit metric refusals emit; every `McpServerApi` on the service must use the same
   * (emit-metric takes no expression there).
   * @default "hardened-mcp"
   */
  readonly metricNamespace?: string;
}

/** API Management's API version the fragment is written with (the one the pinned azure-native uses for APIM). */
export const POLICY_FRAGMENT_API_VERSION = APIM_API_VERSION;

/**
 * The service-level policy fragment (`mcp-refusal`) every refusal of every MCP API includes: the audit record
 * and the JSON-RPC-shaped answer with the security headers, written once per API Management service. Pass it
 * to each `McpServerApi` (`refusalFragment`), whose policy is saved after it.
 *
 * Written through the generic ARM resource, not `apimanagement.PolicyFragment`: that class names the fragment
 * with an input called `id`, which the Pulumi SDKs reserve and drop, so the provider refuses it
 * (pulumi/pulumi-azure-native#2664). The generic resource PUTs the same
 * `Microsoft.ApiManagement/service/policyFragments` body under an explicit name.
 */
export class McpRefusalFragment extends pulumi.ComponentResource {
  /** The fragment's name in the service, which API policies include (`<include-fragment fragment-id="..."/>`). */
  public readonly fragmentId: pulumi.Output<string>;
  /** The audit metric namespace the fragment was built with. */
  public readonly metricNamespace: string;
  /** ARM id of the fragment. */
  public readonly fragmentResourceId: pulumi.Output<string>;

  constructor(name: string, args: McpRefusalFragmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:McpRefusalFragment", name, {}, opts);
    this.metricNamespace = resolveMetricNamespace(args.metricNamespace);
    const fragment = new resources.Resource(
      `${name}-fragment`,
      {
        resourceGroupName: args.resourceGroupName,
        resourceProviderNamespace: "Microsoft.ApiManagement",
        parentResourcePath: pulumi.interpolate`service/${args.serviceName}`,
        resourceType: "policyFragments",
        resourceName: REFUSAL_FRAGMENT_ID,
        apiVersion: POLICY_FRAGMENT_API_VERSION,
        properties: {
          description: "Audit record and JSON-RPC refusal shared by every MCP API policy (hardened-mcp).",
          // Same reason as the API policies: xmlbuilder2 writes well-formed XML with expressions entity-encoded.
          format: "xml",
          value: buildRefusalFragment(this.metricNamespace),
        },
      },
      { parent: this },
    );
    // Known during preview (the name is ours), so the API policies that include it are known; waits for it.
    this.fragmentId = after(fragment, REFUSAL_FRAGMENT_ID);
    this.fragmentResourceId = fragment.id;
    this.registerOutputs({ fragmentId: this.fragmentId, fragmentResourceId: this.fragmentResourceId });
  }
}
