import { derivePreflightNeeds } from "../../../cli/preflight/needs";
import { parsePlatformConfig } from "../../../infra/config/parse";
import type { Plan, PlanResource } from "../../../testing/planFile";
import { devRawConfig } from "../../config/fixtures";

/**
 * What preflight derives for a registry private endpoint, from settings and a hand-made plan (no synthesis: the
 * end-to-end run in preflight.test.ts covers the derivation from the default program's plan).
 */
const SUB = "11111111-2222-3333-4444-555555555555";
const REGISTRY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared-acr/providers/Microsoft.ContainerRegistry/registries/contoso";

function settings(privateEndpoint: boolean) {
  const raw = devRawConfig();
  raw.location = "westeurope";
  for (const server of raw.servers) server.registry.privateEndpoint = privateEndpoint;
  return parsePlatformConfig(raw, { project: "hardened-mcp", stack: "dev" });
}

const resource = (type: string, name: string, inputs: Record<string, unknown>): PlanResource => ({
  urn: `urn:pulumi:dev::hardened-mcp::${type}::${name}`,
  type,
  name,
  custom: true,
  parent: null,
  inputs,
  dependencies: [],
  propertyDependencies: {},
});

const plan = (resources: PlanResource[]): Plan => ({ version: 1, project: "hardened-mcp", stack: "dev", resources });

describe("preflight needs for a registry private endpoint", () => {
  it("lists one registry for the servers sharing it, with the endpoint and the linked zone", () => {
    const needs = derivePreflightNeeds(plan([]), settings(true), SUB);
    expect(needs.registries).toEqual([{ id: REGISTRY, privateEndpoint: true, servers: ["github-tools", "docs-search"] }]);
    expect(needs.registryZoneLinked).toBe(true);
    const without = derivePreflightNeeds(plan([]), settings(false), SUB);
    expect(without.registries).toEqual([{ id: REGISTRY, privateEndpoint: false, servers: ["github-tools", "docs-search"] }]);
    expect(without.registryZoneLinked).toBe(false);
  });

  it("asks for the right to approve the endpoint's connection on the registry, where ARM checks it", () => {
    const endpoint = resource("azure-native:network:PrivateEndpoint", "mcp-acr-contoso-pe", {
      privateLinkServiceConnections: [{ name: "mcp-acr-contoso-registry", privateLinkServiceId: REGISTRY, groupIds: ["registry"] }],
    });
    const needs = derivePreflightNeeds(plan([endpoint]), settings(true), SUB);
    const registry = needs.scopes.find((s) => s.label === "registry contoso");
    expect(registry?.actions).toEqual(["Microsoft.ContainerRegistry/registries/privateEndpointConnectionsApproval/action"]);
    expect(needs.scopes[0].actions).toContain("Microsoft.Network/privateEndpoints/write");
  });
});
