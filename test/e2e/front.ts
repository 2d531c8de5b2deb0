/**
 * An HTTP front for the gateway emulator: a real HTTP server on 127.0.0.1 (ephemeral port) that runs each
 * request through the emulated API Management pipeline (the kit's generated documents, their C# under mono)
 * and forwards what the policy lets through to a real backend over HTTP, so MCP SDK clients and servers can
 * talk through the gateway.
 *
 * Streaming: a `text/event-stream` answer's headers go through the policy's outbound section, then its body is
 * piped through chunk by chunk while the pipeline is free for the next request, except where the outbound
 * section reads the body (`readsAnswer`): APIM buffers a body a policy reads, so the front reads it whole too. Pipeline runs are serialized (the emulator keeps one request's
 * context at a time); streams run concurrently.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { BackendRequest, FakeAnswer, GatewayEmulator } from "../emulator/gateway";

/** The JSON-RPC method of a POSTed body ("" for a response, a batch or anything unreadable). */
function rpcMethod(body: string): string {
  try {
    const message: unknown = JSON.parse(body);
    return typeof message === "object" && message !== null && "method" in message && typeof message.method === "string" ? message.method : "";
  } catch {
    return "";
  }
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what the front recomputes; never copied between hops. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "content-length", "host"]);

interface Stashed {
  status: number;
  stream: http.IncomingMessage;
  request: http.ClientRequest;
}

export interface GatewayFront {
  /** `http://127.0.0.1:<port>`: where the gateway host resolves for the tests. */
  readonly url: string;
  /** The emulator's `backend` option: forwards over HTTP to the mapped backend. */
  readonly forward: (request: BackendRequest) => Promise<FakeAnswer>;
  /** Serves requests under `pathPrefix` (e.g. `/weather`) with this emulator (one per APIM API). */
  mount(pathPrefix: string, emulator: GatewayEmulator): void;
  listen(): Promise<void>;
  /** Cuts every open SSE stream, as a dropped connection would (clients then resume with Last-Event-ID). */
  dropStreams(): void;
  close(): Promise<void>;
}

/**
 * @param backends backend base URL as the gateway knows it (`https://weather.internal.contoso.com`) -> the
 * local server that stands in for it (`http://127.0.0.1:<port>`).
 */
/**
 * `readsAnswer(method)`: whether the policy's outbound section reads the answer to a POSTed JSON-RPC method;
 * APIM then buffers that answer whole, SSE included, so the front does too. Every other SSE answer streams.
 */
export function createGatewayFront(backends: Record<string, string>, readsAnswer: (method: string) => boolean): GatewayFront {
  const mounts: { prefix: string; emulator: GatewayEmulator }[] = [];
  const open = new Set<{ client: http.ServerResponse; backend: Stashed }>();
  /** The streamed answer of the pipeline run in progress (runs are serialized). */
  const slot: { stash?: Stashed } = {};
  const takeStash = (): Stashed | undefined => {
    const s = slot.stash;
    slot.stash = undefined;
    return s;
  };
  let queue: Promise<unknown> = Promise.resolve();

  const forward = (request: BackendRequest): Promise<FakeAnswer> =>
    new Promise((resolve) => {
      const url = new URL(request.url);
      const local = backends[url.origin];
      if (!local) return resolve({ error: "connection-refused" });
      const headers: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
      const body = Buffer.from(request.body);
      if (body.length > 0) headers["content-length"] = [String(body.length)];
      const req = http.request(new URL(`${url.pathname}${url.search}`, local), { method: request.method, headers });
      req.on("error", () => resolve({ error: "connection-refused" }));
      req.on("response", (res) => {
        const answerHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) answerHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
        const status = res.statusCode ?? 502;
        const buffered = request.method === "POST" && readsAnswer(rpcMethod(request.body));
        if (!buffered && (answerHeaders["content-type"] ?? "").toLowerCase().startsWith("text/event-stream")) {
          slot.stash = { status, stream: res, request: req };
          return resolve({ status, headers: answerHeaders, body: "" });
        }
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks).toString() }));
        res.on("error", () => resolve({ error: "connection-refused" }));
      });
      req.end(body);
    });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://front");
    const mount = mounts.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (!mount) {
      res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ statusCode: 404, message: "Resource not found" }));
      return;
    }
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(req.headersDistinct)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    if (chunks.length > 0) headers["content-length"] = [String(Buffer.concat(chunks).length)];
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) query[k] = [...(query[k] ?? []), v];

    // One pipeline at a time; the backend's streamed body is handed over before the next run starts.
    const run = queue.then(async () => {
      takeStash();
      const result = await mount.emulator.send({ method: req.method ?? "GET", path: url.pathname, query, headers, body: Buffer.concat(chunks).toString() });
      const streamed = takeStash();
      return { result, streamed };
    });
    queue = run.catch(() => undefined);
    const { result, streamed } = await run;
    const response = result.response;
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
    const passThrough =
      streamed !== undefined &&
      response.status === streamed.status &&
      response.body === "" &&
      (response.headers["content-type"]?.[0] ?? "").toLowerCase().startsWith("text/event-stream");
    if (!passThrough) {
      streamed?.request.destroy();
      const body = Buffer.from(response.body);
      res.writeHead(response.status, response.reason || undefined, { ...out, "content-length": String(body.length) });
      res.end(body);
      return;
    }
    res.writeHead(response.status, response.reason || undefined, out);
    res.flushHeaders();
    const entry = { client: res, backend: streamed };
    open.add(entry);
    const done = (): void => {
      open.delete(entry);
      streamed.request.destroy();
      if (!res.writableEnded) res.end();
    };
    streamed.stream.on("data", (c: Buffer) => res.write(c));
    streamed.stream.on("end", done);
    streamed.stream.on("error", done);
    res.on("close", done);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // An emulator failure is a defect in the test set-up or the policy: make it loud, never a silent pass.
      if (!res.headersSent) res.writeHead(599, { "Content-Type": "text/plain" });
      res.end(`gateway front: ${(e as Error).stack ?? String(e)}`);
    });
  });

  return {
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    forward,
    mount: (prefix, emulator) => {
      mounts.push({ prefix, emulator });
      mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    listen: () => new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)),
    dropStreams: () => {
      for (const s of [...open]) s.client.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of [...open]) s.client.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
