/**
 * `hardened-mcp tools pin`: the canonical form and pin (literal values, computed independently), and the verb run
 * against a real MCP SDK server and against a server that pages its list and answers over SSE.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { canonicalJson, definitionSha256, run } from "../../cli/tools";

const DEFINITION = {
  name: "get_forecast",
  description: 'Forecast "now"\n',
  inputSchema: { type: "object", properties: { days: { type: "integer", maximum: 7.5, minimum: 1.0 } }, required: ["city"] },
  annotations: { readOnlyHint: true },
  b: null,
  "\u00e9": "\u0001",
};

describe("canonical JSON and the pin", () => {
  it("sorts keys by code unit, drops whitespace, escapes only quote, backslash and control characters, writes 1.0 as 1", () => {
    expect(canonicalJson(DEFINITION)).toBe(
      '{"annotations":{"readOnlyHint":true},"b":null,"description":"Forecast \\"now\\"\\u000a","inputSchema":{"properties":{"days":{"maximum":7.5,"minimum":1,"type":"integer"}},"required":["city"],"type":"object"},"name":"get_forecast","\u00e9":"\\u0001"}',
    );
    expect(canonicalJson({ B: 1, a: 2, _: 3 })).toBe('{"B":1,"_":3,"a":2}');
  });

  it("pins the SHA-256 of that text (computed independently with Python's hashlib)", () => {
    expect(definitionSha256(DEFINITION)).toBe("6f0be2c772eb10d14724869dd6fe8658d57a7898a4cf67794c61448e21829753");
  });

  it("refuses numbers in exponent form (the gateway's JSON.NET writes them differently)", () => {
    expect(() => canonicalJson({ maximum: 1e21 })).toThrow("number 1e+21 has no canonical form the gateway shares; write it without an exponent");
  });
});

/** Runs the verb, capturing what it writes. */
async function pin(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const write = (sink: (s: string) => void) => ((chunk: string | Uint8Array) => (sink(String(chunk)), true)) as typeof process.stdout.write;
  const [o, e] = [process.stdout.write, process.stderr.write];
  process.stdout.write = write((s) => (out += s));
  process.stderr.write = write((s) => (err += s));
  Object.assign(process.env, env);
  try {
    return { code: await run(argv), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("hardened-mcp tools pin", () => {
  it("answers --help with 0 and usage errors with 2", async () => {
    expect((await pin(["--help"])).code).toBe(0);
    expect((await pin(["pin", "--help"])).out).toContain("usage: hardened-mcp tools pin --url <MCP endpoint>");
    expect((await pin(["unpin"])).code).toBe(2);
    expect((await pin(["pin"])).err).toContain("--url is required");
    expect((await pin(["pin", "--url", "http://127.0.0.1:1/mcp", "--token-env", "HARDENED_MCP_TEST_UNSET_TOKEN"])).code).toBe(2);
  });

  it("prints each tool's definition and pin from a running MCP SDK server", async () => {
    const sessions = new Map<string, StreamableHTTPServerTransport>();
    const authorizations: (string | undefined)[] = [];
    const server = await listen((req, res) => {
      authorizations.push(req.headers.authorization);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void (async () => {
          const body: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
          const sid = req.headers["mcp-session-id"];
          let transport = typeof sid === "string" ? sessions.get(sid) : undefined;
          if (!transport) {
            const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, created) });
            const mcp = new McpServer({ name: "weather", version: "1.0.0" });
            mcp.registerTool("get_forecast", { description: "Forecast for a city.", inputSchema: { city: z.string() } }, async ({ city }) => ({ content: [{ type: "text", text: city }] }));
            mcp.registerTool("delete_all", { description: "Delete every forecast." }, async () => ({ content: [] }));
            await mcp.connect(created);
            transport = created;
          }
          await transport.handleRequest(req, res, body);
        })();
      });
    });
    try {
      const r = await pin(["pin", "--url", server.url, "--token-env", "HARDENED_MCP_TEST_TOKEN"], { HARDENED_MCP_TEST_TOKEN: "t0ken" });
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
      const blocks = r.out.trim().split("\n\n");
      expect(blocks.map((b) => b.split("\n")[0])).toEqual(["# get_forecast", "# delete_all"]);
      for (const block of blocks) {
        const [, definitionLine, nameLine, pinLine] = block.split("\n");
        const definition = JSON.parse(definitionLine!.replace("# definition: ", "")) as Record<string, unknown>;
        expect(nameLine).toBe(`- name: ${String(definition.name)}`);
        expect(pinLine).toBe(`  definitionSha256: ${definitionSha256(definition)}`);
        expect(definitionLine).toBe(`# definition: ${canonicalJson(definition)}`);
      }
      expect(r.out).toContain('"description":"Forecast for a city."');
      expect(new Set(authorizations)).toEqual(new Set(["Bearer t0ken"]));
    } finally {
      await server.close();
    }
  });

  it("follows nextCursor, reads SSE answers, and keeps the session id the server issued", async () => {
    const seen: { method: string; session?: string; version?: string }[] = [];
    const server = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const msg = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id?: number; method: string; params?: { cursor?: string } };
        seen.push({ method: msg.method, session: req.headers["mcp-session-id"] as string | undefined, version: req.headers["mcp-protocol-version"] as string | undefined });
        if (msg.method === "initialize") {
          res.writeHead(200, { "Content-Type": "application/json", "Mcp-Session-Id": "s-42" }).end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: {} }));
        } else if (msg.method === "notifications/initialized") {
          res.writeHead(202).end();
        } else if (msg.params?.cursor === undefined) {
          const page = { jsonrpc: "2.0", id: msg.id, result: { tools: [{ name: "a", inputSchema: { type: "object" } }], nextCursor: "p2" } };
          res.writeHead(200, { "Content-Type": "text/event-stream" }).end(`event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n\ndata: ${JSON.stringify(page)}\n\n`);
        } else {
          res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { tools: [{ name: "b", inputSchema: { type: "object" } }] } }));
        }
      });
    });
    try {
      const r = await pin(["pin", "--url", server.url, "--protocol-version", "2025-06-18"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`- name: a\n  definitionSha256: ${definitionSha256({ name: "a", inputSchema: { type: "object" } })}`);
      expect(r.out).toContain(`- name: b\n  definitionSha256: ${definitionSha256({ name: "b", inputSchema: { type: "object" } })}`);
      expect(seen).toEqual([
        { method: "initialize", session: undefined, version: undefined },
        { method: "notifications/initialized", session: "s-42", version: "2025-06-18" },
        { method: "tools/list", session: "s-42", version: "2025-06-18" },
        { method: "tools/list", session: "s-42", version: "2025-06-18" },
      ]);
    } finally {
      await server.close();
    }
  });

  it("fails with 1 when the server lists no tools or answers an error", async () => {
    const server = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const msg = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id?: number; method: string };
        if (msg.method === "tools/list") res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { tools: [] } }));
        else res.writeHead(msg.id === undefined ? 202 : 200, { "Content-Type": "application/json" }).end(msg.id === undefined ? "" : JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: {} }));
      });
    });
    try {
      expect(await pin(["pin", "--url", server.url])).toMatchObject({ code: 1, err: "the server lists no tools\n" });
    } finally {
      await server.close();
    }
    const refusing = await listen((_req, res) => res.writeHead(401, { "Content-Type": "application/json" }).end('{"error":"unauthorized"}'));
    try {
      expect(await pin(["pin", "--url", refusing.url])).toMatchObject({ code: 1, err: 'initialize answered HTTP 401: {"error":"unauthorized"}\n' });
    } finally {
      await refusing.close();
    }
  });
});
