/**
 * Properties of the CIDR math behind the network layout checks, against an independent oracle: 32-bit
 * arithmetic written here and ipaddr.js's own range matching. Runs are few (each is microseconds) and the
 * seed is fixed by fast-check per run, so a failure prints a counterexample to replay.
 */
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { defaultSubnetCidrs, GatewayNetworkMode, networkLayoutProblems, parseCidr } from "../../../infra/network/cidr";

const RUNS = { numRuns: 200 };

const toDotted = (n: number): string => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");
const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Any IPv4 address as an unsigned 32-bit number, and any prefix length. */
const address = fc.integer({ min: 0, max: 0xffffffff });
const prefix = fc.integer({ min: 0, max: 32 });

/** A well-formed block (host bits zero), as the oracle sees it. */
const blockAt = (a: number, p: number) => {
  const first = (a & maskOf(p)) >>> 0;
  return { cidr: `${toDotted(first)}/${p}`, first, last: first + 2 ** (32 - p) - 1, prefix: p };
};
const block = fc.tuple(address, prefix).map(([a, p]) => blockAt(a, p));

/**
 * Two blocks in the same /12 with prefixes in [min, max], so nested, overlapping, adjacent and disjoint
 * pairs all come up often (two blocks drawn from the whole IPv4 space almost never touch).
 */
const nearbyPair = (min: number, max: number) =>
  fc
    .tuple(address, fc.integer({ min: 0, max: 2 ** 20 - 1 }), fc.integer({ min, max }), fc.integer({ min, max }))
    .map(([a, low, pa, pb]) => [blockAt(a, pa), blockAt(((a & 0xfff00000) | low) >>> 0, pb)] as const);

/** ipaddr.js's own answer to "is this address inside that block". */
const inBlock = (n: number, cidr: string): boolean => ipaddr.IPv4.parse(toDotted(n)).match(ipaddr.IPv4.parseCIDR(cidr));

describe("parseCidr (property)", () => {
  // Would catch: a range one address too short or too long (last = first + size instead of size - 1), or a
  // prefix read wrongly for /0 or /32, i.e. containment and overlap checks decided on the wrong addresses.
  it("gives the exact inclusive range of every block", () => {
    fc.assert(
      fc.property(block, (b) => {
        const parsed = parseCidr(["x"], b.cidr);
        expect(parsed).toEqual({ cidr: b.cidr, prefix: b.prefix, first: b.first, last: b.last });
        expect(inBlock(parsed.first, b.cidr) && inBlock(parsed.last, b.cidr)).toBe(true);
        if (parsed.first > 0) expect(inBlock(parsed.first - 1, b.cidr)).toBe(false);
        if (parsed.last < 0xffffffff) expect(inBlock(parsed.last + 1, b.cidr)).toBe(false);
      }),
      RUNS,
    );
  });

  // Would catch: accepting an address with host bits set (Azure rejects it, so the deployment would fail late),
  // or refusing a network address that is fine.
  it("accepts exactly the addresses whose host bits are zero", () => {
    fc.assert(
      fc.property(address, prefix, (a, p) => {
        const cidr = `${toDotted(a)}/${p}`;
        const hostBitsZero = (a & maskOf(p)) >>> 0 === a;
        if (hostBitsZero) expect(parseCidr(["x"], cidr).first).toBe(a);
        else expect(() => parseCidr(["x"], cidr)).toThrow(/has host bits set/);
      }),
      RUNS,
    );
  });
});

/** A layout whose only possible problems are the overlap and containment under test (sizes all large enough). */
function problemsFor(space: string, subnets: { gateway: string; apps: string; endpoints: string }): string[] {
  return networkLayoutProblems({ addressSpace: space, subnets, gatewayMode: "injection" }).map((p) => `${p.field.join(".")}: ${p.problem}`);
}

describe("network layout checks (property)", () => {
  // Would catch: an overlap test that only asks whether one block's first address is in the other (a big block
  // around a small one passes), or one comparing the wrong ends of the ranges.
  it("reports two subnets as overlapping exactly when they share an address", () => {
    fc.assert(
      fc.property(nearbyPair(12, 29), ([a, b]) => {
        const shareAnAddress = inBlock(a.first, b.cidr) || inBlock(b.first, a.cidr);
        const problems = problemsFor("0.0.0.0/0", { gateway: a.cidr, apps: "0.0.0.0/27", endpoints: b.cidr });
        const reported = problems.some((p) => p.startsWith("subnets.endpoints:") && p.includes("overlaps the gateway subnet"));
        expect(reported).toBe(shareAnAddress);
      }),
      RUNS,
    );
  });

  // Would catch: a containment test that lets a subnet hang over the end of the address space, or that refuses
  // a subnet equal to the whole space.
  it("reports a subnet outside the address space exactly when one of its addresses is outside", () => {
    fc.assert(
      fc.property(nearbyPair(12, 29), ([space, sub]) => {
        const inside = inBlock(sub.first, space.cidr) && inBlock(sub.last, space.cidr);
        const problems = problemsFor(space.cidr, { gateway: sub.cidr, apps: "0.0.0.0/1", endpoints: "128.0.0.0/1" });
        const reported = problems.some((p) => p.startsWith("subnets.gateway:") && p.includes("is outside the address space"));
        expect(reported).toBe(!inside);
      }),
      RUNS,
    );
  });

  // Would catch: a carving offset that puts two default subnets on the same addresses or past the end of the
  // space, a default subnet below its service's minimum size, or a space too small that is not refused.
  it("carves default subnets that pass every layout rule from any /22 or larger space", () => {
    const modes: GatewayNetworkMode[] = ["integration", "injection", "injectionV2"];
    fc.assert(
      fc.property(block, fc.constantFrom(...modes), (space, gatewayMode) => {
        if (space.prefix > 22) {
          expect(() => defaultSubnetCidrs(space.cidr)).toThrow(/too small for the default subnets/);
          return;
        }
        const subnets = defaultSubnetCidrs(space.cidr);
        expect(networkLayoutProblems({ addressSpace: space.cidr, subnets, gatewayMode })).toEqual([]);
        // Independently of the checker: every subnet inside the space, and no two sharing an address.
        const blocks = Object.values(subnets).map((cidr) => parseCidr(["x"], cidr));
        for (const b of blocks) expect(inBlock(b.first, space.cidr) && inBlock(b.last, space.cidr)).toBe(true);
        for (const [i, a] of blocks.entries()) for (const b of blocks.slice(i + 1)) expect(a.last < b.first || b.last < a.first).toBe(true);
      }),
      RUNS,
    );
  });
});
