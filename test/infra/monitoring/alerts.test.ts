import { MockRuntime } from "../../../testing/mock/mockRuntime";
import { validateActionGroupId } from "../../../infra/monitoring/alerts";
import { RG, WORKSPACE } from "../shared/fixtures";

const RULE = "azure-native:monitor:ScheduledQueryRule";
const ACTION_GROUP = `${RG}/providers/Microsoft.Insights/actionGroups/ag-oncall`;

// The queries as the gateway's writes require them (pinned, not imported: a change here is a change in what pages).
const AUDIT = `AppTraces
| where Message has "mcp.gateway.request"
| extend r = parse_json(Message)
| where tostring(r.event) == "mcp.gateway.request"
| extend server = tostring(r.server), decision = tostring(r.decision), status = toint(r.status)`;
const EXPECTED: Record<string, { severity: number; frequency: string; window: string; threshold: number; query: string }> = {
  "refusal-rate": {
    severity: 2,
    frequency: "PT15M",
    window: "PT15M",
    threshold: 0,
    query: `${AUDIT}
| summarize total = count(), refused = countif(decision startswith "deny:") by server
| extend refusalPercent = round(100.0 * refused / total, 1)
| where total >= 20 and refusalPercent > 20`,
  },
  "prompt-shields": {
    severity: 1,
    frequency: "PT5M",
    window: "PT5M",
    threshold: 0,
    query: `${AUDIT}
| where decision in ("deny:prompt-shield", "deny:tool-definition-shield")
| project TimeGenerated, server, decision, caller = tostring(r.caller), clientApp = tostring(r.clientApp), tool = tostring(r.tool), requestId = tostring(r.requestId)`,
  },
  "tool-drift": {
    severity: 1,
    frequency: "PT5M",
    window: "PT5M",
    threshold: 0,
    query: `AppMetrics
| where Name == "mcp-tool-drift"
| extend server = tostring(Properties.server), handling = tostring(Properties.handling)
| summarize driftedTools = sum(Sum), events = sum(ItemCount) by server, handling`,
  },
  "backend-5xx": {
    severity: 2,
    frequency: "PT5M",
    window: "PT5M",
    threshold: 10,
    query: `ApiManagementGatewayLogs
| where BackendResponseCode >= 500
| project TimeGenerated, ApiId, OperationId, BackendResponseCode, ResponseCode, BackendTime, CorrelationId`,
  },
  "unauthorized-storm": {
    severity: 2,
    frequency: "PT5M",
    window: "PT5M",
    threshold: 100,
    query: `ApiManagementGatewayLogs
| where ResponseCode == 401
| project TimeGenerated, ApiId, CallerIpAddress, Url, CorrelationId`,
  },
};

let runtime: MockRuntime;
let alerts: typeof import("../../../infra/monitoring/alerts");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "alerts" });
  alerts = await import("../../../infra/monitoring/alerts");
  new alerts.McpAlerts("quiet", { resourceGroupName: "rg-mcp", location: "swedencentral", workspaceId: WORKSPACE });
  new alerts.McpAlerts("paged", { resourceGroupName: "rg-mcp", location: "swedencentral", workspaceId: WORKSPACE, actionGroupId: ACTION_GROUP });
  await runtime.settle();
});

describe("McpAlerts", () => {
  it("creates exactly the five rules per component", () => {
    const names = runtime.ofType(RULE).map((r) => r.name).sort();
    expect(names).toEqual(
      ["backend-5xx", "prompt-shields", "refusal-rate", "tool-drift", "unauthorized-storm"].flatMap((k) => [`paged-${k}`, `quiet-${k}`]).sort(),
    );
  });

  it.each(Object.entries(EXPECTED))("%s: enabled log alert on the workspace with its query, severity and window", (key, e) => {
    const rule = runtime.one(RULE, `quiet-${key}`);
    expect(rule.inputs).toMatchObject({
      ruleName: `quiet-${key}`,
      kind: "LogAlert",
      enabled: true,
      autoMitigate: true,
      scopes: [WORKSPACE],
      severity: e.severity,
      evaluationFrequency: e.frequency,
      windowSize: e.window,
      location: "swedencentral",
    });
    expect(rule.inputs.criteria).toEqual({
      allOf: [
        {
          query: e.query,
          timeAggregation: "Count",
          operator: "GreaterThan",
          threshold: e.threshold,
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
        },
      ],
    });
    expect(rule.inputs.actions).toBeUndefined();
  });

  it("notifies the action group from every rule when one is given", () => {
    for (const key of Object.keys(EXPECTED)) {
      expect(runtime.one(RULE, `paged-${key}`).inputs.actions).toEqual({ actionGroups: [ACTION_GROUP] });
    }
  });

  it("refuses an action group id that is not one, naming the setting and the fix", () => {
    expect(() => validateActionGroupId(`${RG}/providers/Microsoft.Insights/components/appi`)).toThrow(
      /^actionGroupId: .* is not an action group id. Use \/subscriptions\/<sub>\/resourceGroups\/<rg>\/providers\/Microsoft\.Insights\/actionGroups\/<name>/,
    );
    expect(() => validateActionGroupId(ACTION_GROUP.toLowerCase())).not.toThrow();
  });
});
