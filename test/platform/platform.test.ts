import { DOMParser } from "@xmldom/xmldom";
import { BuiltInRoles } from "../../baseline/roles";
import type { Plan, PlanResource } from "../../testing/mock/plan";
import { kitPlan, sharedPlan } from "../support/plans";

/** The platform's wiring, read from plans of the default program: grants, diagnostics, private endpoints. */
let dev: Plan;
let variant: Plan;
let internalGateway: Plan;

beforeAll(async () => {
  dev = await kitPlan();
  // One server, bring-your-own Entra, an existing resource group, a custom domain, no Content Safety.
  variant = await sharedPlan("platform-brought");
  // Premium, VNet-injected, internal; a custom domain configured but not bound (test/support/planConfigs.ts).
  internalGateway = await sharedPlan("platform-internal");
});

const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const findOne = (plan: Plan, type: string, match: (r: PlanResource) => boolean = () => true): PlanResource => {
  const found = ofType(plan, type).filter(match);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};
const identityNamed = (plan: Plan, name: string) =>
  findOne(plan, "azure-native:managedidentity:UserAssignedIdentity", (r) => r.inputs.resourceName === name);
/** A server's identity: the platform makes it (a WorkloadIdentity named like the server's McpServer) before the server. */
const serverIdentity = (plan: Plan, component: string) => {
  const identity = findOne(plan, "hardened-mcp:azure:WorkloadIdentity", (r) => r.name === component);
  return findOne(plan, "azure-native:managedidentity:UserAssignedIdentity", (r) => r.parent === identity.urn);
};
/** Role assignments whose principal is the identity (by property dependency, as the engine sees it). */
const grantsTo = (plan: Plan, identity: PlanResource) =>
  ofType(plan, "azure-native:authorization:RoleAssignment").filter((r) => r.propertyDependencies.principalId?.includes(identity.urn));
const roleOf = (r: PlanResource) => String(r.inputs.roleDefinitionId).split("/").pop();
const dependsOnFor = (r: PlanResource, input: string, target: PlanResource) => r.propertyDependencies[input]?.includes(target.urn) ?? false;

describe("HardenedMcpPlatform wiring (Pulumi.dev.yaml)", () => {
  it("grants the gateway identity only Cognitive Services User on the one Content Safety account and Metrics Publisher on App Insights", () => {
    const gateway = identityNamed(dev, "id-mcp-dev-gateway");
    const grants = grantsTo(dev, gateway);
    const account = findOne(dev, "azure-native:cognitiveservices:Account");
    const appInsights = findOne(dev, "azure-native:applicationinsights:Component");
    expect(grants.map(roleOf).sort()).toEqual([BuiltInRoles.CognitiveServicesUser.id, BuiltInRoles.MonitoringMetricsPublisher.id].sort());
    const cs = grants.find((g) => roleOf(g) === BuiltInRoles.CognitiveServicesUser.id)!;
    expect(dependsOnFor(cs, "scope", account)).toBe(true);
    expect(cs.inputs.scope).toMatch(/\/providers\/Microsoft\.CognitiveServices\/accounts\/cs-mcp-dev-[a-z0-9]{5}$/);
    const publisher = grants.find((g) => roleOf(g) === BuiltInRoles.MonitoringMetricsPublisher.id)!;
    expect(dependsOnFor(publisher, "scope", appInsights)).toBe(true);
    // No custom domain: the gateway has no reason to read the vault, so it gets no vault role.
    const vault = findOne(dev, "azure-native:keyvault:Vault");
    expect(grants.some((g) => dependsOnFor(g, "scope", vault))).toBe(false);
  });

  it("creates a server's app after its referenced secrets (placeholders until seeded), its grant and the vault's private DNS", () => {
    const app = findOne(dev, "azure-native:app:ContainerApp", (r) => r.inputs.containerAppName === "ca-github-tools");
    const secret = findOne(dev, "azure-native:keyvault:Secret");
    expect(secret.inputs.secretName).toBe("github-app-private-key");
    expect(dependsOnFor(secret, "vaultName", findOne(dev, "azure-native:keyvault:Vault"))).toBe(true);
    const vaultDns = findOne(dev, "azure-native:network:PrivateDnsZoneGroup", (r) => r.parent === findOne(dev, "hardened-mcp:azure:SecureVault").urn);
    expect(app.dependencies).toEqual(expect.arrayContaining([secret.urn, vaultDns.urn]));
    // The zone group, and so the app, waits for the vault zone's link to the VNet (names resolve only then).
    const vaultZone = findOne(dev, "azure-native:privatedns:PrivateZone", (r) => r.inputs.privateZoneName === "privatelink.vaultcore.azure.net");
    const vaultLink = findOne(dev, "azure-native:privatedns:VirtualNetworkLink", (r) => dependsOnFor(r, "privateZoneName", vaultZone));
    expect(vaultDns.dependencies).toContain(vaultLink.urn);
    // A server without secrets declares none and waits for none.
    const docs = findOne(dev, "azure-native:app:ContainerApp", (r) => r.inputs.containerAppName === "ca-docs-search");
    expect(docs.dependencies).not.toContain(secret.urn);
  });

  it("holds every consumer of a fresh grant until the grant has taken effect (grantPropagation)", () => {
    // Each consumer takes an input through the wait on its grants, so the plan shows the dependency.
    for (const [appName, component] of [["ca-github-tools", "mcp-github-tools"], ["ca-docs-search", "mcp-docs-search"]]) {
      const app = findOne(dev, "azure-native:app:ContainerApp", (r) => r.inputs.containerAppName === appName);
      const grants = grantsTo(dev, serverIdentity(dev, component));
      expect(grants.map(roleOf)).toContain(BuiltInRoles.AcrPull.id);
      for (const grant of grants) expect(dependsOnFor(app, "environmentId", grant)).toBe(true);
    }
    expect(grantsTo(dev, serverIdentity(dev, "mcp-github-tools")).map(roleOf)).toContain(BuiltInRoles.KeyVaultSecretsUser.id);
    const gatewayGrants = grantsTo(dev, identityNamed(dev, "id-mcp-dev-gateway"));
    const publisher = gatewayGrants.find((g) => roleOf(g) === BuiltInRoles.MonitoringMetricsPublisher.id)!;
    expect(dependsOnFor(findOne(dev, "azure-native:apimanagement:Logger"), "resourceId", publisher)).toBe(true);
    const user = gatewayGrants.find((g) => roleOf(g) === BuiltInRoles.CognitiveServicesUser.id)!;
    const account = findOne(dev, "azure-native:cognitiveservices:Account");
    // The callers of Prompt Shields are the policy documents that name the account's endpoint.
    const endpoint = `https://${(account.inputs.properties as { customSubDomainName: string }).customSubDomainName}.cognitiveservices.azure.com`;
    const callers = dev.resources.filter((r) => /^azure-native:apimanagement:Api(Operation)?Policy$/.test(r.type) && String(r.inputs.value).includes(endpoint));
    expect(callers.length).toBeGreaterThan(0);
    // The wait rides on an input the pack does not judge (the API policy's apiId), so the document stays known at preview.
    for (const caller of callers) {
      const waits = Object.entries(caller.propertyDependencies).filter(([, deps]) => deps.includes(user.urn)).map(([input]) => input);
      expect(`${caller.name}: ${waits.join(",")}`).toBe(`${caller.name}: apiId`);
    }
  });

  it("gives the gateway and apps subnets one explicit way out: a NAT gateway with a static Standard public IP", () => {
    const nat = findOne(dev, "azure-native:network:NatGateway");
    const ip = findOne(dev, "azure-native:network:PublicIPAddress");
    expect(nat.inputs).toMatchObject({ natGatewayName: "ng-mcp-dev", sku: { name: "Standard" } });
    expect(dependsOnFor(nat, "publicIpAddresses", ip)).toBe(true);
    expect(ip.inputs).toMatchObject({ sku: { name: "Standard" }, publicIPAllocationMethod: "Static" });
    const subnets = ofType(dev, "azure-native:network:Subnet");
    expect(subnets.filter((n) => dependsOnFor(n, "natGateway", nat)).map((n) => n.inputs.subnetName).sort()).toEqual(["apps", "gateway"]);
    expect(subnets.every((n) => n.inputs.defaultOutboundAccess === false)).toBe(true);
  });

  it("attaches API Management and the Container Apps environment only once every subnet is written", () => {
    const subnets = ofType(dev, "azure-native:network:Subnet");
    const lastWritten = subnets.find((n) => !subnets.some((other) => other.dependencies.includes(n.urn)))!;
    const service = findOne(dev, "azure-native:apimanagement:ApiManagementService");
    const environment = findOne(dev, "azure-native:app:ManagedEnvironment");
    expect(service.propertyDependencies.virtualNetworkConfiguration).toContain(lastWritten.urn);
    expect(environment.propertyDependencies.vnetConfiguration).toContain(lastWritten.urn);
  });

  it("names each server's identity after the workload, stack and server", () => {
    for (const server of ["github-tools", "docs-search"]) {
      expect(identityNamed(dev, `id-mcp-dev-${server}`).type).toBe("azure-native:managedidentity:UserAssignedIdentity");
    }
  });

  it("scopes every role assignment to a single resource, with principalType set", () => {
    const assignments = ofType(dev, "azure-native:authorization:RoleAssignment");
    expect(assignments.length).toBeGreaterThan(0);
    for (const a of assignments) {
      const segments = String(a.inputs.scope).split("/").filter(Boolean);
      expect(segments[4]).toBe("providers");
      expect(segments.length).toBeGreaterThanOrEqual(8);
      expect(a.inputs.principalType).toBe("ServicePrincipal");
    }
  });

  it("grants a server's identity AcrPull on its registry only, and Secrets User on the vault only when it has secrets", () => {
    const vault = findOne(dev, "azure-native:keyvault:Vault");
    const registry = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared-acr/providers/Microsoft.ContainerRegistry/registries/contoso";
    const github = serverIdentity(dev, "mcp-github-tools");
    const docs = serverIdentity(dev, "mcp-docs-search");
    const githubGrants = grantsTo(dev, github);
    const secretsUser = githubGrants.filter((g) => roleOf(g) === BuiltInRoles.KeyVaultSecretsUser.id);
    expect(secretsUser).toHaveLength(1);
    expect(dependsOnFor(secretsUser[0], "scope", vault)).toBe(true);
    for (const grants of [githubGrants, grantsTo(dev, docs)]) {
      const acrPull = grants.filter((g) => roleOf(g) === BuiltInRoles.AcrPull.id);
      expect(acrPull.map((g) => g.inputs.scope)).toEqual([registry]);
    }
    expect(grantsTo(dev, docs).map(roleOf)).toEqual([BuiltInRoles.AcrPull.id]);
    // The app waits for its grant, so the first revision can resolve its Key Vault reference.
    const app = findOne(dev, "azure-native:app:ContainerApp", (r) => r.inputs.containerAppName === "ca-github-tools");
    expect(app.dependencies).toContain(githubGrants[0].urn);
    expect(app.dependencies).toContain(secretsUser[0].urn);
    // ... and runs as the identity the platform made and granted.
    expect(dependsOnFor(app, "identity", github)).toBe(true);
  });

  it("sends every Key Vault, Content Safety account, APIM service and Container Apps environment to Log Analytics", () => {
    const workspace = findOne(dev, "azure-native:operationalinsights:Workspace");
    const settings = ofType(dev, "azure-native:monitor:DiagnosticSetting");
    for (const type of [
      "azure-native:keyvault:Vault",
      "azure-native:cognitiveservices:Account",
      "azure-native:apimanagement:ApiManagementService",
      "azure-native:app:ManagedEnvironment",
      "azure-native:network:VirtualNetwork",
    ]) {
      for (const resource of ofType(dev, type)) {
        const diag = settings.filter((d) => dependsOnFor(d, "resourceUri", resource));
        expect({ type, count: diag.length }).toEqual({ type, count: 1 });
        expect(dependsOnFor(diag[0], "workspaceId", workspace)).toBe(true);
        expect(diag[0].inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
      }
    }
  });

  it("reaches the vault and Content Safety through private endpoints in the endpoints subnet, with DNS zone groups", () => {
    const subnet = findOne(dev, "azure-native:network:Subnet", (r) => r.inputs.subnetName === "endpoints");
    for (const type of ["azure-native:keyvault:Vault", "azure-native:cognitiveservices:Account"]) {
      const target = findOne(dev, type);
      const pe = findOne(dev, "azure-native:network:PrivateEndpoint", (r) => dependsOnFor(r, "privateLinkServiceConnections", target));
      expect(dependsOnFor(pe, "subnet", subnet)).toBe(true);
      // In the VNet's region, whatever region the service itself is in.
      expect(pe.inputs.location).toBe("westeurope");
      expect(findOne(dev, "azure-native:network:VirtualNetwork").inputs.location).toBe("westeurope");
      const zoneGroup = findOne(dev, "azure-native:network:PrivateDnsZoneGroup", (r) => dependsOnFor(r, "privateEndpointName", pe));
      expect(zoneGroup.inputs.privateDnsZoneConfigs).toHaveLength(1);
    }
  });

  it("publishes each server's API on the one gateway, with the service-wide policy", () => {
    const service = findOne(dev, "azure-native:apimanagement:ApiManagementService");
    const policy = findOne(dev, "azure-native:apimanagement:Policy");
    expect(dependsOnFor(policy, "serviceName", service)).toBe(true);
    expect(String(policy.inputs.value)).toMatch(/^<policies>/);
    const apis = ofType(dev, "azure-native:apimanagement:Api").filter((a) => a.inputs.apiId === "mcp-github-tools" || a.inputs.apiId === "mcp-docs-search");
    expect(apis.map((a) => a.inputs.path).sort()).toEqual(["docs-search", "github-tools"]);
    for (const api of apis) {
      expect(api.inputs.subscriptionRequired).toBe(false);
      expect(dependsOnFor(api, "serviceName", service)).toBe(true);
    }
    // Two servers: neither may own the host-root metadata document.
    expect(ofType(dev, "azure-native:apimanagement:Api").some((a) => a.inputs.apiId === "mcp-prm-root")).toBe(false);
  });

  it("lets only the gateway identity through each server's built-in authentication", () => {
    const gateway = identityNamed(dev, "id-mcp-dev-gateway");
    for (const auth of ofType(dev, "azure-native:app:ContainerAppsAuthConfig")) {
      expect(dependsOnFor(auth, "identityProviders", gateway)).toBe(true);
    }
  });
});

describe("HardenedMcpPlatform wiring (variant: custom domain, existing group and Entra app, no Content Safety, destroyable vault)", () => {
  it("binds the custom domain with the certificate read by the service's system identity, granted on the platform vault only", () => {
    const vault = findOne(variant, "azure-native:keyvault:Vault");
    expect(vault.inputs.vaultName).toBe("kv-mcp-dev-t3st1");
    const service = findOne(variant, "azure-native:apimanagement:ApiManagementService");
    const systemPrincipal = (service.inputs.identity as { type: string }).type.includes("SystemAssigned");
    expect(systemPrincipal).toBe(true);
    // The system identity's grants hang off the service's output; the user-assigned gateway identity gets none.
    const systemGrants = ofType(variant, "azure-native:authorization:RoleAssignment").filter(
      (g) => dependsOnFor(g, "principalId", service) && dependsOnFor(g, "scope", vault),
    );
    expect(systemGrants.map(roleOf).sort()).toEqual([BuiltInRoles.KeyVaultCertificateUser.id, BuiltInRoles.KeyVaultSecretsUser.id].sort());
    expect(grantsTo(variant, identityNamed(variant, "id-mcp-dev-gateway")).filter((g) => dependsOnFor(g, "scope", vault))).toEqual([]);
    const vaultDns = findOne(variant, "azure-native:network:PrivateDnsZoneGroup", (r) => r.parent === findOne(variant, "hardened-mcp:azure:SecureVault").urn);
    expect(dependsOnFor(service, "hostnameConfigurations", vaultDns)).toBe(true);
    expect(service.inputs.hostnameConfigurations).toEqual([
      { type: "Proxy", hostName: "mcp.contoso.com", keyVaultId: "https://kv-mcp-dev-t3st1.vault.azure.net/secrets/gateway-tls", negotiateClientCertificate: false, defaultSslBinding: true },
    ]);
  });

  it("creates no Content Safety account, zone or grant when it is disabled", () => {
    expect(ofType(variant, "azure-native:cognitiveservices:Account")).toEqual([]);
    expect(ofType(variant, "azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName)).not.toContain(
      "privatelink.cognitiveservices.azure.com",
    );
    const roles = ofType(variant, "azure-native:authorization:RoleAssignment").map(roleOf);
    expect(roles).not.toContain(BuiltInRoles.CognitiveServicesUser.id);
  });

  it("locks the vault against deletion unless keyVault.allowDestroy is set", () => {
    const lock = findOne(dev, "azure-native:authorization:ManagementLockByScope");
    expect(lock.inputs.level).toBe("CanNotDelete");
    expect(dependsOnFor(lock, "scope", findOne(dev, "azure-native:keyvault:Vault"))).toBe(true);
    expect(ofType(variant, "azure-native:authorization:ManagementLockByScope")).toEqual([]);
  });

  it("deploys into the existing resource group without creating one", () => {
    expect(ofType(variant, "azure-native:resources:ResourceGroup")).toEqual([]);
    const vault = findOne(variant, "azure-native:keyvault:Vault");
    expect(vault.inputs.resourceGroupName).toBe("rg-shared-mcp");
  });

  it("registers only the backend application when the MCP application is brought", () => {
    const apps = ofType(variant, "azuread:index/application:Application");
    expect(apps).toHaveLength(1);
    expect(apps[0].inputs.displayName).toBe("mcp-docs-search-backend");
    // One server: it owns the host-root metadata document.
    expect(ofType(variant, "azure-native:apimanagement:Api").some((a) => a.inputs.apiId === "mcp-prm-root")).toBe(true);
  });
});

describe("HardenedMcpPlatform wiring (Premium gateway in internal VNet mode)", () => {
  const hostZones = (plan: Plan) =>
    ofType(plan, "azure-native:privatedns:PrivateZone").filter((z) => String(z.inputs.privateZoneName).endsWith(".azure-api.net"));

  it("resolves the gateway's own host name to its private IP inside the VNet, and nothing else under azure-api.net", () => {
    const service = findOne(internalGateway, "azure-native:apimanagement:ApiManagementService");
    expect(service.inputs.virtualNetworkType).toBe("Internal");
    const zones = hostZones(internalGateway);
    expect(zones.map((z) => z.inputs.privateZoneName)).toEqual([`${service.inputs.serviceName}.azure-api.net`]);
    const records = ofType(internalGateway, "azure-native:privatedns:PrivateRecordSet").filter((r) => dependsOnFor(r, "privateZoneName", zones[0]));
    expect(records.map((r) => [r.inputs.relativeRecordSetName, r.inputs.aRecords])).toEqual([["@", [{ ipv4Address: "10.0.0.4" }]]]);
    const link = findOne(internalGateway, "azure-native:privatedns:VirtualNetworkLink", (l) => dependsOnFor(l, "privateZoneName", zones[0]));
    expect(dependsOnFor(link, "virtualNetwork", findOne(internalGateway, "azure-native:network:VirtualNetwork"))).toBe(true);
  });

  it("pulls both servers' images over one private endpoint to their shared registry, resolved in the VNet", () => {
    const endpoints = ofType(internalGateway, "azure-native:network:PrivateEndpoint").filter((pe) =>
      JSON.stringify(pe.inputs.privateLinkServiceConnections).includes("/Microsoft.ContainerRegistry/registries/contoso"),
    );
    expect(endpoints).toHaveLength(1);
    const [endpoint] = endpoints;
    expect(endpoint.inputs.privateLinkServiceConnections).toEqual([
      expect.objectContaining({ groupIds: ["registry"], privateLinkServiceId: expect.stringMatching(/\/resourceGroups\/rg-shared-acr\/providers\/Microsoft\.ContainerRegistry\/registries\/contoso$/) }),
    ]);
    const vaultEndpoint = findOne(internalGateway, "azure-native:network:PrivateEndpoint", (pe) => JSON.stringify(pe.inputs.privateLinkServiceConnections).includes('"vault"'));
    // In the endpoints subnet, as the vault's endpoint is.
    expect(endpoint.propertyDependencies.subnet).toEqual(vaultEndpoint.propertyDependencies.subnet);
    const zone = findOne(internalGateway, "azure-native:privatedns:PrivateZone", (z) => z.inputs.privateZoneName === "privatelink.azurecr.io");
    const link = findOne(internalGateway, "azure-native:privatedns:VirtualNetworkLink", (l) => dependsOnFor(l, "privateZoneName", zone));
    expect(dependsOnFor(link, "virtualNetwork", findOne(internalGateway, "azure-native:network:VirtualNetwork"))).toBe(true);
    const group = findOne(internalGateway, "azure-native:network:PrivateDnsZoneGroup", (g) => dependsOnFor(g, "privateEndpointName", endpoint));
    // The zone id the group writes into resolves only once the zone is linked to the VNet.
    expect(group.propertyDependencies.privateDnsZoneConfigs).toEqual(expect.arrayContaining([zone.urn, link.urn]));
    for (const app of ofType(internalGateway, "azure-native:app:ContainerApp")) expect(app.dependencies).toContain(group.urn);
    // The default stack pulls over the egress path: no registry endpoint, no zone.
    expect(ofType(dev, "azure-native:privatedns:PrivateZone").map((z) => z.inputs.privateZoneName)).not.toContain("privatelink.azurecr.io");
  });

  it("limits client applications with quota-by-key, which the classic tiers offer (the v2 tiers use rate-limit-by-key)", () => {
    const elements = (plan: Plan, tag: string) =>
      ofType(plan, "azure-native:apimanagement:ApiPolicy").map(
        (p) => new DOMParser().parseFromString(String(p.inputs.value), "text/xml").getElementsByTagName(tag).length,
      );
    expect(elements(internalGateway, "quota-by-key")).toEqual([1, 1]);
    expect(elements(dev, "quota-by-key")).toEqual([0, 0]);
    expect(elements(dev, "rate-limit-by-key").every((n) => n >= 3)).toBe(true);
  });

  it("with a custom domain configured but not bound: grants the system identity first, serves the default host", () => {
    const service = findOne(internalGateway, "azure-native:apimanagement:ApiManagementService");
    expect(service.inputs.hostnameConfigurations ?? []).toEqual([]);
    const vault = findOne(internalGateway, "azure-native:keyvault:Vault");
    const systemGrants = ofType(internalGateway, "azure-native:authorization:RoleAssignment").filter(
      (g) => dependsOnFor(g, "principalId", service) && dependsOnFor(g, "scope", vault),
    );
    expect(systemGrants.map(roleOf).sort()).toEqual([BuiltInRoles.KeyVaultCertificateUser.id, BuiltInRoles.KeyVaultSecretsUser.id].sort());
  });

  it("adds no gateway zone when the gateway is public", () => {
    expect(hostZones(dev)).toEqual([]);
  });
});
