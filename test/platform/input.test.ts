import { MockRuntime } from "../../testing/mock/mockRuntime";
import type { HardenedMcpPlatformArgs } from "../../infra/platform";
import { devRawConfig } from "../config/fixtures";

const devInput = () => devRawConfig() as HardenedMcpPlatformArgs;

// The typed entry point: the component applies defaults and checks its input itself, before it registers.
let runtime: MockRuntime;
let lib: typeof import("../../infra/platform") & typeof import("../../infra/config/parse") & typeof import("../../infra/config/errors");

beforeAll(async () => {
  runtime = await MockRuntime.start({ stack: "input" });
  lib = {
    ...(await import("../../infra/platform")),
    ...(await import("../../infra/config/parse")),
    ...(await import("../../infra/config/errors")),
  };
});

describe("HardenedMcpPlatform input", () => {
  it("refuses a bad typed input with every problem, before anything is registered", async () => {
    const input: HardenedMcpPlatformArgs = { ...devInput(), servers: [{ ...devInput().servers[0], name: "ab" }] };
    expect(() => new lib.HardenedMcpPlatform("bad", input)).toThrow(lib.ConfigError);
    expect(() => new lib.HardenedMcpPlatform("bad", input)).toThrow(/servers\[0\]\.name: "ab" is 2 characters; an MCP server name must be 3-29/);
    await runtime.settle();
    expect(runtime.resources).toHaveLength(0);
  });

  it("applies the defaults inside (the same settings parsePlatformConfig gives)", () => {
    const raw = devInput();
    const resolved = lib.resolvePlatformArgs({ ...raw, context: { project: "hardened-mcp", stack: "dev" } });
    expect(resolved).toEqual(lib.parsePlatformConfig(raw, { project: "hardened-mcp", stack: "dev" }));
    expect(resolved.servers[0].port).toBe(8080);
  });

  it("takes checked settings as they are, but checks a hand-built look-alike", () => {
    const settings = lib.parsePlatformConfig(devRawConfig(), { project: "hardened-mcp", stack: "dev" });
    expect(lib.resolvePlatformArgs(settings)).toBe(settings);
    const lookAlike = JSON.parse(JSON.stringify(settings));
    expect(() => lib.resolvePlatformArgs(lookAlike)).toThrow(lib.ConfigError);
  });
});
