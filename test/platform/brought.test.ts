import { BuiltInRoles } from "../../baseline/roles";
import type { Plan, PlanResource } from "../../testing/mock/plan";
import { BROUGHT } from "../support/planConfigs";
import { sharedPlan } from "../support/plans";

/**
 * The platform with the shared resources a landing zone brings (test/support/planConfigs.ts "brought-existing"):
 * nothing of the brought kinds is created, and everything that named the kit's resource names the brought one,
 * literally (known at preview, so the pack judges it).
 */
let plan: Plan;

beforeAll(async () => {
  plan = await sharedPlan("brought-existing");
});

const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
const roleOf = (r: PlanResource) => String(r.inputs.roleDefinitionId).split("/").pop();

describe("an existing Log Analytics workspace (monitoring.existing)", () => {
  it("creates no workspace, and sends every diagnostic setting, Application Insights and every alert rule to the brought one", () => {
    expect(ofType("azure-native:operationalinsights:Workspace")).toEqual([]);
    const settings = ofType("azure-native:monitor:DiagnosticSetting");
    expect(settings.length).toBeGreaterThan(5);
    for (const d of settings) expect(`${d.name} ${String(d.inputs.workspaceId)}`).toBe(`${d.name} ${BROUGHT.workspaceId}`);
    expect(ofType("azure-native:applicationinsights:Component").map((c) => c.inputs.workspaceResourceId)).toEqual([BROUGHT.workspaceId]);
    const rules = ofType("azure-native:monitor:ScheduledQueryRule");
    expect(rules).toHaveLength(5);
    for (const r of rules) expect(r.inputs.scopes).toEqual([BROUGHT.workspaceId]);
  });
});

describe("an existing gateway identity (gateway.identity.existing)", () => {
  it("creates no gateway identity (each server still gets its own)", () => {
    const names = ofType("azure-native:managedidentity:UserAssignedIdentity").map((r) => r.inputs.resourceName);
    expect(names.sort()).toEqual(["id-mcp-dev-docs-search", "id-mcp-dev-github-tools"]);
  });

  it("attaches the brought identity to API Management and grants it, literally, only what the kit's would get", () => {
    const service = ofType("azure-native:apimanagement:ApiManagementService")[0];
    expect((service.inputs.identity as { userAssignedIdentities: Record<string, unknown> }).userAssignedIdentities).toEqual({ [BROUGHT.gatewayIdentity.id]: {} });
    const grants = ofType("azure-native:authorization:RoleAssignment").filter((r) => r.inputs.principalId === BROUGHT.gatewayIdentity.principalId);
    expect(grants.map(roleOf).sort()).toEqual([BuiltInRoles.CognitiveServicesUser.id, BuiltInRoles.MonitoringMetricsPublisher.id].sort());
    for (const g of grants) expect(String(g.inputs.scope)).toMatch(/\/providers\/Microsoft\.(CognitiveServices\/accounts|Insights\/components)\/[a-z0-9-]+$/);
    // Each backend application admits the brought identity (its app role assignment names it).
    const admitted = ofType("azuread:index/appRoleAssignment:AppRoleAssignment").filter((r) => r.inputs.principalObjectId === BROUGHT.gatewayIdentity.principalId);
    expect(admitted).toHaveLength(2);
    // The logger and the backends' token requests use its client id.
    const logger = ofType("azure-native:apimanagement:Logger")[0];
    expect(JSON.stringify(logger.inputs.credentials)).toContain(BROUGHT.gatewayIdentity.clientId);
  });
});
