import { defaultProviderUrn, qualifiedTypeOf, urnOf } from "../../../testing/engine/urns";

describe("URNs as the engine builds them", () => {
  const stackUrn = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";

  it("leaves the root stack's type out of a top-level resource's URN", () => {
    expect(urnOf("dev", "proj", stackUrn, "azure-native:resources:ResourceGroup", "rg")).toBe("urn:pulumi:dev::proj::azure-native:resources:ResourceGroup::rg");
    expect(urnOf("dev", "proj", "", "pulumi:pulumi:Stack", "proj-dev")).toBe(stackUrn);
  });

  it("chains every ancestor's type, not only the nearest parent's", () => {
    const platform = urnOf("dev", "proj", stackUrn, "kit:azure:Platform", "mcp");
    const server = urnOf("dev", "proj", platform, "kit:azure:Server", "mcp-a");
    const app = urnOf("dev", "proj", server, "azure-native:app:ContainerApp", "mcp-a-app");
    expect(app).toBe("urn:pulumi:dev::proj::kit:azure:Platform$kit:azure:Server$azure-native:app:ContainerApp::mcp-a-app");
    expect(qualifiedTypeOf(app)).toBe("kit:azure:Platform$kit:azure:Server$azure-native:app:ContainerApp");
  });

  it("names a default provider after the requested version", () => {
    expect(defaultProviderUrn("dev", "proj", "azure-native", "3.28.0")).toBe("urn:pulumi:dev::proj::pulumi:providers:azure-native::default_3_28_0");
    expect(defaultProviderUrn("dev", "proj", "azuread", "")).toBe("urn:pulumi:dev::proj::pulumi:providers:azuread::default");
    expect(defaultProviderUrn("dev", "proj", "x", "1.2.3-alpha.1")).toBe("urn:pulumi:dev::proj::pulumi:providers:x::default_1_2_3_alpha_1");
  });

  it("refuses what is not a URN", () => {
    expect(() => qualifiedTypeOf("azure-native:resources:ResourceGroup")).toThrow("Not a URN");
  });
});
