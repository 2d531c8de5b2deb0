import { MockRuntime, type RecordedResource } from "../../testing/mock/mockRuntime";

type Entra = typeof import("../../infra/entra");

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "0b1f3d7e-2c4a-4e8f-9a6b-5d7c8e9f0a1b";
const GATEWAY_PRINCIPAL = "4c3b2a19-0f8e-4d7c-b6a5-948372615a0b";
const CLI_CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const CANONICAL = "https://mcp.contoso.com/weather/mcp";

let runtime: MockRuntime;
let entra: Entra;

const T = {
  app: "azuread:index/application:Application",
  uri: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
  sp: "azuread:index/servicePrincipal:ServicePrincipal",
  preauth: "azuread:index/applicationPreAuthorized:ApplicationPreAuthorized",
  assignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
};
const one = (type: string, name: string): RecordedResource => runtime.one(type, name);

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "gateway-entra" });
  entra = await import("../../infra/entra");
  new entra.McpEntraApplication("weather", {
    server: "weather",
    tenantId: TENANT,
    identifierUri: CANONICAL,
    toolRoles: [{ value: "tools.admin", displayName: "Weather admin tools" }],
    preAuthorizedClientIds: [entra.WellKnownMcpClients.visualStudioCode],
    additionalAllowedClientIds: [CLI_CLIENT],
    gatewayIdentity: { principalId: GATEWAY_PRINCIPAL },
  });
  new entra.McpEntraApplication("tickets", { server: "tickets", tenantId: TENANT, gatewayIdentity: { principalId: GATEWAY_PRINCIPAL } });
  await runtime.settle();
});

interface AppInputs {
  identifierUris?: string[];
  signInAudience: string;
  fallbackPublicClientEnabled: boolean;
  groupMembershipClaims: string[];
  web: { implicitGrant: { accessTokenIssuanceEnabled: boolean; idTokenIssuanceEnabled: boolean } };
  api: { requestedAccessTokenVersion: number; oauth2PermissionScopes?: { id: string; value: string; type: string; enabled: boolean }[] };
  appRoles: { id: string; value: string; allowedMemberTypes: string[]; enabled: boolean }[];
}
const appInputs = (name: string) => one(T.app, name).inputs as unknown as AppInputs;

describe("McpEntraApplication: the MCP application", () => {
  it("uses the canonical URL as application ID URI when the gateway has a custom domain", () => {
    expect(appInputs("weather-app").identifierUris).toEqual([CANONICAL]);
    expect(runtime.ofType(T.uri).find((u) => u.name === "weather-app-uri")).toBeUndefined();
  });

  it("falls back to api://<clientId>, taken from the created application", () => {
    expect(appInputs("tickets-app").identifierUris).toBeUndefined();
    const uri = one(T.uri, "tickets-app-uri");
    expect(uri.inputs.identifierUri).toMatch(/^api:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(uri.propertyDependencies.identifierUri).toEqual([one(T.app, "tickets-app").urn]);
  });

  it("is single tenant, issues v2 tokens and allows no implicit or public-client flows", () => {
    const app = appInputs("weather-app");
    expect(app.signInAudience).toBe("AzureADMyOrg");
    expect(app.api.requestedAccessTokenVersion).toBe(2);
    expect(app.fallbackPublicClientEnabled).toBe(false);
    expect(app.web.implicitGrant).toEqual({ accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false });
    expect(app.groupMembershipClaims).toEqual(["None"]);
  });

  it("exposes one admin-consented delegated scope", () => {
    const scopes = appInputs("weather-app").api.oauth2PermissionScopes!;
    expect(scopes).toHaveLength(1);
    expect(scopes[0]).toMatchObject({ value: "mcp.invoke", type: "Admin", enabled: true });
  });

  it("has a baseline role and one role per tool group, for users and applications", () => {
    const roles = appInputs("weather-app").appRoles;
    expect(roles.map((r) => r.value)).toEqual(["mcp.user", "tools.admin"]);
    for (const r of roles) expect(r.allowedMemberTypes).toEqual(["User", "Application"]);
    expect(new Set(roles.map((r) => r.id)).size).toBe(2);
  });

  it("requires a role assignment before Entra issues a token", () => {
    expect(one(T.sp, "weather-app-sp").inputs.appRoleAssignmentRequired).toBe(true);
  });

  it("pre-authorizes the configured MCP clients for the scope only", () => {
    const preauth = runtime.ofType(T.preauth).filter((p) => p.name.startsWith("weather-"));
    expect(preauth.map((p) => p.inputs.authorizedClientId)).toEqual([entra.WellKnownMcpClients.visualStudioCode]);
    const scopeId = appInputs("weather-app").api.oauth2PermissionScopes![0]!.id;
    expect(preauth[0]!.inputs.permissionIds).toEqual([scopeId]);
    expect(preauth[0]!.propertyDependencies.applicationId).toEqual([one(T.app, "weather-app").urn]);
  });
});

describe("McpEntraApplication: the backend application", () => {
  it("is an application-only audience with one gateway role, assignment required", () => {
    const app = appInputs("weather-backend");
    expect(app.api.oauth2PermissionScopes ?? []).toEqual([]);
    expect(app.api.requestedAccessTokenVersion).toBe(2);
    expect(app.appRoles).toHaveLength(1);
    expect(app.appRoles[0]).toMatchObject({ value: "mcp.gateway", allowedMemberTypes: ["Application"] });
    expect(String(one(T.uri, "weather-backend-uri").inputs.identifierUri)).toMatch(/^api:\/\//);
    expect(one(T.sp, "weather-backend-sp").inputs.appRoleAssignmentRequired).toBe(true);
  });

  it("assigns the gateway role to the gateway's identity, and to nobody else", () => {
    const assignments = runtime.ofType(T.assignment).filter((a) => a.name.startsWith("weather-"));
    expect(assignments).toHaveLength(1);
    const a = assignments[0]!;
    expect(a.inputs.principalObjectId).toBe(GATEWAY_PRINCIPAL);
    expect(a.inputs.appRoleId).toBe(appInputs("weather-backend").appRoles[0]!.id);
    expect(a.propertyDependencies.resourceObjectId).toEqual([one(T.sp, "weather-backend-sp").urn]);
  });
});

describe("resolveMcpEntraApplicationDefaults", () => {
  const base = { server: "weather", tenantId: TENANT, gatewayIdentity: { principalId: GATEWAY_PRINCIPAL } };

  it("is secure by default and lists pre-authorized plus additional clients as allowed", () => {
    const s = entra.resolveMcpEntraApplicationDefaults({ ...base, preAuthorizedClientIds: [CLIENT], additionalAllowedClientIds: [CLI_CLIENT] });
    expect(s.appRoleAssignmentRequired).toBe(true);
    expect(s.scope).toBe("mcp.invoke");
    expect(s.allowedClientAppIds).toEqual([CLIENT, CLI_CLIENT]);
    expect(entra.resolveMcpEntraApplicationDefaults({ ...base, allowUnassignedUsers: true }).appRoleAssignmentRequired).toBe(false);
  });

  it("refuses a role that collides with the scope, bad role values and non-GUID clients", () => {
    expect(() => entra.resolveMcpEntraApplicationDefaults({ ...base, toolRoles: [{ value: "mcp.invoke" }] })).toThrow(/namespace/);
    expect(() => entra.resolveMcpEntraApplicationDefaults({ ...base, toolRoles: [{ value: "tools admin" }] })).toThrow(/no spaces/);
    expect(() => entra.resolveMcpEntraApplicationDefaults({ ...base, preAuthorizedClientIds: ["vscode"] })).toThrow(/GUID/);
  });

  it("refuses an explicit identifier URI that is not https on a verifiable domain", () => {
    expect(() => entra.assertCanonicalIdentifierUri("api://weather")).toThrow(/https/);
    expect(() => entra.assertCanonicalIdentifierUri("https://apim-mcp.azure-api.net/weather/mcp")).toThrow(/verify/);
    expect(() => entra.assertCanonicalIdentifierUri(CANONICAL)).not.toThrow();
  });
});

describe("resolveExistingEntraApplication (bring your own)", () => {
  const byo = { tenantId: TENANT, clientId: CLIENT, applicationIdUri: CANONICAL };

  it("passes a valid application through with full scope strings", () => {
    expect(entra.resolveExistingEntraApplication({ ...byo, allowedClientAppIds: [CLI_CLIENT, CLI_CLIENT] })).toEqual({
      tenantId: TENANT,
      clientId: CLIENT,
      applicationIdUri: CANONICAL,
      scopes: [`${CANONICAL}/mcp.invoke`],
      allowedClientAppIds: [CLI_CLIENT],
    });
    expect(entra.resolveExistingEntraApplication({ ...byo, applicationIdUri: `api://${CLIENT}` }).scopes).toEqual([`api://${CLIENT}/mcp.invoke`]);
    expect(entra.resolveExistingEntraApplication({ ...byo, applicationIdUri: `api://${TENANT}/weather` }).applicationIdUri).toBe(`api://${TENANT}/weather`);
  });

  it.each([
    [{ tenantId: "common" }, /tenantId/],
    [{ clientId: "weather" }, /clientId/],
    [{ applicationIdUri: `${CANONICAL}/` }, /trailing slash|ends with/],
    [{ applicationIdUri: "api://weather" }, /tenant id nor the client id/],
    [{ applicationIdUri: "https://apim-mcp.azure-api.net/weather/mcp" }, /azure-api\.net/],
    [{ applicationIdUri: "http://mcp.contoso.com/weather/mcp" }, /scheme/],
    [{ allowedClientAppIds: ["claude"] }, /allowedClientAppIds/],
  ])("refuses %o", (override, message) => {
    expect(() => entra.resolveExistingEntraApplication({ ...byo, ...override })).toThrow(message);
  });

  it("checks https URIs against the verified domains when they are given", () => {
    expect(() => entra.resolveExistingEntraApplication({ ...byo, verifiedDomains: ["fabrikam.com"] })).toThrow(/verified domain/);
    expect(() => entra.resolveExistingEntraApplication({ ...byo, verifiedDomains: ["contoso.com"] })).not.toThrow();
  });
});
