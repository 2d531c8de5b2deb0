import * as pulumi from "@pulumi/pulumi";
import { MockRuntime } from "../../../testing/mock/mockRuntime";

/**
 * ARM ids built from the names the program chose, so they are known during preview (azure-native leaves a new
 * resource's id unknown until it exists) and still carry the resource as a dependency.
 */
let runtime: MockRuntime;
let arm: typeof import("../../../infra/shared/armIds");
let keyvault: typeof import("@pulumi/azure-native/keyvault");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "arm-ids", subscriptionId: "11111111-2222-3333-4444-555555555555" });
  arm = await import("../../../infra/shared/armIds");
  keyvault = await import("@pulumi/azure-native/keyvault");
});

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("hardened-mcp:azure:Holder", name, {}, {});
  }
}

const vaultArgs = (vaultName?: string) => ({
  resourceGroupName: "rg-mcp",
  ...(vaultName ? { vaultName } : {}),
  properties: { tenantId: "00000000-0000-0000-0000-000000000001", sku: { family: "A" as const, name: "standard" as const } },
});

describe("knownArmId", () => {
  it("builds the id from the provider's subscription, the group and the name, and depends on the resource", async () => {
    const holder = new Holder("ids");
    const vault = new keyvault.Vault("ids-kv", vaultArgs("kv-mcp-dev-ab12c"), { parent: holder });
    const id = arm.knownArmId(vault, { subscriptionId: arm.subscriptionIdOf(holder), resourceGroupName: "rg-mcp" }, [
      "Microsoft.KeyVault/vaults",
      "kv-mcp-dev-ab12c",
    ]);
    new keyvault.Vault(
      "ids-consumer",
      { ...vaultArgs("kv-consumer"), properties: { ...vaultArgs().properties, tenantId: id } },
      { parent: holder },
    );
    await runtime.settle();
    const consumer = runtime.one("azure-native:keyvault:Vault", "ids-consumer");
    expect((consumer.inputs.properties as { tenantId: string }).tenantId).toBe(
      "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-mcp/providers/Microsoft.KeyVault/vaults/kv-mcp-dev-ab12c",
    );
    expect(consumer.propertyDependencies.properties).toContain(runtime.one("azure-native:keyvault:Vault", "ids-kv").urn);
  });

  it("falls back to the resource's own id when a name is left to auto-naming", async () => {
    const holder = new Holder("auto");
    const vault = new keyvault.Vault("auto-kv", vaultArgs(), { parent: holder });
    const id = arm.knownArmId(vault, { subscriptionId: "s", resourceGroupName: "rg-mcp" }, ["Microsoft.KeyVault/vaults", undefined]);
    expect(id).toBe(vault.id);
    await runtime.settle();
  });
});

describe("after", () => {
  it("passes a value the program chose through, waiting for the resource", async () => {
    const holder = new Holder("after");
    const vault = new keyvault.Vault("after-kv", vaultArgs("kv-after"), { parent: holder });
    new keyvault.Vault("after-consumer", { ...vaultArgs(), vaultName: arm.after(vault, "kv-after-consumer") }, { parent: holder });
    await runtime.settle();
    const consumer = runtime.one("azure-native:keyvault:Vault", "after-consumer");
    expect(consumer.inputs.vaultName).toBe("kv-after-consumer");
    expect(consumer.propertyDependencies.vaultName).toEqual([runtime.one("azure-native:keyvault:Vault", "after-kv").urn]);
  });
});
