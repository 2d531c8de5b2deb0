/** `hardened-mcp smoke`: is a deployed MCP gateway doing its job? Plain-language results, one per check. */
import { parseArgs } from "util";
import { MCP_TOOL_NAME } from "../baseline/identifiers";
import { CLOUDS } from "./azureClouds";
import { checkSession, ToolCall } from "./smoke/session";
import { checkChallenge, checkMetadata, checkOrigin, checkQueryToken, checkWrongAudience, StepResult } from "./smoke/steps";
import { parseTarget } from "./smoke/target";
import { defaultCredentialTokens, defaultScope, TokenSource } from "./smoke/tokens";

const usage = `usage: hardened-mcp smoke --gateway-url <url> --server <name> (--call <tool> [--arguments <json>] | --no-call)
                          [--scope <scope>] [--cloud public|china|usgovernment] [--json]
  Probes a deployed gateway as an attacker and as a client would, and says in plain words what works:
    anonymous call challenged (401 + resource_metadata), protected-resource metadata served,
    token in the URL refused, foreign browser origin refused, token for another audience refused,
    then with the signed-in identity (MCP SDK client): session opened, tools listed, one allowed tool called.
  --gateway-url  the stack output gatewayUrl (or HARDENED_MCP_GATEWAY_URL)
  --server       the server's name (or HARDENED_MCP_SERVER)
  --call         a tool the signed-in identity may call; --arguments its JSON arguments (default {})
  --no-call      skip the tool call (said so in the results)
  --scope        the scope to request (default: <resource of the first advertised scope>/.default;
                 or HARDENED_MCP_SMOKE_SCOPE)
  --cloud        the Entra cloud to sign in at (default: from the gateway host, else public)
  Signs in with DefaultAzureCredential (az login, workload identity, managed identity).
Exit status: 0 every check passed, 1 a check failed, 2 usage errors, or no credential (with no failure found).`;

export interface SmokeIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly tokens: TokenSource;
}

interface Options {
  "gateway-url"?: string;
  server?: string;
  call?: string;
  arguments?: string;
  "no-call"?: boolean;
  scope?: string;
  cloud?: string;
  json?: boolean;
  help?: boolean;
}

function parseCall(values: Options, problems: string[]): ToolCall | undefined {
  if (values.call !== undefined && values["no-call"]) problems.push("--call and --no-call exclude each other.");
  if (values.call === undefined && !values["no-call"]) {
    problems.push("name a tool the signed-in identity may call with --call <tool> [--arguments <json>], or pass --no-call to skip that check.");
  }
  if (values.arguments !== undefined && values.call === undefined) problems.push("--arguments needs --call.");
  if (values.call === undefined) return undefined;
  if (!MCP_TOOL_NAME.test(values.call)) problems.push(`--call "${values.call}" is not an MCP tool name (1-128 of A-Z a-z 0-9 _ - .).`);
  let args: unknown = {};
  try {
    args = JSON.parse(values.arguments ?? "{}");
  } catch {
    problems.push("--arguments is not JSON; give an object such as '{\"query\":\"status\"}'.");
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    problems.push("--arguments must be a JSON object.");
    return undefined;
  }
  return { name: values.call, arguments: args as Record<string, unknown> };
}

function report(io: SmokeIo, heading: string, results: readonly StepResult[], json: boolean, note?: string): void {
  if (json) {
    io.out(JSON.stringify({ target: heading, results, ...(note ? { note } : {}) }, null, 2));
    return;
  }
  io.out(`hardened-mcp smoke: ${heading}`);
  const width = Math.max(...results.map((r) => r.step.length));
  for (const r of results) io.out(`  ${r.outcome === "pass" ? "ok  " : r.outcome === "fail" ? "FAIL" : "--  "}  ${r.step.padEnd(width)}  ${r.detail}`);
  const count = (o: StepResult["outcome"]) => results.filter((r) => r.outcome === o).length;
  io.out(`${count("pass")} of ${results.length} checks passed${count("fail") ? `, ${count("fail")} failed` : ""}${count("not run") ? `, ${count("not run")} not run` : ""}.`);
  if (note) io.out(note);
}

function credentialReason(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  return `cannot run the signed-in checks: no token (${message}). Sign in (\`az login\`, workload identity or a managed identity) and run again.`;
}

/** Stopped before the signed-in checks: a failure already found wins (1); otherwise it could not run (2). */
function stoppedStatus(results: readonly StepResult[]): number {
  return results.some((r) => r.outcome === "fail") ? 1 : 2;
}

export async function runSmoke(argv: string[], io: SmokeIo): Promise<number> {
  let values: Options;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "gateway-url": { type: "string" },
        server: { type: "string" },
        call: { type: "string" },
        arguments: { type: "string" },
        "no-call": { type: "boolean" },
        scope: { type: "string" },
        cloud: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`hardened-mcp smoke: ${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.out(usage);
    return 0;
  }
  const target = parseTarget(values["gateway-url"] ?? io.env.HARDENED_MCP_GATEWAY_URL, values.server ?? io.env.HARDENED_MCP_SERVER, values.cloud);
  const problems = Array.isArray(target) ? [...target] : [];
  const call = parseCall(values, problems);
  if (problems.length > 0 || Array.isArray(target)) {
    for (const p of problems) io.err(`hardened-mcp smoke: ${p}`);
    return 2;
  }

  const results: StepResult[] = [];
  const probe = async <T>(run: () => Promise<T>, onError: (err: unknown) => T): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      return onError(err);
    }
  };
  const unreachable = (step: string) => (err: unknown): StepResult => ({
    step,
    outcome: "fail",
    detail: `no answer from the gateway (${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}).`,
  });
  results.push(await probe(() => checkChallenge(target), unreachable("anonymous call challenged")));
  const meta = await probe(() => checkMetadata(target), (err) => ({ result: unreachable("protected-resource metadata")(err), metadata: undefined }));
  results.push(meta.result);
  results.push(await probe(() => checkQueryToken(target), unreachable("token in the URL refused")));
  results.push(await probe(() => checkOrigin(target), unreachable("foreign browser origin refused")));

  const scope = values.scope ?? io.env.HARDENED_MCP_SMOKE_SCOPE ?? (meta.metadata ? defaultScope(meta.metadata.scopes_supported) : undefined);
  if (!scope) {
    report(io, target.mcpUrl, results, values.json === true, "cannot run the signed-in checks: no scope (the metadata document gave none); pass --scope.");
    return stoppedStatus(results);
  }
  let serverToken: string;
  let foreignToken: string;
  try {
    serverToken = await io.tokens(scope, target);
    foreignToken = await io.tokens(CLOUDS[target.cloud].armScope, target);
  } catch (err) {
    report(io, target.mcpUrl, results, values.json === true, credentialReason(err));
    return stoppedStatus(results);
  }
  results.push(await probe(() => checkWrongAudience(target, foreignToken), unreachable("token for another audience refused")));
  results.push(...(await checkSession(target, serverToken, call)));
  if (!call) results.push({ step: "tool called", outcome: "not run", detail: "skipped with --no-call." });

  report(io, target.mcpUrl, results, values.json === true);
  return results.some((r) => r.outcome === "fail") ? 1 : 0;
}

export function run(argv: string[]): Promise<number> {
  return runSmoke(argv, { env: process.env, out: (l) => console.log(l), err: (l) => console.error(l), tokens: defaultCredentialTokens });
}
