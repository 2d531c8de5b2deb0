/**
 * A product team's stack using the kit as a library, imported by its package name (inside this
 * repository, tsconfig "paths" and jest's moduleNameMapper point the name at infra/). The settings
 * are typed in code (`HardenedMcpPlatformArgs`) and checked by the component exactly like the default
 * program's stack config: a mistake fails before any resource is registered, with every problem listed.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, HardenedMcpPlatform, type HardenedMcpPlatformArgs, McpServer, WellKnownMcpClients } from "hardened-mcp-azure";

const config = new pulumi.Config("mcp-consumer");
const location = new pulumi.Config("azure-native").require("location");

const args: HardenedMcpPlatformArgs = {
  workload: "payments",
  location,
  tenantId: config.require("tenantId"),
  tags: { "cost-center": "4711", "data-classification": "confidential" },
  gateway: { publisherEmail: "payments-platform@contoso.com", publisherName: "Contoso Payments", sku: "StandardV2" },
  network: { addressSpace: "10.60.0.0/16" },
  entra: { mode: "create", preAuthorizedClientIds: [WellKnownMcpClients.visualStudioCode] },
  servers: [
    {
      name: "ledger",
      image: "contosopayments.azurecr.io/mcp/ledger:3.1.0@sha256:0d5c7a8e9f1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1",
      registry: {
        server: "contosopayments.azurecr.io",
        resourceId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-payments-shared/providers/Microsoft.ContainerRegistry/registries/contosopayments",
      },
      secrets: { LEDGER_DB_CONNECTION_STRING: "ledger-db-connection-string" },
      tools: [
        { name: "get_balance", roles: ["Ledger.Read"] },
        { name: "list_transactions", roles: ["Ledger.Read"] },
      ],
      // Read-only tools, but an expensive backend: a tighter per-caller budget than the default.
      rateLimit: { calls: 30, renewalPeriodSeconds: 60 },
    },
  ],
};

function platform(): HardenedMcpPlatform {
  try {
    return new HardenedMcpPlatform("payments", args);
  } catch (err) {
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

const payments = platform();

// The team's operators may read the vault's secrets during an incident: one more grant, still scoped
// to this one vault, through the same helper the platform uses.
payments.vault.grantSecretsRead("operators", { principalId: config.require("operatorsGroupObjectId"), principalType: "Group" });

// Components are reachable for further wiring, typed.
const ledger: McpServer = payments.servers["ledger"].server;

export const gatewayUrl = payments.gatewayUrl;
export const ledgerMcpUrl = payments.servers["ledger"].endpoints.mcpUrl;
export const ledgerPrmUrl = payments.servers["ledger"].endpoints.prmUrl;
export const ledgerIdentityPrincipalId = ledger.identity.principalId;
