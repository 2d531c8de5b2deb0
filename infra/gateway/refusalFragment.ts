import * as pulumi from "@pulumi/pulumi";
import * as apimanagement from "@pulumi/azure-native/apimanagement";
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

/**
 * The service-level policy fragment (`mcp-refusal`) every refusal of every MCP API includes: the audit record
 * and the JSON-RPC-shaped answer with the security headers, written once per API Management service. Pass it
 * to each `McpServerApi` (`refusalFragment`), whose policy is saved after it.
 */
export class McpRefusalFragment extends pulumi.ComponentResource {
  /**
   * The fragment's name in the service, which API policies include (`<include-fragment fragment-id="..."/>`).
   * Taken from the resource, not assumed: the Pulumi SDKs reserve an input named `id`, which is how
   * azure-native's PolicyFragment names the fragment (pulumi/pulumi-azure-native#2664).
   */
  public readonly fragmentId: pulumi.Output<string>;
  /** The audit metric namespace the fragment was built with. */
  public readonly metricNamespace: string;
  /** ARM id of the fragment. */
  public readonly fragmentResourceId: pulumi.Output<string>;

  constructor(name: string, args: McpRefusalFragmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:McpRefusalFragment", name, {}, opts);
    this.metricNamespace = resolveMetricNamespace(args.metricNamespace);
    const fragment = new apimanagement.PolicyFragment(
      `${name}-fragment`,
      {
        resourceGroupName: args.resourceGroupName,
        serviceName: args.serviceName,
        id: REFUSAL_FRAGMENT_ID,
        description: "Audit record and JSON-RPC refusal shared by every MCP API policy (hardened-mcp).",
        // Same reason as the API policies: xmlbuilder2 writes well-formed XML with expressions entity-encoded.
        format: "xml",
        value: buildRefusalFragment(this.metricNamespace),
      },
      { parent: this },
    );
    this.fragmentId = fragment.name;
    this.fragmentResourceId = fragment.id;
    this.registerOutputs({ fragmentId: this.fragmentId, fragmentResourceId: this.fragmentResourceId });
  }
}
