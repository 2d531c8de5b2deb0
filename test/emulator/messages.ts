// The request/response model of the emulator: what goes in and comes out, policy errors, and one request's state.
import type { KeyObject } from "node:crypto";

export type Section = "inbound" | "backend" | "outbound" | "on-error";

export type Headers = Record<string, string[]>;

export interface ClientRequest {
  method: string;
  /** Path on the gateway host, e.g. `/weather/mcp`. */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string | string[]>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  ipAddress?: string;
  /** Send the body without a Content-Length header (as a chunked upload would). */
  omitContentLength?: boolean;
}

export interface HttpMessage {
  /** Lower-case header names. */
  headers: Headers;
  body: string;
}

export interface EmulatedResponse extends HttpMessage {
  status: number;
  reason: string;
}

export interface BackendRequest extends HttpMessage {
  method: string;
  url: string;
}

/** What a scripted fake answers: a response, or a failure the gateway sees as a transport error. */
export type FakeAnswer =
  | { status: number; headers?: Record<string, string>; body?: unknown; latencySeconds?: number }
  | { error: "connection-refused" | "timeout"; latencySeconds?: number };

export interface OutboundCall extends BackendRequest {
  /** Seconds the policy waits (send-request timeout). */
  timeoutSeconds: number;
  answer?: FakeAnswer;
}

export interface TraceRecord {
  source: string;
  severity: string;
  message: string;
  metadata: Record<string, string>;
}

export interface MetricRecord {
  name: string;
  namespace: string;
  value: number;
  dimensions: Record<string, string>;
}

export interface LastError {
  source: string;
  reason: string;
  message: string;
  section: Section;
  scope: string;
  path: string;
  policyId: string;
}

export interface EmulatorResult {
  response: EmulatedResponse;
  /** The request forwarded to the backend, or undefined when the gateway answered by itself. */
  backendRequest?: BackendRequest;
  sentRequests: OutboundCall[];
  traces: TraceRecord[];
  metrics: MetricRecord[];
  lastError?: LastError;
  /** Context variables at the end, as the gateway renders them to text (for diagnostics). */
  variables: Record<string, string | null>;
}

export interface EmulatorDocuments {
  global?: string;
  product?: string;
  api?: string;
  operation?: string;
  /** `include-fragment fragment-id` -> `<fragment>` document. */
  fragments?: Record<string, string>;
}
/** Everything an emulator is configured with except another emulator to share state with (see EmulatorOptions). */
export interface EmulatorSettings {
  documents: EmulatorDocuments;
  namedValues: Record<string, string>;
  /** Host name of the gateway (frontend URL). */
  gatewayHost: string;
  api: { id: string; name: string; path: string };
  /** API operations (method + URL template relative to the API path). A request matching none gets APIM's 404. */
  operations?: { id: string; method: string; urlTemplate: string }[];
  /** APIM backend entities: `set-backend-service backend-id` -> URL. */
  backends: Record<string, string>;
  /** The Entra tenant's published token-signing keys (validate-azure-ad-token / openid-config). */
  signingKeys: KeyObject[];
  /** The tenant the emulated Entra ID is (tokens signed by `signingKeys` are accepted only for their tenant's issuer). */
  backend: (request: BackendRequest) => FakeAnswer | Promise<FakeAnswer>;
  /** Other services reached with send-request, by URL. */
  services?: (call: OutboundCall) => FakeAnswer;
  /** Seconds since epoch; advance it to move the clock. */
  clock: { now: number };
}

/** Thrown by return-response: ends the pipeline. */
export class ReturnResponse {}

export class PolicyError {
  constructor(
    readonly source: string,
    readonly reason: string,
    readonly message: string,
    readonly response?: EmulatedResponse,
  ) {}
}

export const DEFAULT_REASONS: Record<number, string> = {
  200: "OK",
  202: "Accepted",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function headersOf(input: Record<string, string | string[] | undefined> | undefined): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(input ?? {})) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    out[key] = [...(out[key] ?? []), ...(Array.isArray(v) ? v : [v])];
  }
  return out;
}

export function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  return typeof body === "string" ? body : JSON.stringify(body);
}

export function errorResponse(status: number, message: string, headers: Headers = {}): EmulatedResponse {
  return {
    status,
    reason: DEFAULT_REASONS[status] ?? "",
    headers: { "content-type": ["application/json; charset=utf-8"], ...headers },
    body: JSON.stringify({ statusCode: status, message }),
  };
}
/** Per-request mutable state. */
export interface Run {
  section: Section;
  request: { method: string; url: { scheme: string; host: string; port: number; path: string; query: Headers }; headers: Headers; body: string; ipAddress: string };
  originalUrl: { scheme: string; host: string; port: number; path: string; query: Headers };
  response: EmulatedResponse | null;
  lastError?: LastError;
  backendBase?: string;
  backendRequest?: BackendRequest;
  sentRequests: OutboundCall[];
  traces: TraceRecord[];
  metrics: MetricRecord[];
  operation?: { id: string; method: string; urlTemplate: string };
  requestId: string;
  startedAt: number;
  /** Increments applied when the request completes (increment-condition may read the response). */
  deferred: (() => Promise<void>)[];
  responseHeadersAtEnd: Headers;
  /** When set, set-header/set-body/set-method/set-url write to this outbound call (inside send-request). */
  outbound?: OutboundCall;
  variableNames: Set<string>;
}
