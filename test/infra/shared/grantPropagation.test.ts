import * as pulumi from "@pulumi/pulumi";
import { afterGrants, grantPropagationClock, remainingSettleMs } from "../../../infra/shared/grantPropagation";

/** The wait a fresh grant's consumer goes through: how long, when, and what it says. */
describe("remainingSettleMs", () => {
  const created = "2026-12-02T03:00:00Z";
  const at = (iso: string) => Date.parse(iso);

  it("waits out the rest of ten minutes from ARM's creation time", () => {
    expect(remainingSettleMs(created, at("2026-12-02T03:00:00Z"))).toBe(600_000);
    expect(remainingSettleMs(created, at("2026-12-02T03:04:00Z"))).toBe(360_000);
    expect(remainingSettleMs(created, at("2026-12-02T03:10:00Z"))).toBe(0);
    expect(remainingSettleMs(created, at("2026-12-05T00:00:00Z"))).toBe(0);
  });

  it("takes another settle period when asked, and none without a creation time", () => {
    expect(remainingSettleMs(created, at("2026-12-02T03:00:30Z"), 60)).toBe(30_000);
    expect(remainingSettleMs(undefined, at("2026-12-02T03:00:00Z"))).toBe(0);
    expect(remainingSettleMs("not a date", at("2026-12-02T03:00:00Z"))).toBe(0);
  });
});

describe("afterGrants", () => {
  const slept: number[] = [];
  const logged: string[] = [];
  const realClock = { ...grantPropagationClock };
  const now = Date.parse("2026-12-02T03:02:00Z");

  beforeAll(() => {
    grantPropagationClock.now = () => now;
    grantPropagationClock.sleep = async (ms) => void slept.push(ms);
    jest.spyOn(pulumi.log, "info").mockImplementation(async (message: string) => void logged.push(message));
  });
  afterAll(() => Object.assign(grantPropagationClock, realClock));
  beforeEach(() => {
    slept.length = 0;
    logged.length = 0;
  });

  const grant = (createdOn: string | undefined, description: string) => ({ createdOn: pulumi.output(createdOn as string), description: pulumi.output(description) });
  const settle = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply((v) => resolve(v)));

  it("holds the value until the freshest grant has settled, naming the consumer and the grant", async () => {
    jest.spyOn(pulumi.runtime, "isDryRun").mockReturnValue(false);
    const value = afterGrants("container app ca-x", [grant("2026-12-02T03:01:00Z", "AcrPull for MCP server x"), grant("2026-11-01T00:00:00Z", "old grant")], "env-id");
    expect(await settle(value)).toBe("env-id");
    expect(slept).toEqual([540_000]);
    expect(logged).toEqual(['container app ca-x waits 540 s for "AcrPull for MCP server x" to take effect (Azure RBAC: up to 10 minutes).']);
  });

  it("does not wait for grants from earlier deployments, in a preview, or without grants", async () => {
    jest.spyOn(pulumi.runtime, "isDryRun").mockReturnValue(false);
    expect(await settle(afterGrants("c", [grant("2026-11-01T00:00:00Z", "old")], 1))).toBe(1);
    jest.spyOn(pulumi.runtime, "isDryRun").mockReturnValue(true);
    expect(await settle(afterGrants("c", [grant("2026-12-02T03:01:59Z", "fresh")], 2))).toBe(2);
    expect(await settle(afterGrants("c", [], 3))).toBe(3);
    expect(slept).toEqual([]);
    expect(logged).toEqual([]);
  });
});
