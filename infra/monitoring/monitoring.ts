import * as pulumi from "@pulumi/pulumi";
import { SettingError, SettingProblem, throwIfProblems } from "../shared/settingError";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { knownArmId, subscriptionIdOf } from "../shared/armIds";
import { ScopedGrants } from "../identity/grants";
import { attachDiagnostics } from "../shared/diagnostics";
import { BuiltInRoles } from "../../baseline/roles";
import { BroughtValue, broughtProblems, checkedBrought } from "../shared/existingResource";
import { Grantee, PlacementArgs } from "../shared/types";

export type NetworkAccess = "Enabled" | "Disabled";

/**
 * Public network access of the workspace and the Application Insights component. The kit has no
 * Azure Monitor Private Link Scope, so the defaults are the most closed settings that still work:
 * - workspace ingestion `Disabled`: diagnostic settings deliver over Azure's backbone and are not
 *   affected; nothing in the kit sends to the workspace's public ingestion endpoints.
 * - Application Insights ingestion `Enabled`: the gateway and MCP servers send telemetry to the
 *   public ingestion endpoint; `disableLocalAuth` means only Entra-authenticated telemetry (from
 *   principals granted Monitoring Metrics Publisher) is accepted, so the connection string is no
 *   credential.
 * - query `Enabled` on both: operators query from the portal; Entra ID and resource-context RBAC
 *   still decide who sees what. Set `Disabled` once an AMPLS reaches your operators' networks.
 */
export interface MonitoringNetworkAccess {
  /** @default "Disabled" */
  readonly workspaceIngestion?: NetworkAccess;
  /** @default "Enabled" */
  readonly workspaceQuery?: NetworkAccess;
  /** @default "Enabled" */
  readonly appInsightsIngestion?: NetworkAccess;
  /** @default "Enabled" */
  readonly appInsightsQuery?: NetworkAccess;
}

export interface MonitoringArgs extends PlacementArgs {
  /**
   * Optional. Log Analytics workspace name.
   * @default auto-named from the component name
   */
  readonly workspaceName?: string;
  /**
   * Optional. Application Insights component name.
   * @default auto-named from the component name
   */
  readonly appInsightsName?: string;
  /**
   * Optional. Days logs are kept (30..730). 90 covers a typical incident-investigation window.
   * @default 90
   */
  readonly retentionInDays?: number;
  /**
   * Optional. Daily ingestion cap in GB; protects the bill from a log flood (and an attacker
   * causing one), at the cost of dropping logs past the cap.
   * @default no cap
   */
  readonly dailyQuotaGb?: number;
  /**
   * Optional. Public network access of ingestion and query (see `MonitoringNetworkAccess`).
   * @default { workspaceIngestion: "Disabled", workspaceQuery: "Enabled", appInsightsIngestion: "Enabled", appInsightsQuery: "Enabled" }
   */
  readonly publicNetworkAccess?: MonitoringNetworkAccess;
  /**
   * Optional. A Log Analytics workspace the kit does not create (a landing zone's central one): every diagnostic
   * setting and the Application Insights component (still the kit's, workspace-based) use it. Its owner keeps its
   * retention, local auth (off), access mode and network access; `workspaceName`, `retentionInDays`,
   * `dailyQuotaGb` and the workspace's `publicNetworkAccess` fields are then refused.
   * @default the component creates the workspace
   */
  readonly existingWorkspace?: { readonly id: pulumi.Input<string> };
}

/** The workspace settings that only a workspace the component creates can take. */
const WORKSPACE_ONLY = ["workspaceName", "retentionInDays", "dailyQuotaGb"] as const;

export interface ResolvedMonitoringSettings {
  readonly retentionInDays: number;
  readonly dailyQuotaGb?: number;
  readonly publicNetworkAccess: Required<MonitoringNetworkAccess>;
}

/** Days the workspace the component creates keeps logs, unless told otherwise: a typical incident-investigation window. */
export const DEFAULT_RETENTION_DAYS = 90;

/** Throws unless `days` is a whole number from 30 to 730 (what PerGB2018 workspaces accept). */
export function validateRetentionDays(days: number): void {
  if (!Number.isInteger(days) || days < 30 || days > 730) {
    throw new SettingError({
      field: ["retentionInDays"],
      problem: `${days} is outside what a PerGB2018 workspace accepts`,
      fix: "use a whole number of days from 30 to 730",
    });
  }
}

/** Throws unless the daily cap is a positive number of GB. */
export function validateDailyQuota(gb: number): void {
  if (!Number.isFinite(gb) || gb <= 0) {
    throw new SettingError({ field: ["dailyQuotaGb"], problem: `${gb} is not a positive number of GB`, fix: "set a cap above 0, or leave it out for no cap" });
  }
}

/** Applies the secure defaults (one place) and validates. */
export function resolveMonitoringDefaults(
  args: Pick<MonitoringArgs, "retentionInDays" | "dailyQuotaGb" | "publicNetworkAccess" | "workspaceName" | "existingWorkspace">,
): ResolvedMonitoringSettings {
  if (args.existingWorkspace) validateExistingWorkspace(args, args.existingWorkspace);
  const retentionInDays = args.retentionInDays ?? DEFAULT_RETENTION_DAYS;
  validateRetentionDays(retentionInDays);
  if (args.dailyQuotaGb !== undefined) validateDailyQuota(args.dailyQuotaGb);
  const access = args.publicNetworkAccess ?? {};
  return {
    retentionInDays,
    dailyQuotaGb: args.dailyQuotaGb,
    publicNetworkAccess: {
      workspaceIngestion: access.workspaceIngestion ?? "Disabled",
      workspaceQuery: access.workspaceQuery ?? "Enabled",
      appInsightsIngestion: access.appInsightsIngestion ?? "Enabled",
      appInsightsQuery: access.appInsightsQuery ?? "Enabled",
    },
  };
}

/** The existing workspace's id, as `existingWorkspace.id` must be. */
function existingWorkspaceValue(existing: { readonly id: pulumi.Input<string> }): BroughtValue {
  return { field: ["existingWorkspace", "id"], value: existing.id, kind: "Microsoft.OperationalInsights/workspaces", fix: "use the workspace's resource id (az monitor log-analytics workspace show --query id)" };
}

/**
 * Throws a `SettingError` for every workspace-only setting next to an existing workspace, and for a malformed
 * workspace id (when it is a plain string). Registers nothing.
 */
export function validateExistingWorkspace(
  args: Pick<MonitoringArgs, (typeof WORKSPACE_ONLY)[number] | "publicNetworkAccess">,
  existing: { readonly id: pulumi.Input<string> },
): void {
  const problems: SettingProblem[] = WORKSPACE_ONLY.filter((key) => args[key] !== undefined).map((key) => ({
    field: [key],
    problem: "is set, but the workspace is an existing one (its owner sets it)",
    fix: "remove it",
  }));
  for (const key of ["workspaceIngestion", "workspaceQuery"] as const) {
    if (args.publicNetworkAccess?.[key] !== undefined) {
      problems.push({ field: ["publicNetworkAccess", key], problem: "is set, but the workspace is an existing one (its owner sets it)", fix: "remove it" });
    }
  }
  problems.push(...broughtProblems([existingWorkspaceValue(existing)]));
  throwIfProblems(problems, "Invalid monitoring arguments");
}

/**
 * Azure Monitor for the platform: a Log Analytics workspace (Entra-only access, resource-context
 * permissions; or an existing one, `existingWorkspace`) that every diagnostic setting targets, and a
 * workspace-based Application Insights component that accepts only Entra-authenticated telemetry.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** The workspace the component created; absent with `existingWorkspace`. */
  public readonly workspace?: operationalinsights.Workspace;
  public readonly appInsights: applicationinsights.Component;
  /** Workspace ARM id: the `workspaceId` of every diagnostic setting. */
  public readonly workspaceId: pulumi.Output<string>;
  /** Workspace GUID (`customerId`), for agents and queries; absent with `existingWorkspace` (its owner has it). */
  public readonly workspaceCustomerId?: pulumi.Output<string>;
  public readonly appInsightsId: pulumi.Output<string>;
  /** Not a credential with local auth disabled: senders also need an Entra token (see `grantMetricsPublisher`). */
  public readonly appInsightsConnectionString: pulumi.Output<string>;
  public readonly settings: ResolvedMonitoringSettings;
  private readonly appInsightsGrants: ScopedGrants;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = resolveMonitoringDefaults(args); // before registering anything
    const existingWorkspaceId = args.existingWorkspace ? checkedBrought([existingWorkspaceValue(args.existingWorkspace)], "Invalid existing workspace")[0] : undefined;
    super("hardened-mcp:azure:Monitoring", name, {}, opts);
    this.settings = settings;
    const placed = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    const arm = { subscriptionId: subscriptionIdOf(this), resourceGroupName: args.resourceGroupName };
    let workspaceResourceId: pulumi.Input<string>;
    if (existingWorkspaceId) {
      // Known at preview when given as a string; nothing of the workspace is the kit's to set or watch.
      this.workspaceId = existingWorkspaceId;
      workspaceResourceId = existingWorkspaceId;
    } else {
      const workspace = this.createWorkspace(name, args, settings);
      this.workspace = workspace;
      // Known during preview (the name is ours), so every diagnostic setting's destination can be judged.
      this.workspaceId = knownArmId(workspace, arm, ["Microsoft.OperationalInsights/workspaces", args.workspaceName]);
      this.workspaceCustomerId = workspace.customerId;
      workspaceResourceId = workspace.id;
      // Who queried what: the workspace's own audit logs (LAQueryLogs) go to itself.
      attachDiagnostics(`${name}-law`, { resourceId: workspace.id, workspaceId: this.workspaceId, logCategoryGroups: ["audit"] }, { parent: this });
    }

    this.appInsights = new applicationinsights.Component(
      `${name}-appi`,
      {
        ...placed,
        resourceName: args.appInsightsName,
        kind: "web",
        applicationType: "web",
        workspaceResourceId,
        ingestionMode: "LogAnalytics",
        disableLocalAuth: true,
        // Keep client IPs masked: telemetry is not the place for personal data.
        disableIpMasking: false,
        publicNetworkAccessForIngestion: settings.publicNetworkAccess.appInsightsIngestion,
        publicNetworkAccessForQuery: settings.publicNetworkAccess.appInsightsQuery,
      },
      { parent: this },
    );
    this.appInsightsId = knownArmId(this.appInsights, arm, ["Microsoft.Insights/components", args.appInsightsName]);
    this.appInsightsConnectionString = this.appInsights.connectionString;
    this.appInsightsGrants = new ScopedGrants(this, name, this.appInsightsId, `Monitoring "${name}"`);

    this.registerOutputs({
      workspaceId: this.workspaceId,
      ...(this.workspaceCustomerId ? { workspaceCustomerId: this.workspaceCustomerId } : {}),
      appInsightsId: this.appInsightsId,
      appInsightsConnectionString: this.appInsightsConnectionString,
    });
  }

  private createWorkspace(name: string, args: MonitoringArgs, settings: ResolvedMonitoringSettings): operationalinsights.Workspace {
    return new operationalinsights.Workspace(
      `${name}-law`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        workspaceName: args.workspaceName,
        sku: { name: "PerGB2018" },
        retentionInDays: settings.retentionInDays,
        features: {
          // Entra ID only: no shared-key ingestion or query.
          disableLocalAuth: true,
          // Readers of a resource see its logs and nothing else.
          enableLogAccessUsingOnlyResourcePermissions: true,
        },
        publicNetworkAccessForIngestion: settings.publicNetworkAccess.workspaceIngestion,
        publicNetworkAccessForQuery: settings.publicNetworkAccess.workspaceQuery,
        ...(settings.dailyQuotaGb !== undefined ? { workspaceCapping: { dailyQuotaGb: settings.dailyQuotaGb } } : {}),
      },
      { parent: this },
    );
  }

  /**
   * Lets `grantee` send Entra-authenticated telemetry to the Application Insights component
   * (Monitoring Metrics Publisher on that component only), e.g. the gateway's logger identity.
   * `name` names the grant; each grantee gets one.
   */
  grantMetricsPublisher(name: string, grantee: Grantee): authorization.RoleAssignment {
    return this.appInsightsGrants.grant(name, BuiltInRoles.MonitoringMetricsPublisher, grantee);
  }
}
