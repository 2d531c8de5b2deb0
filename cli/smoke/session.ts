/**
 * The signed-in checks, through the official MCP TypeScript SDK client exactly as an MCP client would
 * connect: initialize, tools/list, and one tools/call the signed-in identity is allowed to make.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { StepResult } from "./steps";
import type { SmokeTarget } from "./target";

export interface ToolCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0];
}

export async function checkSession(t: SmokeTarget, token: string, call: ToolCall | undefined): Promise<StepResult[]> {
  const client = new Client({ name: "hardened-mcp-smoke", version: "1" });
  const transport = new StreamableHTTPClientTransport(new URL(t.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const results: StepResult[] = [];
  const notRun = (step: string) => results.push({ step, outcome: "not run", detail: "skipped: an earlier step failed." });
  try {
    try {
      await client.connect(transport);
    } catch (err) {
      results.push({ step: "session opened", outcome: "fail", detail: `initialize with the signed-in token failed: ${reason(err)}` });
      notRun("tools listed");
      if (call) notRun(`tool ${call.name} called`);
      return results;
    }
    const version = client.getServerVersion();
    results.push({ step: "session opened", outcome: "pass", detail: `initialize answered by ${version?.name ?? "the server"} ${version?.version ?? ""}`.trimEnd() + "." });

    let names: string[];
    try {
      names = (await client.listTools()).tools.map((tool) => tool.name);
    } catch (err) {
      results.push({ step: "tools listed", outcome: "fail", detail: `tools/list failed: ${reason(err)}` });
      if (call) notRun(`tool ${call.name} called`);
      return results;
    }
    results.push(
      names.length > 0
        ? { step: "tools listed", outcome: "pass", detail: `${names.length} tool${names.length === 1 ? "" : "s"}: ${names.join(", ")}.` }
        : { step: "tools listed", outcome: "fail", detail: "tools/list answered with no tools: check the server's approved tools." },
    );
    if (call && !names.includes(call.name)) {
      results.push({ step: `tool ${call.name} called`, outcome: "fail", detail: `${call.name} is not in tools/list: check the name, the server's approved tools and this identity's roles.` });
    } else if (call) {
      const step = `tool ${call.name} called`;
      try {
        const answer = await client.callTool({ name: call.name, arguments: call.arguments });
        results.push(
          answer.isError === true
            ? { step, outcome: "fail", detail: "the gateway let the call through but the tool answered with an error (isError)." }
            : { step, outcome: "pass", detail: "tools/call went through the gateway and the tool answered." },
        );
      } catch (err) {
        results.push({ step, outcome: "fail", detail: `tools/call was refused: ${reason(err)}` });
      }
    }
    return results;
  } finally {
    await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}
