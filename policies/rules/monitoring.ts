import { Rule } from "./types";
import { requireValue, resourceRule } from "./util";

export const monitorWorkspaceLocalAuthDisabled = resourceRule({
  name: "azure-monitor-workspace-local-auth-disabled",
  description: "Log Analytics workspaces must block ingestion and queries authenticated with the shared workspace key.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["monitoring"],
  remediation: "Set features.disableLocalAuth to true; send logs with diagnostic settings or Entra-authenticated agents.",
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
  types: ["azure-native:applicationinsights:Component", "azure-native:insights:Component"],
  validate: requireValue("disableLocalAuth", true),
});

export const monitoringRules: Rule[] = [monitorWorkspaceLocalAuthDisabled, monitorAppInsightsLocalAuthDisabled];
