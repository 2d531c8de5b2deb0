import type { Plan, PlanResource } from "../../../testing/mock/plan";
import { OPERATOR_QUERIES } from "../../../infra/monitoring/queries";
import { stableUuid } from "../../../infra/monitoring/workbook";
import { kitPlan } from "../../support/plans";

const WORKBOOK = "azure-native:applicationinsights:Workbook";

let plan: Plan;
let workbook: PlanResource;
let doc: { version: string; items: { type: number; name: string; content: Record<string, unknown> }[]; fallbackResourceIds: string[]; $schema: string };
let workspaceId: string;

beforeAll(async () => {
  plan = await kitPlan();
  const found = plan.resources.filter((r) => r.type === WORKBOOK);
  expect(found).toHaveLength(1);
  workbook = found[0];
  doc = JSON.parse(String(workbook.inputs.serializedData));
  const workspace = plan.resources.find((r) => r.type === "azure-native:operationalinsights:Workspace");
  workspaceId = String(workbook.inputs.sourceId);
  // The workspace id is built from its name (known at preview), so it also carries the resource group.
  expect(workbook.propertyDependencies.sourceId).toContain(workspace?.urn);
});

describe("the platform's workbook", () => {
  it("is a shared workbook on the platform's workspace, with a stable UUID name", () => {
    expect(workbook.inputs).toMatchObject({ kind: "shared", category: "workbook", version: "Notebook/1.0", displayName: "MCP gateway" });
    expect(workbook.inputs.resourceName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(workspaceId).toMatch(/\/providers\/Microsoft\.OperationalInsights\/workspaces\//i);
    expect(stableUuid("a")).toBe(stableUuid("a"));
    expect(stableUuid("a")).not.toBe(stableUuid("b"));
  });

  it("holds a workbook document as the Workbooks schema describes it", () => {
    expect(doc.version).toBe("Notebook/1.0");
    expect(doc.$schema).toBe("https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json");
    expect(doc.fallbackResourceIds).toEqual([workspaceId]);
    expect(doc.items.map((i) => i.type)).toEqual([1, 9, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    const names = doc.items.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
    expect(doc.items[0].content.json).toEqual(expect.stringContaining("## MCP gateway"));
    const parameters = doc.items[1].content as { version: string; parameters: Record<string, unknown>[] };
    expect(parameters.version).toBe("KqlParameterItem/1.0");
    expect(parameters.parameters).toEqual([expect.objectContaining({ name: "TimeRange", type: 4, isRequired: true, value: { durationMs: 86_400_000 } })]);
    for (const step of doc.items.slice(2)) {
      expect(step.content).toMatchObject({
        version: "KqlItem/1.0",
        queryType: 0,
        resourceType: "microsoft.operationalinsights/workspaces",
        crossComponentResources: [workspaceId],
        timeContextFromParameter: "TimeRange",
      });
      expect(typeof step.content.title).toBe("string");
    }
  });

  it("runs each operator query once, exactly as infra/monitoring/queries.ts states it", () => {
    const steps = doc.items.filter((i) => i.type === 3);
    expect(steps.map((s) => s.name).sort()).toEqual(Object.keys(OPERATOR_QUERIES).sort());
    for (const step of steps) {
      const query = OPERATOR_QUERIES[step.name as keyof typeof OPERATOR_QUERIES];
      expect({ name: step.name, query: step.content.query, title: step.content.title }).toEqual({ name: step.name, query: query.kql, title: query.question });
    }
    // The questions the issue names are all on it: tools, clients, latency, Prompt Shields, drift.
    expect(steps.map((s) => s.name)).toEqual(expect.arrayContaining(["toolCalls", "clientApps", "latency", "promptShieldBlocks", "toolDrift"]));
  });
});
