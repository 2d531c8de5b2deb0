import { runSmoke } from "../../cli/smoke";
import { defaultCredentialTokens } from "../../cli/smoke/tokens";
import { describeIf, smokePrerequisite } from "./prerequisites";

/**
 * `hardened-mcp smoke` against a live gateway (the checks live in cli/smoke/). Point it at a deployment:
 *   HARDENED_MCP_GATEWAY_URL=https://... HARDENED_MCP_SERVER=github-tools [HARDENED_MCP_SMOKE_CALL=<tool>] \
 *   [HARDENED_MCP_SMOKE_ARGUMENTS='{"q":"x"}'] npx jest test/live/smoke
 * Signs in with DefaultAzureCredential; without one the verb says why and the test fails with that report.
 */
describeIf(smokePrerequisite(), "live gateway smoke test")("live gateway smoke test", () => {
  it("passes every smoke check", async () => {
    const call = process.env.HARDENED_MCP_SMOKE_CALL;
    const argv = call ? ["--call", call, "--arguments", process.env.HARDENED_MCP_SMOKE_ARGUMENTS ?? "{}"] : ["--no-call"];
    const lines: string[] = [];
    const code = await runSmoke(argv, { env: process.env, out: (l) => lines.push(l), err: (l) => lines.push(l), tokens: defaultCredentialTokens });
    process.stdout.write(`${lines.join("\n")}\n`);
    expect({ code, report: lines.join("\n") }).toEqual({ code: 0, report: expect.any(String) });
  }, 120_000);
});
