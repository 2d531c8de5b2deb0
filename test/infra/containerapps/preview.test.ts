import * as pulumi from "@pulumi/pulumi";
import { MockRuntime } from "../../../testing/mock/mockRuntime";

/**
 * Inputs that come from other components are Outputs (unknown until they resolve, in a real preview); the
 * component must still declare everything, running its checks when the values resolve.
 */
let runtime: MockRuntime;

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "preview", preview: true });
});

it("declares the environment and a server whose inputs are outputs of other resources", async () => {
  const ca = await import("../../../infra/containerapps");
  const managedidentity = await import("@pulumi/azure-native/managedidentity");
  // A resource from "another component": its id is unknown in preview.
  const other = new managedidentity.UserAssignedIdentity("other", { resourceGroupName: "rg-mcp" });
  const env = new ca.McpContainerAppsEnvironment("cae", {
    resourceGroupName: "rg-mcp",
    infrastructureSubnetId: other.id.apply((id) => `${id}/subnets/apps`),
    workspaceId: other.id,
  });
  const server = new ca.McpServer("github", {
    serverName: "github",
    resourceGroupName: "rg-mcp",
    environmentId: env.id,
    environmentDefaultDomain: env.defaultDomain,
    image: pulumi.output(`mcpacr.azurecr.io/mcp/github@sha256:${"1".repeat(64)}`),
    registry: { server: "mcpacr.azurecr.io", resourceId: other.id },
    gatewaySubnetCidrs: [other.id.apply(() => "10.20.1.0/27")],
    backendAuth: {
      tenantId: "11111111-1111-1111-1111-111111111111",
      clientId: other.clientId,
      audience: other.clientId.apply((c) => `api://${c}`),
      allowedCallerClientIds: [other.clientId],
      allowedCallerPrincipalIds: [other.principalId],
    },
    secrets: { API_TOKEN: { keyVaultSecretUrl: other.id.apply(() => "https://kv-mcp.vault.azure.net/secrets/api-token") } },
  });
  await runtime.settle();
  expect(runtime.ofType("azure-native:app:ContainerApp")).toHaveLength(1);
  expect(runtime.ofType("azure-native:app:ContainerAppsAuthConfig")).toHaveLength(1);
  expect(runtime.ofType("azure-native:authorization:RoleAssignment")).toHaveLength(1);
  const app = runtime.one("azure-native:app:ContainerApp", "github");
  // Known parts stay known: the app's name, port and the lock-down flags.
  expect(app.inputs.containerAppName).toBe("mcp-github");
  expect((app.inputs.configuration as { ingress: Record<string, unknown> }).ingress).toMatchObject({ external: true, allowInsecure: false });
  const fqdn = await new Promise<string>((resolve) => server.fqdn.apply(resolve));
  expect(fqdn).toMatch(/^https:\/\/mcp-github\.cae\.[a-z0-9]+\.azurecontainerapps\.io$/);
  const config = app.inputs.configuration as { ingress: { ipSecurityRestrictions: unknown[] }; secrets: unknown[] };
  expect(config.ingress.ipSecurityRestrictions).toEqual([expect.objectContaining({ action: "Allow", ipAddressRange: "10.20.1.0/27" })]);
  expect(config.secrets).toEqual([expect.objectContaining({ name: "api-token", keyVaultUrl: "https://kv-mcp.vault.azure.net/secrets/api-token" })]);
});
