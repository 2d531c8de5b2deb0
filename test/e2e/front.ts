/**
 * An HTTP front for the gateway emulator: a real HTTP server on 127.0.0.1 (ephemeral port) that runs each
 * request through the emulated API Management pipeline (the kit's generated documents, their C# under mono)
 * and forwards what the policy lets through to a real backend over HTTP, so MCP SDK clients and servers can
 * talk through the gateway.
 *
 * Streaming: a `text/event-stream` answer's headers go through the policy's outbound section, then its body is
 * piped through chunk by chunk while the pipeline is free for the next request, except where the outbound
 * section reads the body (`readsAnswer`): APIM buffers a body a policy reads, so the front reads it whole too.
 * Requests run concurrently, as on APIM: each on its own emulator instance (one holds one request's context at a
 * time), all instances of an API sharing its cache and counters; streams run concurrently too.
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

/**
 * One emulator instance's connection to the backends: its `forward` is the emulator's `backend` option. A lane
 * carries one pipeline run at a time (the emulator holds one request's context), and remembers that run's
 * streamed answer and in-flight backend request.
 */
export interface Lane {
  readonly forward: (request: BackendRequest) => Promise<FakeAnswer>;
}

interface LaneState extends Lane {
  stash?: Stashed;
  inflight?: http.ClientRequest;
}

export interface GatewayFront {
  /** `http://127.0.0.1:<port>`: where the gateway host resolves for the tests. */
  readonly url: string;
  /**
   * Serves requests under `pathPrefix` (e.g. `/weather`) with emulators of one APIM API made by `spawn`, one per
   * concurrent request (APIM serves requests concurrently; a run that waits on a buffered backend answer must not
   * hold up the client's next POST). Instances are made on demand and reused.
   */
  mount(pathPrefix: string, spawn: (lane: Lane) => Promise<GatewayEmulator>): void;
  listen(): Promise<void>;
  /** Cuts every open SSE stream, as a dropped connection would (clients then resume with Last-Event-ID). */
  dropStreams(): void;
  close(): Promise<void>;
}

interface Mount {
  prefix: string;
  spawn: (lane: Lane) => Promise<GatewayEmulator>;
  idle: { emulator: GatewayEmulator; lane: LaneState }[];
  all: GatewayEmulator[];
}

/**
 * @param backends backend base URL as the gateway knows it (`https://weather.internal.contoso.com`) -> the
 * local server that stands in for it (`http://127.0.0.1:<port>`).
 * @param readsAnswer whether the policy's outbound section reads the answer to a POSTed JSON-RPC method; APIM
 * then buffers that answer whole, SSE included, so the front does too. Every other SSE answer streams.
 */
export function createGatewayFront(backends: Record<string, string>, readsAnswer: (method: string) => boolean): GatewayFront {
  const mounts: Mount[] = [];
  const open = new Set<{ client: http.ServerResponse; backend: Stashed }>();

  const newLane = (): LaneState => {
    const lane: LaneState = {
      forward: (request) =>
        new Promise((resolve) => {
          const url = new URL(request.url);
          const local = backends[url.origin];
          if (!local) return resolve({ error: "connection-refused" });
          const headers: Record<string, string[]> = {};
          for (const [k, v] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
          const body = Buffer.from(request.body);
          if (body.length > 0) headers["content-length"] = [String(body.length)];
          const req = http.request(new URL(`${url.pathname}${url.search}`, local), { method: request.method, headers });
          lane.inflight = req;
          req.on("error", () => resolve({ error: "connection-refused" }));
          req.on("response", (res) => {
            const answerHeaders: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) answerHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
            const status = res.statusCode ?? 502;
            const buffered = request.method === "POST" && readsAnswer(rpcMethod(request.body));
            if (!buffered && (answerHeaders["content-type"] ?? "").toLowerCase().startsWith("text/event-stream")) {
              lane.stash = { status, stream: res, request: req };
              return resolve({ status, headers: answerHeaders, body: "" });
            }
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks).toString() }));
            res.on("error", () => resolve({ error: "connection-refused" }));
            res.on("aborted", () => resolve({ error: "connection-refused" }));
          });
          req.end(body);
        }),
    };
    return lane;
  };

  const takeStash = (lane: LaneState): Stashed | undefined => {
    const s = lane.stash;
    lane.stash = undefined;
    return s;
  };

  const acquire = async (m: Mount): Promise<{ emulator: GatewayEmulator; lane: LaneState }> => {
    const free = m.idle.pop();
    if (free) return free;
    const lane = newLane();
    const emulator = await m.spawn(lane);
    m.all.push(emulator);
    return { emulator, lane };
  };

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

    const member = await acquire(mount);
    const { emulator, lane } = member;
    lane.stash = undefined;
    // A client that goes away while its answer is being buffered cancels the backend request (as a proxy does).
    let ran = false;
    res.on("close", () => {
      if (!ran) lane.inflight?.destroy();
    });
    let result;
    try {
      result = await emulator.send({ method: req.method ?? "GET", path: url.pathname, query, headers, body: Buffer.concat(chunks).toString() });
    } finally {
      ran = true;
    }
    const streamed = takeStash(lane);
    lane.inflight = undefined;
    mount.idle.push(member);
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
      if (res.destroyed) return;
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
    mount: (prefix, spawn) => {
      mounts.push({ prefix, spawn, idle: [], all: [] });
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
        for (const m of mounts) for (const e of m.all) e.stop();
        server.close(() => resolve());
      }),
  };
}
