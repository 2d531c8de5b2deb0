import type { Plan } from "../../../testing/mock/plan";
import { parsePlatformConfig } from "../../../infra/config/parse";
import { devRawConfig } from "../../config/fixtures";
import { kitPlan, sharedPlan } from "../../support/plans";
import { readPlan } from "../../../policies/offline/readers";
import { runCheck } from "../../../policies/offline/run";
import { rulesByName } from "../../../policies/rules";

const RULE = "azure-native:monitor:ScheduledQueryRule";
const KEYS = ["backend-5xx", "prompt-shields", "refusal-rate", "tool-drift", "unauthorized-storm"];

let dev: Plan;
let withoutAlerts: Plan;

beforeAll(async () => {
  dev = await kitPlan();
  // Pulumi.dev.yaml with monitoring: { alerts: false } (test/support/planConfigs.ts).
  withoutAlerts = await sharedPlan("alerts-off");
});

describe("the platform's alert rules", () => {
  it("are created by default, enabled, on the platform's workspace, with no action group unless one is set", () => {
    const rules = dev.resources.filter((r) => r.type === RULE);
    expect(rules.map((r) => r.name.replace(/^.*-alerts-/, "")).sort()).toEqual(KEYS);
    const workspace = dev.resources.find((r) => r.type === "azure-native:operationalinsights:Workspace");
    for (const rule of rules) {
      expect(rule.inputs).toMatchObject({ enabled: true, kind: "LogAlert" });
      // The workspace id is built from its name (known at preview), so it also carries the resource group.
      expect(rule.propertyDependencies.scopes).toContain(workspace?.urn);
      expect(rule.inputs.scopes).toEqual([`/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mcp-dev/providers/Microsoft.OperationalInsights/workspaces/${workspace?.inputs.workspaceName}`]);
      expect(rule.inputs.actions).toBeUndefined();
    }
  });

  it("are not created with the monitoring.alerts: false weakening, and nothing else changes", () => {
    expect(withoutAlerts.resources.filter((r) => r.type === RULE)).toEqual([]);
    const others = (p: Plan) => p.resources.filter((r) => r.type !== RULE && r.type !== "hardened-mcp:azure:McpAlerts").map((r) => r.urn).sort();
    expect(others(withoutAlerts)).toEqual(others(dev));
  });

  it("the weakening is visible to the pack: azure-monitor-gateway-alert-rules reports the gateway without it, not with the default", async () => {
    const { planToJson } = await import("../../../testing/mock/plan");
    const rule = [rulesByName.get("azure-monitor-gateway-alert-rules")!];
    const check = (p: Plan) => runCheck(readPlan(JSON.parse(planToJson(p))), rule);
    const weakened = await check(withoutAlerts);
    expect(weakened.violations.map((v) => [v.id, v.enforcementLevel, v.urn?.split("::").pop()])).toEqual([
      ["azure-monitor-gateway-alert-rules[NoAlertRule]", "advisory", "mcp-gateway"],
    ]);
    const dflt = await check(dev);
    expect({ violations: dflt.violations, deferred: dflt.deferred }).toEqual({ violations: [], deferred: [] });
  });

  it("reads the action group and the weakening from config, and refuses an id that is not an action group's", () => {
    const context = { project: "hardened-mcp", stack: "dev" };
    const agId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.Insights/actionGroups/ag-oncall";
    const on = parsePlatformConfig({ ...devRawConfig(), monitoring: { actionGroupId: agId } }, context);
    expect(on.monitoring).toEqual({ retentionInDays: 90, alerts: true, actionGroupId: agId });
    expect(parsePlatformConfig(devRawConfig(), context).monitoring).toEqual({ retentionInDays: 90, alerts: true });
    expect(() => parsePlatformConfig({ ...devRawConfig(), monitoring: { actionGroupId: "ag-oncall" } }, context)).toThrow(/monitoring\.actionGroupId/);
  });
});
