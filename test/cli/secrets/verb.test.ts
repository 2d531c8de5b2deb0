import { main } from "../../../cli/main";

it("`hardened-mcp secrets --help` is reachable from the command line and exits 0", async () => {
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    expect(await main(["secrets", "--help"])).toBe(0);
    expect(log.mock.calls.map((c) => String(c[0])).join("\n")).toContain("usage: hardened-mcp secrets <seed|list|check>");
    expect(await main(["--help"])).toBe(0);
    expect(log.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/^\s+secrets\s+seed, list and check/m);
  } finally {
    log.mockRestore();
  }
});
