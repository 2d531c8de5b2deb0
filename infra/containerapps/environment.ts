import * as pulumi from "@pulumi/pulumi";
import * as app from "@pulumi/azure-native/app";
import { attachDiagnostics } from "../shared/diagnostics";
import { PlacementArgs } from "../shared/types";

export interface McpContainerAppsEnvironmentArgs extends PlacementArgs {
  /**
   * Required. The subnet the environment's infrastructure lives in (its ARM id). A workload-profiles
   * environment needs a subnet delegated to `Microsoft.App/environments`, /27 or larger, used by nothing else.
   */
  readonly infrastructureSubnetId: pulumi.Input<string>;
  /** Required. The Log Analytics workspace (ARM id) that receives console and system logs. */
  readonly workspaceId: pulumi.Input<string>;
  /**
   * Optional. The environment's name.
   * @default the component name
   */
  readonly environmentName?: pulumi.Input<string>;
  /**
   * Optional. Spread replicas across availability zones. Needs a region with zones; cannot be changed
   * after creation.
   * @default false
   */
  readonly zoneRedundant?: boolean;
}

/** The environment's settings with every default applied. */
export interface ResolvedEnvironmentSettings {
  readonly environmentName: pulumi.Input<string>;
  readonly zoneRedundant: boolean;
}

/** The one place the environment's defaults are applied. */
export function resolveEnvironmentDefaults(name: string, args: McpContainerAppsEnvironmentArgs): ResolvedEnvironmentSettings {
  return {
    environmentName: args.environmentName ?? name,
    zoneRedundant: args.zoneRedundant ?? false,
  };
}

/**
 * The Container Apps environment every MCP server runs in: on the VNet behind an internal load balancer
 * only (no public IP, public network access disabled), the built-in Consumption workload profile, traffic
 * between replicas encrypted, and logs sent to Azure Monitor through a diagnostic setting, so no
 * workspace shared key is ever handed to the environment.
 *
 * Apps in it resolve as `<app>.<defaultDomain>` to `staticIp`; the caller creates the private DNS zone
 * `defaultDomain` with a wildcard A record to `staticIp`, linked to the VNet.
 */
export class McpContainerAppsEnvironment extends pulumi.ComponentResource {
  readonly environment: app.ManagedEnvironment;
  /** ARM id of the environment. */
  readonly id: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  /** DNS suffix of the environment's apps, e.g. `happy-river-1234.westeurope.azurecontainerapps.io`. */
  readonly defaultDomain: pulumi.Output<string>;
  /** Private IP of the environment's internal load balancer. */
  readonly staticIp: pulumi.Output<string>;

  constructor(name: string, args: McpContainerAppsEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hardened-mcp:azure:McpContainerAppsEnvironment", name, {}, opts);
    const settings = resolveEnvironmentDefaults(name, args);

    this.environment = new app.ManagedEnvironment(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        environmentName: settings.environmentName,
        vnetConfiguration: { infrastructureSubnetId: args.infrastructureSubnetId, internal: true },
        publicNetworkAccess: "Disabled",
        workloadProfiles: [{ name: "Consumption", workloadProfileType: "Consumption" }],
        // "azure-monitor" routes logs through diagnostic settings; "log-analytics" would need the shared key.
        appLogsConfiguration: { destination: "azure-monitor" },
        peerTrafficConfiguration: { encryption: { enabled: true } },
        zoneRedundant: settings.zoneRedundant,
      },
      { parent: this },
    );

    attachDiagnostics(name, { resourceId: this.environment.id, workspaceId: args.workspaceId }, { parent: this });

    this.id = this.environment.id;
    this.name = this.environment.name;
    this.resourceGroupName = pulumi.output(args.resourceGroupName);
    this.defaultDomain = this.environment.defaultDomain;
    this.staticIp = this.environment.staticIp;
    this.registerOutputs({
      id: this.id,
      name: this.name,
      defaultDomain: this.defaultDomain,
      staticIp: this.staticIp,
    });
  }
}
