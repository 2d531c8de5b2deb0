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
    // The gateway's, the Container Apps environment's and Content Safety's (the VNet, NSGs and vault are brought).
    expect(settings.length).toBeGreaterThanOrEqual(3);
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

describe("an existing network (network.existing)", () => {
  it("creates no VNet, subnet, NSG or NAT gateway, and no privatelink zone where the hub's are given", () => {
    for (const type of ["VirtualNetwork", "Subnet", "NetworkSecurityGroup", "NatGateway", "PublicIPAddress"]) expect(ofType(`azure-native:network:${type}`)).toEqual([]);
    const zones = ofType("azure-native:privatedns:PrivateZone").map((z) => String(z.inputs.privateZoneName));
    expect(zones.filter((z) => z.startsWith("privatelink."))).toEqual([]);
  });

  it("attaches the gateway, the environment and the private endpoints to the brought subnets, literally", () => {
    const { subnets, privateDnsZoneIds } = BROUGHT.network;
    const service = ofType("azure-native:apimanagement:ApiManagementService")[0];
    expect(service.inputs.virtualNetworkConfiguration).toMatchObject({ subnetResourceId: subnets.gateway.id });
    expect(ofType("azure-native:app:ManagedEnvironment")[0].inputs.vnetConfiguration).toMatchObject({ infrastructureSubnetId: subnets.apps.id, internal: true });
    const endpoints = ofType("azure-native:network:PrivateEndpoint");
    expect(endpoints.length).toBe(2);
    for (const e of endpoints) expect(e.inputs.subnet).toMatchObject({ id: subnets.endpoints.id });
    const zoneIds = ofType("azure-native:network:PrivateDnsZoneGroup").flatMap((g) => (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((c) => c.privateDnsZoneId));
    expect(zoneIds.sort()).toEqual([privateDnsZoneIds.cognitiveServices, privateDnsZoneIds.keyVault].sort());
  });

  it("lets only the brought gateway subnet reach the apps, and links the environment's own zone to the brought VNet", () => {
    for (const app of ofType("azure-native:app:ContainerApp")) {
      const rules = (app.inputs.configuration as { ingress: { ipSecurityRestrictions: { ipAddressRange: string; action: string }[] } }).ingress.ipSecurityRestrictions;
      expect(rules.map((r) => `${r.action} ${r.ipAddressRange}`)).toEqual(["Allow 10.50.0.0/27"]);
    }
    const links = ofType("azure-native:privatedns:VirtualNetworkLink");
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.inputs.virtualNetwork).toEqual({ id: BROUGHT.network.virtualNetworkId });
  });
});

describe("an existing vault (keyVault.existing)", () => {
  it("creates no vault, lock or secret, and reaches the brought one through this stack's private endpoint", () => {
    for (const type of ["azure-native:keyvault:Vault", "azure-native:keyvault:Secret", "azure-native:authorization:ManagementLockByScope"]) expect(ofType(type)).toEqual([]);
    const endpoint = ofType("azure-native:network:PrivateEndpoint").find((e) => JSON.stringify(e.inputs).includes("Microsoft.KeyVault"))!;
    expect(endpoint.inputs.privateLinkServiceConnections).toEqual([expect.objectContaining({ privateLinkServiceId: BROUGHT.vaultId, groupIds: ["vault"] })]);
  });

  it("grants the server with secrets Secrets User on the brought vault only, and references its secrets under the vault's URI", () => {
    const grants = ofType("azure-native:authorization:RoleAssignment").filter((r) => r.inputs.scope === BROUGHT.vaultId);
    expect(grants.map(roleOf)).toEqual([BuiltInRoles.KeyVaultSecretsUser.id]);
    const app = ofType("azure-native:app:ContainerApp").find((r) => r.inputs.containerAppName === "ca-github-tools")!;
    const secrets = (app.inputs.configuration as { secrets: { keyVaultUrl: string }[] }).secrets;
    expect(secrets.map((x) => x.keyVaultUrl)).toEqual(["https://kv-landing-zone.vault.azure.net/secrets/github-app-private-key"]);
    // The app still waits for the vault's private DNS (this stack's endpoint) before its first revision.
    const zoneGroup = ofType("azure-native:network:PrivateDnsZoneGroup").find((g) => g.dependencies.includes(endpoint().urn))!;
    expect(app.dependencies).toContain(zoneGroup.urn);
  });
});

const endpoint = () => ofType("azure-native:network:PrivateEndpoint").find((e) => JSON.stringify(e.inputs).includes("Microsoft.KeyVault"))!;
