import * as pulumi from "@pulumi/pulumi";
import { MockRuntime } from "../../testing/mock/mockRuntime";

describe("MockRuntime", () => {
  it("records parents, ARM ids, property dependencies and redacted secrets", async () => {
    const runtime = await MockRuntime.start({ stack: "unit" });
    const keyvault = await import("@pulumi/azure-native/keyvault");
    class Box extends pulumi.ComponentResource {
      constructor(name: string) {
        super("hardened-mcp:azure:Box", name, {}, {});
        const vault = new keyvault.Vault(
          "kv",
          {
            resourceGroupName: "rg-x",
            vaultName: "kv-x",
            properties: { tenantId: "t", sku: { family: "A", name: "standard" }, enableRbacAuthorization: true },
          },
          { parent: this },
        );
        new keyvault.Secret(
          "s",
          { resourceGroupName: "rg-x", vaultName: vault.name, secretName: "s1", properties: { value: pulumi.secret("hunter2") } },
          { parent: this },
        );
      }
    }
    new Box("box");
    await runtime.settle();
    const vault = runtime.one("azure-native:keyvault:Vault");
    expect(vault.parent).toContain("hardened-mcp:azure:Box");
    const secret = runtime.one("azure-native:keyvault:Secret");
    expect(secret.inputs.properties).toEqual({ value: "[secret]" });
    expect(secret.inputs.vaultName).toBe("kv-x");
    expect(secret.propertyDependencies.vaultName).toEqual([vault.urn]);
    expect(JSON.stringify(runtime.resources)).not.toContain("hunter2");
  });
});
