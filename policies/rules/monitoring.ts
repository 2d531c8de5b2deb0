import { finding, Rule } from "./types";
import { collectStrings, get, ofTypes, peek, refersTo, requireValue, resourceRule, stackRule } from "./util";

export const monitorWorkspaceLocalAuthDisabled = resourceRule({
  name: "azure-monitor-workspace-local-auth-disabled",
  description: "Log Analytics workspaces must block ingestion and queries authenticated with the shared workspace key.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["monitoring"],
  remediation: "Set features.disableLocalAuth to true; send logs with diagnostic settings or Entra-authenticated agents.",
  azurePolicy: [
    { name: "Log Analytics Workspaces should block non-Azure Active Directory based ingestion.", id: "e15effd4-2278-4c65-a0da-4d6f6d1890e2" },
  ],
  types: ["azure-native:operationalinsights:Workspace"],
  validate: requireValue("features.disableLocalAuth", true),
});

export const monitorAppInsightsLocalAuthDisabled = resourceRule({
  name: "azure-monitor-appinsights-local-auth-disabled",
  description: "Application Insights components must accept telemetry authenticated with Entra ID only.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["monitoring"],
  remediation: "Set disableLocalAuth to true and grant Monitoring Metrics Publisher to the sending identity.",
  azurePolicy: [
    { name: "Application Insights components should block non-Azure Active Directory based ingestion.", id: "199d5677-e4d9-4264-9465-efe1839c06bd" },
  ],
  types: ["azure-native:applicationinsights:Component", "azure-native:insights:Component"],
  validate: requireValue("disableLocalAuth", true),
});

const LOG_ALERT_RULE = ["azure-native:monitor:ScheduledQueryRule", "azure-native:insights:ScheduledQueryRule"];
const GATEWAY = ["azure-native:apimanagement:ApiManagementService"];
const WORKSPACE = ["azure-native:operationalinsights:Workspace"];
const DIAGNOSTIC_SETTINGS = ["azure-native:monitor:DiagnosticSetting", "azure-native:insights:DiagnosticSetting"];

/**
 * The gateway's audit trace, metrics and logs only help if someone is told when they show an attack or an outage:
 * a stack that publishes MCP servers through API Management must have at least one enabled log search alert rule
 * (scheduled query rule) on the workspace the gateway logs to. The kit's platform creates five
 * (infra/monitoring/alerts.ts); `monitoring.alerts: false` leaves them out, and this rule is how a review sees it.
 * Advisory: a stack whose alerting lives in another stack (a central SOC workspace) exempts it with that reason.
 */
export const monitorGatewayAlertRules: Rule = stackRule({
  name: "azure-monitor-gateway-alert-rules",
  description: "A stack with an API Management gateway should have an enabled log search alert rule on the workspace the gateway logs to.",
  enforcementLevel: "advisory",
  severity: "medium",
  risks: ["monitoring"],
  remediation:
    "Keep the platform's monitoring.alerts at its default (true), or add a monitor.ScheduledQueryRule (kind LogAlert, enabled) whose scopes include the gateway's Log Analytics workspace; exempt the finding when another stack's alert rules cover that workspace.",
  validate: (args, report) => {
    const gateways = ofTypes(args.resources, GATEWAY);
    if (gateways.length === 0) return;
    const rules = ofTypes(args.resources, LOG_ALERT_RULE).filter((r) => get(r.props, "enabled") !== false);
    const workspaces = ofTypes(args.resources, WORKSPACE);
    const settings = ofTypes(args.resources, DIAGNOSTIC_SETTINGS);
    for (const gateway of gateways) {
      // The workspaces the gateway's diagnostic settings write to; without one, any workspace of the stack.
      const gatewaySettings = settings.filter((s) => refersTo(s, "resourceUri", gateway));
      const own = workspaces.filter((w) => gatewaySettings.some((s) => refersTo(s, "workspaceId", w)));
      // A workspace the stack does not create (an existing one) is known only by the id the setting names.
      const namedIds = new Set(gatewaySettings.flatMap((s) => collectStrings(peek(s.props, "workspaceId"))).map((id) => id.toLowerCase()));
      const watchesNamed = rules.some((r) => collectStrings(peek(r.props, "scopes")).some((scope) => namedIds.has(scope.toLowerCase())));
      const watched = watchesNamed || (own.length > 0 ? own : workspaces).some((w) => rules.some((r) => refersTo(r, "scopes", w)));
      if (!watched) report(finding("NoAlertRule", "No enabled log search alert rule watches the workspace the gateway logs to: refusal spikes, Prompt Shields blocks and tool drift page nobody."), gateway.urn);
    }
  },
});

export const monitoringRules: Rule[] = [monitorWorkspaceLocalAuthDisabled, monitorAppInsightsLocalAuthDisabled, monitorGatewayAlertRules];
