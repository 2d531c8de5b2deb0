import { Rule } from "./types";
import { requireValue, resourceRule } from "./util";

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

export const monitoringRules: Rule[] = [monitorWorkspaceLocalAuthDisabled, monitorAppInsightsLocalAuthDisabled];
