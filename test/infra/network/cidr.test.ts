import {
  completeSubnetCidrs,
  defaultSubnetCidrs,
  minimumPrefixFor,
  networkLayoutProblems,
  parseCidr,
  validateNetworkLayout,
} from "../../../infra/network/cidr";
import { describeProblem } from "../../../infra/shared/settingError";

const good = { gateway: "10.20.0.0/24", endpoints: "10.20.1.0/24", apps: "10.20.2.0/23" };

describe("parseCidr", () => {
  it("parses a network block into an inclusive range", () => {
    expect(parseCidr(["x"], "10.20.2.0/23")).toEqual({ cidr: "10.20.2.0/23", prefix: 23, first: 0x0a140200, last: 0x0a1403ff });
  });

  it.each([["10.1/16"], ["10.0.0.0"], ["10.0.0.0/33"], ["fd00::/64"], ["not-a-cidr"]])("refuses %s, naming the setting", (value) => {
    expect(() => parseCidr(["subnets", "apps"], value)).toThrow(
      `subnets.apps: "${value}" is not an IPv4 CIDR block. Write it as a.b.c.d/n (for example 10.20.0.0/24).`,
    );
  });

  it("refuses host bits and gives the network address to use", () => {
    expect(() => parseCidr(["subnets", "gateway"], "10.20.0.5/24")).toThrow(
      "subnets.gateway: 10.20.0.5/24 has host bits set. Use 10.20.0.0/24, the network address of that block.",
    );
  });
});

describe("defaultSubnetCidrs", () => {
  it("carves gateway, endpoints and apps from the start of the space", () => {
    expect(defaultSubnetCidrs("10.20.0.0/16")).toEqual(good);
    expect(defaultSubnetCidrs("192.168.4.0/22")).toEqual({
      gateway: "192.168.4.0/24",
      endpoints: "192.168.5.0/24",
      apps: "192.168.6.0/23",
    });
  });

  it("gives a layout that validates in every gateway mode", () => {
    for (const gatewayMode of ["integration", "injection", "injectionV2"] as const) {
      expect(networkLayoutProblems({ addressSpace: "10.9.0.0/22", subnets: defaultSubnetCidrs("10.9.0.0/22"), gatewayMode })).toEqual([]);
    }
  });

  it("refuses a space smaller than /22", () => {
    expect(() => defaultSubnetCidrs("10.0.0.0/23")).toThrow(
      "addressSpace: 10.0.0.0/23 is too small for the default subnets (they need a /22). Use a /22 or larger, or set the gateway, apps and endpoints subnets explicitly.",
    );
  });
});

describe("minimum subnet sizes", () => {
  it("follows Microsoft's documented minimums", () => {
    expect(minimumPrefixFor("gateway", "integration").prefix).toBe(27);
    expect(minimumPrefixFor("gateway", "injectionV2").prefix).toBe(27);
    expect(minimumPrefixFor("gateway", "injection").prefix).toBe(29);
    expect(minimumPrefixFor("apps", "integration").prefix).toBe(27);
    expect(minimumPrefixFor("endpoints", "integration").prefix).toBe(29);
  });
});

describe("validateNetworkLayout", () => {
  it("accepts the defaults", () => {
    expect(() => validateNetworkLayout({ addressSpace: "10.20.0.0/16", subnets: good, gatewayMode: "integration" })).not.toThrow();
  });

  it("refuses an apps subnet smaller than /27 with the fix", () => {
    expect(
      networkLayoutProblems({ addressSpace: "10.20.0.0/16", subnets: { ...good, apps: "10.20.2.0/28" }, gatewayMode: "integration" }).map(describeProblem),
    ).toEqual([
      "subnets.apps: 10.20.2.0/28 is smaller than /27, the minimum for a Container Apps workload-profiles environment. Use a /27 or larger.",
    ]);
  });

  it("sizes the gateway subnet by mode", () => {
    const subnets = { ...good, gateway: "10.20.0.0/28" };
    expect(networkLayoutProblems({ addressSpace: "10.20.0.0/16", subnets, gatewayMode: "injection" })).toEqual([]);
    expect(networkLayoutProblems({ addressSpace: "10.20.0.0/16", subnets, gatewayMode: "integration" }).map(describeProblem)).toEqual([
      "subnets.gateway: 10.20.0.0/28 is smaller than /27, the minimum for API Management v2 VNet integration. Use a /27 or larger.",
    ]);
    expect(networkLayoutProblems({ addressSpace: "10.20.0.0/16", subnets, gatewayMode: "injectionV2" }).map(describeProblem)).toEqual([
      "subnets.gateway: 10.20.0.0/28 is smaller than /27, the minimum for API Management Premium v2 VNet injection. Use a /27 or larger.",
    ]);
    expect(
      networkLayoutProblems({ addressSpace: "10.20.0.0/16", subnets: { ...good, gateway: "10.20.0.0/30" }, gatewayMode: "injection" }).map(describeProblem),
    ).toEqual([
      "subnets.gateway: 10.20.0.0/30 is smaller than /29, the minimum for classic API Management VNet injection (each extra unit needs 2 more addresses). Use a /29 or larger.",
    ]);
  });

  it("refuses a subnet outside the address space", () => {
    expect(
      networkLayoutProblems({ addressSpace: "10.20.0.0/16", subnets: { ...good, endpoints: "10.21.1.0/24" }, gatewayMode: "integration" }).map(describeProblem),
    ).toEqual([
      "subnets.endpoints: 10.21.1.0/24 is outside the address space 10.20.0.0/16. Pick a block inside it or widen the address space.",
    ]);
  });

  it("refuses overlapping subnets, naming both", () => {
    expect(
      networkLayoutProblems({ addressSpace: "10.20.0.0/16", subnets: { ...good, endpoints: "10.20.3.0/24" }, gatewayMode: "integration" }).map(describeProblem),
    ).toEqual([
      "subnets.endpoints: 10.20.3.0/24 overlaps the apps subnet (10.20.2.0/23). Give each subnet its own block.",
    ]);
  });

  it("reports every problem at once", () => {
    expect(() =>
      validateNetworkLayout({
        addressSpace: "10.20.0.1/16",
        subnets: { gateway: "10.20.0.0/24", apps: "10.20.0.0/24", endpoints: "bogus" },
        gatewayMode: "integration",
      }),
    ).toThrow(
      [
        "Invalid network layout:",
        "  - addressSpace: 10.20.0.1/16 has host bits set. Use 10.20.0.0/16, the network address of that block.",
        '  - subnets.endpoints: "bogus" is not an IPv4 CIDR block. Write it as a.b.c.d/n (for example 10.20.0.0/24).',
        "  - subnets.apps: 10.20.0.0/24 overlaps the gateway subnet (10.20.0.0/24). Give each subnet its own block.",
      ].join("\n"),
    );
  });
});

describe("completeSubnetCidrs", () => {
  it("fills only the subnets left out", () => {
    expect(completeSubnetCidrs("10.20.0.0/16", { apps: "10.20.8.0/23" })).toEqual({ ...good, apps: "10.20.8.0/23" });
  });

  it("needs no defaults (nor a /22) when every subnet is given", () => {
    const small = { gateway: "10.0.0.0/27", apps: "10.0.0.32/27", endpoints: "10.0.0.64/29" };
    expect(completeSubnetCidrs("10.0.0.0/24", small)).toEqual(small);
    expect(() => completeSubnetCidrs("10.0.0.0/24", { gateway: "10.0.0.0/27" })).toThrow("addressSpace: 10.0.0.0/24 is too small");
  });
});
