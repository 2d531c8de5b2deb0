import * as pulumi from "@pulumi/pulumi";
import { SettingError } from "../shared/settingError";
import * as monitor from "@pulumi/azure-native/monitor";
import { OPERATOR_QUERIES, OperatorQueryName } from "./queries";
import { PlacementArgs } from "../shared/types";

/**
 * One log alert: it fires when its query returns more than `threshold` rows in a window. Counting rows (rather than
 * a measure column) keeps each rule's meaning readable from its query alone.
 */
export interface AlertRuleDefinition {
  readonly query: OperatorQueryName;
  readonly displayName: string;
  /** 0 (critical) .. 4 (verbose). */
  readonly severity: 0 | 1 | 2 | 3 | 4;
  /** ISO 8601: how often the rule runs. */
  readonly evaluationFrequency: string;
  /** ISO 8601: how far back each run looks. */
  readonly windowSize: string;
  /** Fires when the query returns more rows than this. */
  readonly threshold: number;
  readonly description: string;
}

/**
 * The rules every platform gets. Severities: a security control being hit by an attack or a changed server is 1;
 * availability and noise that may be an attack are 2. Thresholds are starting points; tune them per stack.
 */
export const ALERT_RULES: Readonly<Record<string, AlertRuleDefinition>> = {
  "refusal-rate": {
    query: "refusalRateSpike",
    displayName: "MCP gateway: refusal-rate spike",
    severity: 2,
    evaluationFrequency: "PT15M",
    windowSize: "PT15M",
    threshold: 0,
    description: "A server refused more than 20% of at least 20 requests in 15 minutes: a broken client rollout, a changed scope, or probing.",
  },
  "prompt-shields": {
    query: "promptShieldBlocks",
    displayName: "MCP gateway: Prompt Shields blocked content",
    severity: 1,
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    threshold: 0,
    description: "Prompt Shields found an injection attempt in a tool call or in a server's tool definitions.",
  },
  "tool-drift": {
    query: "toolDrift",
    displayName: "MCP gateway: tool definitions drifted",
    severity: 1,
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    threshold: 0,
    description: "A server's tools/list no longer matches the approved tool definitions (possible rug pull or unreviewed release).",
  },
  "backend-5xx": {
    query: "backend5xx",
    displayName: "MCP gateway: backend server errors",
    severity: 2,
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    threshold: 10,
    description: "More than 10 backend answers with status 5xx in 5 minutes.",
  },
  "unauthorized-storm": {
    query: "unauthorizedStorm",
    displayName: "MCP gateway: 401 storm",
    severity: 2,
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    threshold: 100,
    description: "More than 100 requests refused with 401 in 5 minutes: expired client credentials, a wrong audience, or token guessing.",
  },
};

export interface McpAlertsArgs extends PlacementArgs {
  /** Required. ARM id of the Log Analytics workspace the gateway and Application Insights write to. */
  readonly workspaceId: pulumi.Input<string>;
  /** Optional. Action group (ARM id) every rule notifies. Without it the alerts show in Azure Monitor only. */
  readonly actionGroupId?: pulumi.Input<string>;
  /** Optional. Prefix of the rules' Azure names. @default the component name */
  readonly ruleNamePrefix?: string;
}

const ACTION_GROUP_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/microsoft\.insights\/actionGroups\/[^/]+$/i;

/** Throws unless `id` is the ARM id of an action group. */
export function validateActionGroupId(id: string): void {
  if (!ACTION_GROUP_ID.test(id)) {
    throw new SettingError({
      field: ["actionGroupId"],
      problem: `${JSON.stringify(id)} is not an action group id`,
      fix: "use /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Insights/actionGroups/<name>, or leave it out",
    });
  }
}

/** Scheduled query (log) alert rules on the workspace, one per `ALERT_RULES` entry, enabled. */
export class McpAlerts extends pulumi.ComponentResource {
  public readonly rules: Readonly<Record<string, monitor.ScheduledQueryRule>>;

  constructor(name: string, args: McpAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    if (typeof args.actionGroupId === "string") validateActionGroupId(args.actionGroupId); // before registering
    super("hardened-mcp:azure:McpAlerts", name, {}, opts);
    const prefix = args.ruleNamePrefix ?? name;
    const rules: Record<string, monitor.ScheduledQueryRule> = {};
    for (const [key, rule] of Object.entries(ALERT_RULES)) {
      rules[key] = new monitor.ScheduledQueryRule(
        `${name}-${key}`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: args.tags,
          ruleName: `${prefix}-${key}`,
          displayName: rule.displayName,
          description: rule.description,
          kind: "LogAlert",
          enabled: true,
          severity: rule.severity,
          scopes: [args.workspaceId],
          evaluationFrequency: rule.evaluationFrequency,
          windowSize: rule.windowSize,
          criteria: {
            allOf: [
              {
                query: OPERATOR_QUERIES[rule.query].kql,
                timeAggregation: "Count",
                operator: "GreaterThan",
                threshold: rule.threshold,
                failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
              },
            ],
          },
          // Resolve on their own once the condition clears, so a page means "still happening".
          autoMitigate: true,
          ...(args.actionGroupId !== undefined ? { actions: { actionGroups: [args.actionGroupId] } } : {}),
        },
        { parent: this },
      );
    }
    this.rules = rules;
    this.registerOutputs({});
  }
}
