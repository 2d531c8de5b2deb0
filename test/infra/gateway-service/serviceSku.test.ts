import {
  gatewayTlsCustomProperties,
  PINNED_SKU_NAMES,
  resolveGatewaySku,
  validateGatewayHostName,
  WEAK_CIPHER_SUITES,
} from "../../../infra/gateway/serviceSku";

describe("resolveGatewaySku", () => {
  it("defaults to Standard v2, one unit, External outbound integration, public front door", () => {
    expect(resolveGatewaySku({})).toEqual({
      sku: { name: "StandardV2", capacity: 1 },
      network: "integration",
      virtualNetworkType: "External",
      publicNetworkAccess: "Enabled",
    });
  });

  it("refuses Internal mode, a public IP and zones on Standard v2", () => {
    expect(() => resolveGatewaySku({ virtualNetworkMode: "Internal" })).toThrow(/"Internal" is not available on StandardV2.*outbound only/);
    expect(() => resolveGatewaySku({ publicIpAddressId: "/subscriptions/x/pip" })).toThrow(/publicIpAddressId: applies only to classic injection/);
    expect(() => resolveGatewaySku({ zones: ["1"] })).toThrow(/zones: is supported here only on Premium/);
  });

  it("injects Premium in External or Internal mode, with zones and a public IP", () => {
    expect(resolveGatewaySku({ sku: "Premium", capacity: 2, zones: ["1", "2"], publicIpAddressId: "pip" })).toEqual({
      sku: { name: "Premium", capacity: 2 },
      network: "injection",
      virtualNetworkType: "External",
      publicNetworkAccess: "Enabled",
      zones: ["1", "2"],
    });
    expect(resolveGatewaySku({ sku: "Premium", virtualNetworkMode: "Internal" }).virtualNetworkType).toBe("Internal");
  });

  it("injects Developer like Premium but with exactly one unit and no zones", () => {
    expect(resolveGatewaySku({ sku: "Developer", virtualNetworkMode: "Internal" })).toMatchObject({
      sku: { name: "Developer", capacity: 1 },
      network: "injection",
      virtualNetworkType: "Internal",
    });
    expect(() => resolveGatewaySku({ sku: "Developer", capacity: 2 })).toThrow(/capacity: 2 is out of range for Developer.*1 to 1/);
    expect(() => resolveGatewaySku({ sku: "Developer", zones: ["1"] })).toThrow(/only on Premium/);
  });

  it("refuses PremiumV2 because the pinned API version cannot express it", () => {
    expect(PINNED_SKU_NAMES).not.toContain("PremiumV2");
    expect(() => resolveGatewaySku({ sku: "PremiumV2" })).toThrow(
      /^sku: "PremiumV2" cannot be deployed with the pinned @pulumi\/azure-native: its API Management API version 2024-05-01 has no PremiumV2 SKU/,
    );
  });

  it("accepts PremiumV2 injection once the SDK's API version lists it", () => {
    expect(resolveGatewaySku({ sku: "PremiumV2", virtualNetworkMode: "Internal" }, [...PINNED_SKU_NAMES, "PremiumV2"])).toMatchObject({
      sku: { name: "PremiumV2", capacity: 1 },
      network: "v2-injection",
      virtualNetworkType: "Internal",
    });
  });

  it("refuses tiers that cannot keep backends private, with the reason", () => {
    for (const sku of ["Consumption", "Basic", "Standard", "BasicV2"]) {
      expect(() => resolveGatewaySku({ sku })).toThrow(new RegExp(`^sku: "${sku}" is refused: it cannot reach a private backend`));
    }
    expect(() => resolveGatewaySku({ sku: "Isolated" })).toThrow(/not generally available/);
    expect(() => resolveGatewaySku({ sku: "Gold" })).toThrow(/not an API Management tier the kit knows/);
  });

  it("checks capacity", () => {
    expect(() => resolveGatewaySku({ capacity: 0 })).toThrow(/capacity: 0 is out of range/);
    expect(() => resolveGatewaySku({ capacity: 11 })).toThrow(/1 to 10/);
    expect(() => resolveGatewaySku({ capacity: 1.5 })).toThrow(/out of range/);
  });
});

describe("gatewayTlsCustomProperties", () => {
  const props = gatewayTlsCustomProperties("Premium");
  const prefix = "Microsoft.WindowsAzure.ApiManagement.Gateway";

  it("turns off SSL 3.0, TLS 1.0 and TLS 1.1 towards clients and backends", () => {
    for (const side of ["Security.Protocols", "Security.Backend.Protocols"]) {
      for (const protocol of ["Ssl30", "Tls10", "Tls11"]) expect(props[`${prefix}.${side}.${protocol}`]).toBe("False");
    }
  });

  it("turns off 3DES and every static-RSA or CBC suite API Management lets you disable", () => {
    expect(props[`${prefix}.Security.Ciphers.TripleDes168`]).toBe("False");
    for (const suite of WEAK_CIPHER_SUITES) expect(props[`${prefix}.Security.Ciphers.${suite}`]).toBe("False");
    const ciphers = Object.keys(props).filter((k) => k.includes(".Ciphers."));
    expect(ciphers).toHaveLength(11);
    expect(ciphers.every((k) => /TripleDes168|_RSA_WITH_|_CBC_/.test(k))).toBe(true);
  });

  it("sends no cipher settings on the v2 tiers, whose ciphers the platform fixes, but still turns old protocols off", () => {
    const v2 = gatewayTlsCustomProperties("StandardV2");
    expect(Object.keys(v2).filter((k) => k.includes(".Ciphers."))).toEqual([]);
    expect(v2[`${prefix}.Security.Protocols.Tls10`]).toBe("False");
    expect(v2[`${prefix}.Security.Backend.Protocols.Tls11`]).toBe("False");
  });

  it("turns HTTP/2 on, and every value is an explicit True/False string", () => {
    expect(props[`${prefix}.Protocols.Server.Http2`]).toBe("True");
    expect(Object.values(props).every((v) => v === "True" || v === "False")).toBe(true);
    expect(Object.entries(props).filter(([, v]) => v === "True").map(([k]) => k)).toEqual([`${prefix}.Protocols.Server.Http2`]);
  });
});

describe("validateGatewayHostName", () => {
  it("accepts a lowercase host name and refuses anything else", () => {
    expect(() => validateGatewayHostName("mcp.contoso.com")).not.toThrow();
    for (const bad of ["https://mcp.contoso.com", "*.contoso.com", "MCP.contoso.com", "mcp", "mcp.contoso.com:443", "mcp.contoso.com/x"]) {
      expect(() => validateGatewayHostName(bad)).toThrow(/^customDomain\.hostName: .* is not a lowercase DNS host name/);
    }
    expect(() => validateGatewayHostName("mcp.azure-api.net")).toThrow(/under azure-api\.net/);
  });
});
