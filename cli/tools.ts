/**
 * `hardened-mcp tools pin`: the definitions a running MCP server lists, as the pins (`tools[].definitionSha256`) the
 * gateway checks `tools/list` answers against. Ask the server directly or through the gateway; review the
 * definitions it prints before committing the pins (a pin approves exactly that text).
 */
import { createHash } from "crypto";
import { parseArgs } from "util";

const usage = `usage: hardened-mcp tools pin --url <MCP endpoint> [--token-env NAME] [--protocol-version 2025-11-25]
  Sends initialize, notifications/initialized and tools/list (following nextCursor) to the server and prints, per
  tool, its canonical definition and the SHA-256 to set as tools[].definitionSha256 in the server's config.
  --url               the MCP endpoint (the server's own, or the gateway's https://<host>/<server>/mcp)
  --token-env         environment variable holding a bearer token (never pass tokens on the command line)
  --protocol-version  MCP-Protocol-Version to speak (default 2025-11-25)
Exit status: 0 printed, 1 the server answered an error or no tools, 2 usage errors.`;

/**
 * Canonical JSON, the form the gateway hashes (infra/gateway/policy/toolList.ts): object keys sorted by UTF-16 code
 * unit, no whitespace, strings escaping only `"`, `\` and U+0000-U+001F (as `\u00xx`), integral numbers below 2^53
 * as integers. Numbers in exponent form are refused: the gateway's JSON.NET writes them differently.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    const text = String(value);
    if (/e/i.test(text)) throw new Error(`number ${text} has no canonical form the gateway shares; write it without an exponent`);
    return text;
  }
  if (typeof value === "string") {
    let out = '"';
    for (const ch of value) {
      const code = ch.charCodeAt(0);
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, "0")}`;
      else out += ch;
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${canonicalJson(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new Error(`${typeof value} is not JSON`);
}

/** The pin of one tool definition: SHA-256 of its canonical JSON, 64 lowercase hex digits. */
export function definitionSha256(tool: unknown): string {
  return createHash("sha256").update(canonicalJson(tool), "utf8").digest("hex");
}

/** The JSON-RPC message answering `id` in a JSON or SSE body. */
export function answerOf(contentType: string, body: string, id: number): Record<string, unknown> | undefined {
  const messages = contentType.toLowerCase().startsWith("text/event-stream")
    ? body
        .replace(/\r\n/g, "\n")
        .split("\n\n")
        .map((event) => event.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(l.startsWith("data: ") ? 6 : 5)).join("\n"))
        .filter((data) => data.trim() !== "")
        .map((data) => JSON.parse(data) as Record<string, unknown>)
    : [JSON.parse(body) as Record<string, unknown>];
  return messages.find((m) => m.id === id && m.method === undefined);
}

interface Session {
  post(message: Record<string, unknown>): Promise<{ status: number; contentType: string; body: string }>;
}

function session(url: string, token: string | undefined, version: string): Session {
  let sessionId: string | undefined;
  return {
    async post(message) {
      const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (message.method !== "initialize") headers["MCP-Protocol-Version"] = version;
      if (sessionId) headers["Mcp-Session-Id"] = sessionId;
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(message) });
      sessionId = response.headers.get("mcp-session-id") ?? sessionId;
      return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: await response.text() };
    },
  };
}

/** Every tool the server lists (all pages). */
export async function listTools(url: string, token: string | undefined, version: string): Promise<Record<string, unknown>[]> {
  const s = session(url, token, version);
  const init = await s.post({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: version, capabilities: {}, clientInfo: { name: "hardened-mcp-tools-pin", version: "1" } } });
  if (init.status !== 200) throw new Error(`initialize answered HTTP ${init.status}: ${init.body.slice(0, 200)}`);
  await s.post({ jsonrpc: "2.0", method: "notifications/initialized" });
  const tools: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  for (let id = 2; id < 1000; id++) {
    const r = await s.post({ jsonrpc: "2.0", id, method: "tools/list", ...(cursor ? { params: { cursor } } : {}) });
    const answer = answerOf(r.contentType, r.body, id);
    const result = answer?.result as { tools?: Record<string, unknown>[]; nextCursor?: string } | undefined;
    if (r.status !== 200 || !result?.tools) throw new Error(`tools/list answered HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

/** `hardened-mcp tools <subcommand>`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "pin") {
    process.stdout.write(`${usage}\n`);
    return sub === "--help" || sub === "-h" ? 0 : 2;
  }
  let values: { url?: string; "token-env"?: string; "protocol-version"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: rest, options: { url: { type: "string" }, "token-env": { type: "string" }, "protocol-version": { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (!values.url) {
    process.stderr.write(`--url is required\n${usage}\n`);
    return 2;
  }
  const token = values["token-env"] ? process.env[values["token-env"]] : undefined;
  if (values["token-env"] && !token) {
    process.stderr.write(`environment variable ${values["token-env"]} is empty\n`);
    return 2;
  }
  try {
    const tools = await listTools(values.url, token, values["protocol-version"] ?? "2025-11-25");
    if (tools.length === 0) {
      process.stderr.write("the server lists no tools\n");
      return 1;
    }
    for (const tool of tools) {
      process.stdout.write(`# ${String(tool.name)}\n# definition: ${canonicalJson(tool)}\n- name: ${String(tool.name)}\n  definitionSha256: ${definitionSha256(tool)}\n\n`);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}
