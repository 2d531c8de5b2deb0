import { armResourceIdProblem, isChildResourceOf, parseArmResourceId } from "../../baseline/armResourceId";

const SUB = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub.net(1)";

describe("ARM resource ids", () => {
  it("splits a resource id, child types joined, names outermost first", () => {
    expect(parseArmResourceId(`${SUB}/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/apps`)).toEqual({
      subscriptionId: "11111111-1111-1111-1111-111111111111",
      resourceGroupName: "rg-hub.net(1)",
      type: "Microsoft.Network/virtualNetworks/subnets",
      names: ["vnet-hub", "apps"],
      name: "apps",
    });
  });

  it("refuses what is not one resource: a group, a subscription that is no GUID, a trailing slash, a missing name, a group ending in a dot", () => {
    for (const id of [
      SUB,
      "/subscriptions/prod/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
      `${SUB}/providers/Microsoft.KeyVault/vaults/kv/`,
      `${SUB}/providers/Microsoft.KeyVault/vaults`,
      "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg./providers/Microsoft.KeyVault/vaults/kv",
      "kv-hub",
    ]) {
      expect(`${id}: ${String(parseArmResourceId(id))}`).toBe(`${id}: undefined`);
    }
  });

  it("names the wrong type, comparing types as ARM does (any case)", () => {
    expect(armResourceIdProblem(`${SUB}/providers/microsoft.keyvault/VAULTS/kv`, "Microsoft.KeyVault/vaults")).toBeUndefined();
    expect(armResourceIdProblem(`${SUB}/providers/Microsoft.KeyVault/managedHSMs/hsm`, "Microsoft.KeyVault/vaults")).toBe(
      `"${SUB}/providers/Microsoft.KeyVault/managedHSMs/hsm" is the id of a Microsoft.KeyVault/managedHSMs, not of a Microsoft.KeyVault/vaults`,
    );
    expect(armResourceIdProblem("kv", "Microsoft.KeyVault/vaults")).toMatch(/^"kv" is not an ARM resource id/);
  });

  it("tells a child of a resource from a sibling whose name starts the same", () => {
    const vnet = `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet-hub`;
    expect(isChildResourceOf(`${vnet}/subnets/apps`, vnet)).toBe(true);
    expect(isChildResourceOf(`${vnet.toUpperCase()}/subnets/apps`, vnet)).toBe(true);
    expect(isChildResourceOf(`${vnet}-2/subnets/apps`, vnet)).toBe(false);
    expect(isChildResourceOf(vnet, vnet)).toBe(false);
  });
});
