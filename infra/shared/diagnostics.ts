import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";

export interface DiagnosticsArgs {
  /** Required. The resource whose logs and metrics are exported (its ARM id). */
  readonly resourceId: pulumi.Input<string>;
  /** Required. The Log Analytics workspace that receives them (its ARM id). */
  readonly workspaceId: pulumi.Input<string>;
  /**
   * Optional. Log category groups to export.
   * @default ["allLogs"]
   */
  readonly logCategoryGroups?: string[];
  /**
   * Optional. Export `AllMetrics` too. Some resource types (NSGs, VNets' peers) have no metrics.
   * @default true
   */
  readonly metrics?: boolean;
}

/**
 * The one helper every component uses to send a resource's logs and metrics to the workspace.
 * Resource-specific tables (`Dedicated`) keep queries cheap and schemas typed.
 */
export function attachDiagnostics(
  name: string,
  args: DiagnosticsArgs,
  opts: pulumi.CustomResourceOptions,
): monitor.DiagnosticSetting {
  const groups = args.logCategoryGroups ?? ["allLogs"];
  return new monitor.DiagnosticSetting(
    `${name}-diag`,
    {
      name: "to-log-analytics",
      resourceUri: args.resourceId,
      workspaceId: args.workspaceId,
      logAnalyticsDestinationType: "Dedicated",
      logs: groups.map((categoryGroup) => ({ categoryGroup, enabled: true })),
      metrics: args.metrics === false ? [] : [{ category: "AllMetrics", enabled: true }],
    },
    opts,
  );
}
