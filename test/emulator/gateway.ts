/**
 * An offline emulator of the API Management policy pipeline, for the kit's generated policy documents.
 *
 * It composes the scope documents (global -> product -> API -> operation, `<base />` resolved per section),
 * substitutes named values, compiles every C# expression once (one mcs run) and evaluates them in one
 * long-lived mono process against the documented context model. It then runs scripted requests through
 * inbound, backend, outbound and on-error and reports what the client sees, what the backend received, what
 * was sent to other services, and the traces and metrics emitted. Policy elements it does not implement fail
 * the run. See README.md for the documented behaviour each element follows.
 */
import { createPublicKey, randomUUID, verify as cryptoVerify, type KeyObject } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { compileExpressionPool, expressionsOfDocument, type ExpressionPool, type PolicyExpression } from "../support/apim/expressions";
import { childElements, parsePolicyXml, substituteNamedValues, textOf, xpathOf } from "../support/apim/xml";
import { ExpressionHostProcess, type EvalResult, type WireValue } from "./host";

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

export interface EmulatorOptions {
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
  /**
   * Another emulator of the same API whose cache and rate-limit counters this one shares: several instances then
   * serve concurrent requests as one gateway (each instance holds one request's context at a time).
   */
  shareStateWith?: GatewayEmulator;
}

class ReturnResponse {}

class PolicyError {
  constructor(
    readonly source: string,
    readonly reason: string,
    readonly message: string,
    readonly response?: EmulatedResponse,
  ) {}
}

/** Documented policy sections per element (absent: allowed everywhere). */
const ALLOWED_SECTIONS: Readonly<Record<string, readonly Section[]>> = {
  "validate-azure-ad-token": ["inbound"],
  "validate-jwt": ["inbound"],
  "check-header": ["inbound"],
  "rate-limit-by-key": ["inbound"],
  "quota-by-key": ["inbound"],
  "set-backend-service": ["inbound", "backend"],
  "authentication-managed-identity": ["inbound"],
  "set-query-parameter": ["inbound", "backend"],
  "forward-request": ["backend"],
  "set-method": ["inbound", "on-error"],
};

/** Attributes each element may carry (documented); anything else fails the run. */
const KNOWN_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  "set-header": ["name", "exists-action"],
  "set-query-parameter": ["name", "exists-action"],
  "set-variable": ["name", "value"],
  "set-body": ["template", "xsi-nil", "parse-date"],
  "set-status": ["code", "reason"],
  "return-response": ["response-variable-name"],
  "check-header": ["name", "failed-check-httpcode", "failed-check-error-message", "ignore-case"],
  "validate-azure-ad-token": [
    "tenant-id",
    "header-name",
    "query-parameter-name",
    "token-value",
    "authentication-endpoint",
    "failed-validation-httpcode",
    "failed-validation-error-message",
    "output-token-variable-name",
  ],
  "validate-jwt": [
    "header-name",
    "query-parameter-name",
    "token-value",
    "failed-validation-httpcode",
    "failed-validation-error-message",
    "require-expiration-time",
    "require-scheme",
    "require-signed-tokens",
    "clock-skew",
    "output-token-variable-name",
  ],
  "rate-limit-by-key": [
    "calls",
    "renewal-period",
    "counter-key",
    "increment-condition",
    "increment-count",
    "retry-after-header-name",
    "retry-after-variable-name",
    "remaining-calls-header-name",
    "remaining-calls-variable-name",
    "total-calls-header-name",
  ],
  "quota-by-key": ["calls", "bandwidth", "renewal-period", "counter-key", "increment-condition", "first-period-start"],
  "cache-store-value": ["key", "value", "duration", "caching-type"],
  "cache-lookup-value": ["key", "variable-name", "default-value", "caching-type"],
  "cache-remove-value": ["key", "caching-type"],
  "send-request": ["mode", "response-variable-name", "timeout", "ignore-error"],
  "authentication-managed-identity": ["resource", "client-id", "output-token-variable-name", "ignore-error"],
  "set-backend-service": ["backend-id", "base-url"],
  "forward-request": ["timeout", "timeout-ms", "continue-timeout", "http-version", "follow-redirects", "buffer-request-body", "buffer-response", "fail-on-error-status-code"],
  trace: ["source", "severity"],
  "emit-metric": ["name", "namespace", "value"],
  choose: [],
  when: ["condition"],
  otherwise: [],
  base: [],
  "include-fragment": ["fragment-id"],
  wait: ["for"],
  "set-method": [],
  "set-url": [],
  value: [],
};

/** set-variable "Allowed types" (nullable forms box to the same runtime types). */
const SET_VARIABLE_TYPES = new Set([
  ...["JArray", "JConstructor", "JContainer", "JProperty", "JObject", "JRaw", "JToken", "JValue"].map((t) => `Newtonsoft.Json.Linq.${t}`),
  ...["Boolean", "SByte", "SByte[]", "Byte", "Byte[]", "UInt16", "UInt32", "UInt64", "Int16", "Int32", "Int64", "Decimal", "Single", "Double", "Guid", "String", "Char", "DateTime", "TimeSpan"].map((t) => `System.${t}`),
]);

/**
 * Attributes whose reference says "Policy expressions aren't allowed" (names of variables, headers and
 * caches the gateway resolves when it loads the policy). An expression there is refused on save.
 */
const NO_EXPRESSIONS: Readonly<Record<string, readonly string[]>> = {
  "set-variable": ["name"],
  "validate-jwt": ["header-name", "query-parameter-name", "require-scheme", "output-token-variable-name"],
  "validate-azure-ad-token": ["tenant-id", "header-name", "query-parameter-name", "output-token-variable-name"],
  "rate-limit-by-key": ["retry-after-header-name", "retry-after-variable-name", "remaining-calls-header-name", "remaining-calls-variable-name", "total-calls-header-name"],
  "cache-lookup-value": ["variable-name", "caching-type"],
  "cache-store-value": ["caching-type"],
  "cache-remove-value": ["caching-type"],
  "send-request": ["response-variable-name"],
  "authentication-managed-identity": ["output-token-variable-name"],
  "return-response": ["response-variable-name"],
  trace: ["source", "severity"],
  "include-fragment": ["fragment-id"],
};

const TRACE_SEVERITIES = ["verbose", "information", "error"];

const DEFAULT_REASONS: Record<number, string> = {
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

function headersOf(input: Record<string, string | string[] | undefined> | undefined): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(input ?? {})) {
    if (v === undefined) continue;
    const key = k.toLowerCase();
    out[key] = [...(out[key] ?? []), ...(Array.isArray(v) ? v : [v])];
  }
  return out;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  return typeof body === "string" ? body : JSON.stringify(body);
}

function errorResponse(status: number, message: string, headers: Headers = {}): EmulatedResponse {
  return {
    status,
    reason: DEFAULT_REASONS[status] ?? "",
    headers: { "content-type": ["application/json; charset=utf-8"], ...headers },
    body: JSON.stringify({ statusCode: status, message }),
  };
}

interface Counter {
  windowStart: number;
  count: number;
}

interface CacheEntry {
  value: WireValue;
  expiresAt: number;
}

/** Per-request mutable state. */
interface Run {
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

export class GatewayEmulator {
  private readonly docs: { name: string; doc: Document }[] = [];
  private readonly fragments = new Map<string, Document>();
  private readonly docNames = new Map<Document, string>();
  private readonly expressionIndex = new Map<string, number>();
  private readonly expressions: PolicyExpression[] = [];
  private host?: ExpressionHostProcess;
  /** Whether stop() ends the host (false when it is shared, see start). */
  private ownsHost = true;
  /** Compiled method of each expression (index into `expressions`). */
  private methods: number[] = [];
  private readonly counters: Map<string, Counter>;
  private readonly cache: Map<string, CacheEntry>;

  constructor(private readonly options: EmulatorOptions) {
    this.counters = options.shareStateWith?.counters ?? new Map();
    this.cache = options.shareStateWith?.cache ?? new Map();
    const levels: [string, string | undefined][] = [
      ["global", options.documents.global],
      ["product", options.documents.product],
      ["api", options.documents.api],
      ["operation", options.documents.operation],
    ];
    for (const [name, xml] of levels) {
      if (xml === undefined) continue;
      this.register(name, xml, "policies");
    }
    for (const [id, xml] of Object.entries(options.documents.fragments ?? {})) {
      this.fragments.set(id, this.register(`fragment:${id}`, xml, "fragment"));
    }
  }

  private register(name: string, xml: string, rootName: string): Document {
    const doc = parsePolicyXml(xml, name);
    if (doc.documentElement!.tagName !== rootName) throw new Error(`${name}: root element is <${doc.documentElement!.tagName}>, expected <${rootName}>`);
    substituteNamedValues(doc, this.options.namedValues, name);
    this.docNames.set(doc, name);
    if (rootName === "policies") this.docs.push({ name, doc });
    for (const e of expressionsOfDocument(doc, name)) {
      this.expressionIndex.set(`${name}|${e.location}`, this.expressions.length);
      this.expressions.push(e);
    }
    return doc;
  }

  /** The expressions of documents, without starting anything. */
  static expressionsOf(documents: EmulatorDocuments, namedValues: Record<string, string>): readonly PolicyExpression[] {
    const unused = (): never => {
      throw new Error("not started");
    };
    return new GatewayEmulator({ documents, namedValues, gatewayHost: "", api: { id: "", name: "", path: "" }, backends: {}, signingKeys: [], backend: unused, clock: { now: 0 } })
      .expressions;
  }

  /** Every policy expression of the documents, named values substituted (e.g. to build a shared pool). */
  get policyExpressions(): readonly PolicyExpression[] {
    return this.expressions;
  }

  /**
   * Compiles every expression (one mcs run, cached) and starts the evaluation host. With `pool`, uses that
   * already compiled assembly instead (it must contain every expression of these documents); with `host` too,
   * that running host of the pool instead of a new process (it stays running after stop()).
   */
  async start(pool?: ExpressionPool, host?: ExpressionHostProcess): Promise<void> {
    const p = pool ?? compileExpressionPool(this.expressions);
    this.methods = this.expressions.map((e) => {
      const m = p.methodFor(e);
      if (m === undefined) throw new Error(`expression pool lacks ${e.document} ${e.location}`);
      return m;
    });
    if (host && host.assemblyPath !== p.assemblyPath) throw new Error(`the shared expression host runs ${host.assemblyPath}, not the pool's ${p.assemblyPath}`);
    this.ownsHost = host === undefined;
    this.host = host ?? new ExpressionHostProcess(p.assemblyPath);
    if (this.ownsHost) await this.host.begin(); // waits until mono answers
  }

  stop(): void {
    if (this.ownsHost) this.host?.close();
  }

  /** Advance the emulated clock. */
  advance(seconds: number): void {
    this.options.clock.now += seconds;
  }

  // ---------- composition ----------

  private sectionOf(doc: Document, section: Section): Element | undefined {
    return childElements(doc.documentElement!).find((e) => e.tagName === section);
  }

  /** Statements of a section with `<base />` replaced by the parent scope's statements. */
  private composed(section: Section, level = this.docs.length - 1): Element[] {
    if (level < 0) return [];
    const { name, doc } = this.docs[level]!;
    const el = this.sectionOf(doc, section);
    if (!el) return this.composed(section, level - 1);
    const out: Element[] = [];
    for (const child of childElements(el)) {
      if (child.tagName === "base") {
        if (level === 0 && name === "global") throw new Error(`global ${section}: <base /> has no parent scope`);
        out.push(...this.composed(section, level - 1));
      } else out.push(child);
    }
    return out;
  }

  // ---------- requests ----------

  async send(req: ClientRequest): Promise<EmulatorResult> {
    if (!this.host) throw new Error("call start() first");
    this.host.claim(this);
    try {
      return await this.runRequest(req, this.host);
    } finally {
      this.host.release(this);
    }
  }

  private async runRequest(req: ClientRequest, host: ExpressionHostProcess): Promise<EmulatorResult> {
    await host.begin();
    this.hostBodies = {};
    this.hostState = undefined;
    const query: Headers = {};
    for (const [k, v] of Object.entries(req.query ?? {})) query[k] = Array.isArray(v) ? v : [v];
    const body = bodyText(req.body);
    const headers = headersOf({ host: this.options.gatewayHost, ...req.headers });
    if (body.length > 0 && !headers["content-length"] && !req.omitContentLength) headers["content-length"] = [String(Buffer.byteLength(body))];
    const url = { scheme: "https", host: this.options.gatewayHost, port: 443, path: req.path, query };
    const run: Run = {
      section: "inbound",
      request: { method: req.method.toUpperCase(), url, headers, body, ipAddress: req.ipAddress ?? "203.0.113.10" },
      originalUrl: structuredClone(url),
      response: null,
      sentRequests: [],
      traces: [],
      metrics: [],
      requestId: randomUUID(),
      startedAt: this.options.clock.now,
      deferred: [],
      responseHeadersAtEnd: {},
      variableNames: new Set(),
    };

    const apiPrefix = `/${this.options.api.path}`;
    if (!(req.path === apiPrefix || req.path.startsWith(`${apiPrefix}/`))) throw new Error(`request path ${req.path} is not under the API path ${apiPrefix}`);
    if (this.options.operations) {
      const rel = req.path.slice(apiPrefix.length) || "/";
      run.operation = this.options.operations.find((o) => o.method === run.request.method && o.urlTemplate === rel);
      if (!run.operation) {
        // No operation matches: the gateway answers 404 before any API-scope policy runs.
        return this.finish(run, errorResponse(404, "Resource not found"));
      }
    }

    try {
      for (const section of ["inbound", "backend", "outbound"] as const) {
        run.section = section;
        await this.execAll(this.composed(section), run);
      }
    } catch (e) {
      if (e instanceof ReturnResponse) {
        // return-response ends the pipeline; the response goes to the caller as is.
      } else if (e instanceof PolicyError) {
        await this.onError(e, run);
      } else throw e;
    }
    return this.finish(run, run.response ?? { status: 200, reason: "OK", headers: {}, body: "" });
  }

  private async onError(e: PolicyError, run: Run): Promise<void> {
    run.lastError = { source: e.source, reason: e.reason, message: e.message, section: run.section, scope: "api", path: "", policyId: "" };
    run.response = e.response ?? errorResponse(500, "Internal server error");
    run.section = "on-error";
    try {
      await this.execAll(this.composed("on-error"), run);
    } catch (inner) {
      if (inner instanceof ReturnResponse) return;
      if (inner instanceof PolicyError) {
        run.response = errorResponse(500, "Internal server error");
        return;
      }
      throw inner;
    }
  }

  private async finish(run: Run, response: EmulatedResponse): Promise<EmulatorResult> {
    run.response = response;
    for (const d of run.deferred) await d();
    for (const [k, v] of Object.entries(run.responseHeadersAtEnd)) response.headers[k] = v;
    const variables = await this.host!.texts([...run.variableNames]);
    return {
      response,
      backendRequest: run.backendRequest,
      sentRequests: run.sentRequests,
      traces: run.traces,
      metrics: run.metrics,
      lastError: run.lastError,
      variables,
    };
  }

  // ---------- expressions ----------

  /** The bodies the host holds for this request (it keeps the last one sent). */
  private hostBodies: { request?: string; response?: string } = {};
  /** The state of the host's previous eval in this request, as sent (JSON). */
  private hostState?: string;

  /** The state to send with an eval: its JSON, or "same" when the host already holds exactly this state. */
  private stateToSend(run: Run): string {
    const json = JSON.stringify(this.state(run));
    if (json === this.hostState) return "same";
    this.hostState = json;
    return json;
  }

  private state(run: Run): object {
    const requestBody = run.request.body === this.hostBodies.request ? {} : { body: run.request.body };
    this.hostBodies.request = run.request.body;
    let responseBody = {};
    if (run.response) {
      responseBody = run.response.body === this.hostBodies.response ? {} : { body: run.response.body };
      this.hostBodies.response = run.response.body;
    }
    return {
      request: {
        method: run.request.method,
        url: run.request.url,
        originalUrl: run.originalUrl,
        headers: run.request.headers,
        ...requestBody,
        ipAddress: run.request.ipAddress,
        matchedParameters: {},
      },
      response: run.response ? { statusCode: run.response.status, statusReason: run.response.reason, headers: run.response.headers, ...responseBody } : null,
      lastError: run.lastError ?? null,
      api: { id: this.options.api.id, name: this.options.api.name, path: this.options.api.path },
      operation: run.operation ? { id: run.operation.id, method: run.operation.method, name: run.operation.id, urlTemplate: run.operation.urlTemplate } : {},
      deployment: { gatewayId: "managed", region: "West Europe", serviceName: "apim-emulated", serviceId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-emulated" },
      requestId: run.requestId,
      timestamp: new Date(this.options.clock.now * 1000).toISOString(),
      elapsedMs: (this.options.clock.now - run.startedAt) * 1000,
    };
  }

  /** Each element's document name and XPath, computed once (walking the siblings on every evaluation was a hot spot). */
  private readonly elementPaths = new WeakMap<Element, string>();

  private indexOf(el: Element, attr: string | null): number | undefined {
    let at = this.elementPaths.get(el);
    if (at === undefined) this.elementPaths.set(el, (at = `${this.docNames.get(el.ownerDocument as Document)}|${xpathOf(el)}`));
    return this.expressionIndex.get(`${at}/${attr === null ? "text()" : `@${attr}`}`);
  }

  private async evaluate(index: number, run: Run, policy: string, assign?: string): Promise<EvalResult> {
    const r = await this.host!.eval(this.methods[index]!, this.stateToSend(run), assign);
    this.applyEffects(r, run);
    if (!r.ok) this.failed(index, r, policy);
    return r;
  }

  /** What an evaluation did to the request besides its value: bodies read without preserveContent, context.Trace. */
  private applyEffects(r: EvalResult, run: Run): void {
    if (r.requestBodyConsumed) run.request.body = "";
    if (r.responseBodyConsumed && run.response) run.response.body = "";
    for (const t of r.traces) run.traces.push({ source: "context.Trace", severity: "verbose", message: t, metadata: {} });
  }

  private failed(index: number, r: EvalResult, policy: string): never {
    const x = this.expressions[index]!;
    throw new PolicyError(policy, "ExpressionValueEvaluationFailure", `Expression evaluation failed. ${r.exceptionType}: ${r.error} (${x.document} ${x.location})`);
  }

  /** An attribute's value: literal text, or the expression's result rendered as text. Undefined when absent. */
  private async attr(el: Element, name: string, run: Run): Promise<string | undefined> {
    if (!el.hasAttribute(name)) return undefined;
    const index = this.indexOf(el, name);
    if (index === undefined) return el.getAttribute(name) ?? "";
    const r = await this.evaluate(index, run, el.tagName);
    return r.text ?? "";
  }

  private async requiredAttr(el: Element, name: string, run: Run): Promise<string> {
    const v = await this.attr(el, name, run);
    if (v === undefined) throw new Error(`<${el.tagName}> at ${xpathOf(el)} lacks the required attribute ${name}`);
    return v;
  }

  private async text(el: Element, run: Run): Promise<string | null> {
    const index = this.indexOf(el, null);
    if (index === undefined) return textOf(el).trim();
    const r = await this.evaluate(index, run, el.parentNode ? (el.parentNode as Element).tagName : el.tagName);
    return r.kind === "null" ? null : (r.text ?? "");
  }

  private async condition(el: Element, name: string, run: Run, defaultValue: boolean): Promise<boolean> {
    if (!el.hasAttribute(name)) return defaultValue;
    const index = this.indexOf(el, name);
    if (index === undefined) {
      const v = (el.getAttribute(name) ?? "").toLowerCase();
      if (v !== "true" && v !== "false") throw new Error(`<${el.tagName} ${name}="${v}"> is neither a boolean nor an expression`);
      return v === "true";
    }
    const r = await this.evaluate(index, run, el.tagName);
    if (r.kind !== "bool") throw new PolicyError(el.tagName, "ExpressionValueEvaluationFailure", `${name} did not evaluate to a boolean (${r.type})`);
    return r.value as boolean;
  }

  // ---------- statements ----------

  private async execAll(statements: readonly Element[], run: Run): Promise<void> {
    for (const s of statements) await this.exec(s, run);
  }

  private checkElement(el: Element, run: Run): void {
    const sections = ALLOWED_SECTIONS[el.tagName];
    if (sections && !sections.includes(run.section)) {
      throw new Error(`<${el.tagName}> is not allowed in the ${run.section} section (documented: ${sections.join(", ")}) at ${xpathOf(el)}`);
    }
    const known = KNOWN_ATTRIBUTES[el.tagName];
    if (!known) throw new Error(`the emulator does not implement <${el.tagName}> (at ${xpathOf(el)}); add it with its documented semantics`);
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i)!.name;
      if (!known.includes(a)) throw new Error(`<${el.tagName}> has an attribute the policy reference does not document: ${a} (at ${xpathOf(el)})`);
      if (NO_EXPRESSIONS[el.tagName]?.includes(a) && this.indexOf(el, a) !== undefined) {
        throw new Error(`<${el.tagName} ${a}> does not allow policy expressions (at ${xpathOf(el)})`);
      }
    }
  }

  private async exec(el: Element, run: Run): Promise<void> {
    this.checkElement(el, run);
    switch (el.tagName) {
      case "choose":
        return this.choose(el, run);
      case "set-variable":
        return this.setVariable(el, run);
      case "set-header":
        return this.setHeader(el, run);
      case "set-query-parameter":
        return this.setQueryParameter(el, run);
      case "set-body":
        return this.setBody(el, run);
      case "set-status":
        return this.setStatus(el, run, this.responseTarget(run));
      case "set-method":
        return this.setMethod(el, run);
      case "return-response":
        return this.returnResponse(el, run);
      case "check-header":
        return this.checkHeader(el, run);
      case "validate-azure-ad-token":
      case "validate-jwt":
        return this.validateToken(el, run);
      case "rate-limit-by-key":
        return this.rateLimitByKey(el, run);
      case "quota-by-key":
        return this.quotaByKey(el, run);
      case "cache-store-value":
        return this.cacheStore(el, run);
      case "cache-lookup-value":
        return this.cacheLookup(el, run);
      case "cache-remove-value":
        this.cache.delete(await this.requiredAttr(el, "key", run));
        return;
      case "send-request":
        return this.sendRequest(el, run);
      case "authentication-managed-identity":
        return this.managedIdentity(el, run);
      case "set-backend-service":
        return this.setBackendService(el, run);
      case "forward-request":
        return this.forwardRequest(el, run);
      case "trace":
        return this.trace(el, run);
      case "emit-metric":
        return this.emitMetric(el, run);
      case "include-fragment": {
        const id = await this.requiredAttr(el, "fragment-id", run);
        const frag = this.fragments.get(id);
        if (!frag) throw new Error(`include-fragment: no fragment '${id}' given to the emulator`);
        return this.execAll(childElements(frag.documentElement!), run);
      }
      case "wait":
        // Children run concurrently on the gateway; their effects do not depend on the order here.
        return this.execAll(childElements(el), run);
      case "base":
        throw new Error(`<base /> is only allowed directly in a section (at ${xpathOf(el)})`);
      default:
        throw new Error(`the emulator does not implement <${el.tagName}> (at ${xpathOf(el)})`);
    }
  }

  private async choose(el: Element, run: Run): Promise<void> {
    const branches = childElements(el);
    for (const branch of branches) {
      this.checkElement(branch, run);
      if (branch.tagName === "when" && !branch.hasAttribute("condition")) throw new Error(`<when> without condition at ${xpathOf(branch)}`);
      if (branch.tagName !== "when" && branch.tagName !== "otherwise") throw new Error(`<choose> may contain only <when> and <otherwise>, found <${branch.tagName}>`);
    }
    for (let i = 0; i < branches.length; ) {
      const branch = branches[i]!;
      if (branch.tagName === "otherwise") return this.execAll(childElements(branch), run);
      // Consecutive expression conditions go to the host in one round trip (it stops where this loop would).
      const batch: number[] = [];
      for (let j = i; j < branches.length && branches[j]!.tagName === "when"; j++) {
        const index = this.indexOf(branches[j]!, "condition");
        if (index === undefined) break;
        batch.push(index);
      }
      if (batch.length < 2) {
        if (await this.condition(branch, "condition", run, false)) return this.execAll(childElements(branch), run);
        i++;
        continue;
      }
      const { at, holds } = await this.firstCondition(batch, run);
      if (holds) return this.execAll(childElements(branches[i + at]!), run);
      i += at + 1;
    }
  }

  /** The first of these `when` conditions that holds (or where the host stopped: see ExpressionHostProcess.first). */
  private async firstCondition(indexes: readonly number[], run: Run): Promise<{ at: number; holds: boolean }> {
    const r = await this.host!.first(
      indexes.map((i) => this.methods[i]!),
      this.stateToSend(run),
    );
    const index = indexes[r.at]!;
    this.applyEffects(r, run);
    if (!r.ok) this.failed(index, r, "when");
    if (r.kind !== "bool") throw new PolicyError("when", "ExpressionValueEvaluationFailure", `condition did not evaluate to a boolean (${r.type})`);
    return { at: r.at, holds: r.value as boolean };
  }

  private async setVariable(el: Element, run: Run): Promise<void> {
    const name = el.getAttribute("name") ?? "";
    if (!name) throw new Error(`set-variable without name at ${xpathOf(el)}`);
    run.variableNames.add(name);
    const index = this.indexOf(el, "value");
    if (index === undefined) {
      await this.host!.set(name, { kind: "string", value: el.getAttribute("value") ?? "" });
      return;
    }
    const r = await this.evaluate(index, run, "set-variable", name);
    if (r.type && !SET_VARIABLE_TYPES.has(r.type)) {
      // The gateway refuses such a value: a runtime error, routed to on-error.
      throw new PolicyError(
        "set-variable",
        "ExpressionValueEvaluationFailure",
        `set-variable '${name}' at ${xpathOf(el)} returned ${r.type}, which is not among the documented allowed types of set-variable`,
      );
    }
  }

  /** Where set-header / set-body act: the send-request being built, the request (inbound/backend) or the response. */
  private messageTarget(run: Run): { headers: Headers; body: string } {
    if (run.outbound) return run.outbound;
    if (run.section === "inbound" || run.section === "backend") return run.request;
    return this.responseTarget(run);
  }

  private responseTarget(run: Run): EmulatedResponse {
    if (!run.response) run.response = { status: 200, reason: "OK", headers: {}, body: "" };
    return run.response;
  }

  private async values(el: Element, run: Run): Promise<(string | null)[]> {
    const out: (string | null)[] = [];
    for (const v of childElements(el)) {
      if (v.tagName !== "value") throw new Error(`<${el.tagName}> may contain only <value>, found <${v.tagName}>`);
      out.push(await this.text(v, run));
    }
    return out;
  }

  private async applyMultiValue(el: Element, run: Run, target: Headers, key: string): Promise<void> {
    const action = (await this.attr(el, "exists-action", run)) ?? "override";
    if (action === "delete") {
      delete target[key];
      return;
    }
    const values = (await this.values(el, run)).filter((v): v is string => v !== null);
    switch (action) {
      case "override":
        if (values.length === 0) delete target[key];
        else target[key] = values;
        return;
      case "skip":
        if (!(key in target) && values.length > 0) target[key] = values;
        return;
      case "append":
        target[key] = [...(target[key] ?? []), ...values];
        return;
      default:
        throw new Error(`exists-action="${action}" is not one of override, skip, append, delete (at ${xpathOf(el)})`);
    }
  }

  private async setHeader(el: Element, run: Run): Promise<void> {
    const name = (await this.requiredAttr(el, "name", run)).toLowerCase();
    await this.applyMultiValue(el, run, this.messageTarget(run).headers, name);
  }

  private async setQueryParameter(el: Element, run: Run): Promise<void> {
    const name = await this.requiredAttr(el, "name", run);
    await this.applyMultiValue(el, run, run.request.url.query, name);
  }

  private async setBody(el: Element, run: Run): Promise<void> {
    if (el.hasAttribute("template")) throw new Error(`set-body template="${el.getAttribute("template")}" is not emulated`);
    this.messageTarget(run).body = (await this.text(el, run)) ?? "";
  }

  private async setStatus(el: Element, run: Run, target: EmulatedResponse): Promise<void> {
    const code = Number(await this.requiredAttr(el, "code", run));
    if (!Number.isInteger(code)) throw new PolicyError("set-status", "ExpressionValueEvaluationFailure", "status code is not an integer");
    target.status = code;
    target.reason = (await this.attr(el, "reason", run)) ?? DEFAULT_REASONS[code] ?? "";
  }

  private async setMethod(el: Element, run: Run): Promise<void> {
    const m = ((await this.text(el, run)) ?? "").toUpperCase();
    if (run.outbound) run.outbound.method = m;
    else run.request.method = m;
  }

  private async returnResponse(el: Element, run: Run): Promise<void> {
    const fromVar = el.getAttribute("response-variable-name");
    const response: EmulatedResponse = { status: 200, reason: "OK", headers: {}, body: "" };
    if (fromVar) {
      const v = await this.host!.get(fromVar);
      if (v.kind !== "null") throw new Error("return-response response-variable-name with a stored response is not emulated");
    }
    run.response = response;
    for (const c of childElements(el)) {
      switch (c.tagName) {
        case "set-status":
          this.checkElement(c, run);
          await this.setStatus(c, run, response);
          break;
        case "set-header": {
          this.checkElement(c, run);
          const name = (await this.requiredAttr(c, "name", run)).toLowerCase();
          await this.applyMultiValue(c, run, response.headers, name);
          break;
        }
        case "set-body":
          this.checkElement(c, run);
          if (c.hasAttribute("template")) throw new Error("set-body template is not emulated");
          response.body = (await this.text(c, run)) ?? "";
          break;
        default:
          throw new Error(`<return-response> may contain set-status, set-header, set-body; found <${c.tagName}>`);
      }
    }
    throw new ReturnResponse();
  }

  private async checkHeader(el: Element, run: Run): Promise<void> {
    const name = (await this.requiredAttr(el, "name", run)).toLowerCase();
    const code = Number(await this.requiredAttr(el, "failed-check-httpcode", run));
    const message = await this.requiredAttr(el, "failed-check-error-message", run);
    const ignoreCase = ((await this.attr(el, "ignore-case", run)) ?? "false").toLowerCase() === "true";
    const allowed = (await this.values(el, run)).filter((v): v is string => v !== null);
    const present = run.request.headers[name];
    if (!present) throw new PolicyError("check-header", "HeaderNotFound", message, errorResponse(code, message));
    if (allowed.length === 0) return;
    const norm = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
    const ok = present.every((p) => allowed.some((a) => norm(a) === norm(p)));
    if (!ok) throw new PolicyError("check-header", "HeaderValueNotAllowed", message, errorResponse(code, message));
  }

  // ---------- token validation ----------

  private async validateToken(el: Element, run: Run): Promise<void> {
    const policy = el.tagName;
    const code = Number((await this.attr(el, "failed-validation-httpcode", run)) ?? "401");
    const message = (await this.attr(el, "failed-validation-error-message", run)) ?? "Unauthorized. Access token is missing or invalid.";
    const fail = (reason: string): never => {
      throw new PolicyError(policy, reason, message, errorResponse(code, message));
    };

    let token: string | undefined;
    const headerName = await this.attr(el, "header-name", run);
    const queryName = await this.attr(el, "query-parameter-name", run);
    const tokenValue = await this.attr(el, "token-value", run);
    if (tokenValue !== undefined) token = tokenValue;
    else if (queryName !== undefined) token = run.request.url.query[queryName]?.[0];
    else {
      const h = run.request.headers[(headerName ?? "Authorization").toLowerCase()]?.[0];
      if (h !== undefined) {
        const scheme = policy === "validate-jwt" ? await this.attr(el, "require-scheme", run) : "Bearer";
        const m = /^(\S+)\s+(.+)$/.exec(h.trim());
        if (scheme !== undefined) {
          if (!m || m[1]!.toLowerCase() !== scheme.toLowerCase()) fail("TokenSchemeNotAllowed");
          token = m![2]!.trim();
        } else token = m ? m[2]!.trim() : h.trim();
      }
    }
    if (!token) return fail("TokenNotPresent");

    const parts = token.split(".");
    if (parts.length !== 3) return fail("TokenNotPresent");
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString()) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString()) as Record<string, unknown>;
    } catch {
      return fail("TokenNotPresent");
    }

    // Signature: Entra signs with RS256 and the tenant's published keys; unsigned tokens are never accepted
    // (validate-jwt require-signed-tokens defaults to true; validate-azure-ad-token has no way to turn it off).
    const requireSigned = policy === "validate-jwt" ? ((await this.attr(el, "require-signed-tokens", run)) ?? "true").toLowerCase() === "true" : true;
    if (header.alg !== "RS256") {
      if (requireSigned || header.alg !== "none") fail("TokenSignatureInvalid");
    } else {
      const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
      const sig = Buffer.from(parts[2]!, "base64url");
      const keys = policy === "validate-jwt" ? await this.jwtSigningKeys(el, run) : this.options.signingKeys;
      if (!keys.some((k) => cryptoVerify("RSA-SHA256", signed, k, sig))) fail("TokenSignatureInvalid");
    }

    const now = this.options.clock.now;
    const skew = policy === "validate-jwt" ? Number((await this.attr(el, "clock-skew", run)) ?? "0") : 0;
    const exp = typeof claims.exp === "number" ? claims.exp : undefined;
    const requireExp = policy === "validate-jwt" ? ((await this.attr(el, "require-expiration-time", run)) ?? "true").toLowerCase() === "true" : true;
    if (exp === undefined && requireExp) fail("TokenExpirationTimeNotPresent");
    if (exp !== undefined && now > exp + skew) fail("TokenExpired");
    if (typeof claims.nbf === "number" && now < claims.nbf - skew) fail("TokenNotYetValid");

    const listOf = (parent: string, item: string): Element[] | undefined => {
      const p = childElements(el).find((c) => c.tagName === parent);
      return p ? childElements(p).filter((c) => c.tagName === item) : undefined;
    };
    const texts = async (els: Element[] | undefined): Promise<string[] | undefined> => {
      if (!els) return undefined;
      const out: string[] = [];
      for (const e of els) out.push(((await this.text(e, run)) ?? "").trim());
      return out;
    };

    const iss = String(claims.iss ?? "");
    if (policy === "validate-azure-ad-token") {
      const tenant = (await this.requiredAttr(el, "tenant-id", run)).toLowerCase();
      const issuers = [`https://sts.windows.net/${tenant}/`, `https://login.microsoftonline.com/${tenant}/v2.0`];
      if (!issuers.includes(iss)) fail("TokenIssuerNotAllowed");
      if (String(claims.tid ?? "").toLowerCase() !== tenant) fail("TokenIssuerNotAllowed");
    } else {
      const issuers = await texts(listOf("issuers", "issuer"));
      if (issuers && !issuers.includes(iss)) fail("TokenIssuerNotAllowed");
    }

    const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : claims.aud === undefined ? [] : [String(claims.aud)];
    const audiences = [...((await texts(listOf("audiences", "audience"))) ?? []), ...((await texts(listOf("backend-application-ids", "application-id"))) ?? [])];
    if (audiences.length > 0 && !aud.some((a) => audiences.includes(a))) fail("TokenAudienceNotAllowed");

    const clientIds = await texts(listOf("client-application-ids", "application-id"));
    if (clientIds && clientIds.length > 0) {
      const app = String(claims.azp ?? claims.appid ?? "").toLowerCase();
      if (!clientIds.map((c) => c.toLowerCase()).includes(app)) fail("TokenClientApplicationNotAllowed");
    }

    const required = childElements(el).find((c) => c.tagName === "required-claims");
    for (const claim of required ? childElements(required) : []) {
      const name = claim.getAttribute("name") ?? "";
      const match = claim.getAttribute("match") ?? "all";
      const separator = claim.getAttribute("separator");
      const raw = claims[name];
      if (raw === undefined) fail("TokenClaimNotFound");
      let have = Array.isArray(raw) ? raw.map(String) : [String(raw)];
      if (separator) have = have.flatMap((h) => h.split(separator));
      const want = (await texts(childElements(claim).filter((c) => c.tagName === "value"))) ?? [];
      if (want.length > 0) {
        const ok = match === "any" ? want.some((w) => have.includes(w)) : want.every((w) => have.includes(w));
        if (!ok) fail("TokenClaimValueNotAllowed");
      }
    }

    const out = el.getAttribute("output-token-variable-name");
    if (out) {
      run.variableNames.add(out);
      await this.host!.set(out, { kind: "jwt", value: token });
    }
  }

  private async jwtSigningKeys(el: Element, run: Run): Promise<KeyObject[]> {
    const keys: KeyObject[] = [];
    for (const c of childElements(el)) {
      if (c.tagName === "openid-config") keys.push(...this.options.signingKeys); // the emulated tenant's OIDC keys
      if (c.tagName === "issuer-signing-keys") {
        for (const k of childElements(c)) {
          const n = k.getAttribute("n");
          const e = k.getAttribute("e");
          if (n && e) keys.push(createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" }));
          else throw new Error(`issuer-signing-keys <key> form not emulated (${(await this.text(k, run)) ?? ""})`);
        }
      }
    }
    return keys;
  }

  // ---------- counters ----------

  private async rateLimitByKey(el: Element, run: Run): Promise<void> {
    const calls = Number(await this.requiredAttr(el, "calls", run));
    const period = Number(await this.requiredAttr(el, "renewal-period", run));
    if (!(period > 0 && period <= 300)) {
      throw new Error(`rate-limit-by-key renewal-period="${period}" at ${xpathOf(el)}: the documented maximum is 300 seconds`);
    }
    const key = `rate|${await this.requiredAttr(el, "counter-key", run)}`;
    const incrementCount = Number((await this.attr(el, "increment-count", run)) ?? "1");
    const now = this.options.clock.now;
    let c = this.counters.get(key);
    if (!c || now >= c.windowStart + period) {
      c = { windowStart: now, count: 0 };
      this.counters.set(key, c);
    }
    const retryAfter = Math.max(1, Math.ceil(c.windowStart + period - now));
    const remaining = Math.max(0, calls - c.count - incrementCount);
    const setVar = async (attr: string, value: number): Promise<void> => {
      const name = el.getAttribute(attr);
      if (name) {
        run.variableNames.add(name);
        await this.host!.set(name, { kind: "int", value });
      }
    };
    const remainingHeader = el.getAttribute("remaining-calls-header-name");
    const totalHeader = el.getAttribute("total-calls-header-name");
    if (totalHeader) run.responseHeadersAtEnd[totalHeader.toLowerCase()] = [String(calls)];
    if (c.count + incrementCount > calls) {
      await setVar("retry-after-variable-name", retryAfter);
      await setVar("remaining-calls-variable-name", 0);
      if (remainingHeader) run.responseHeadersAtEnd[remainingHeader.toLowerCase()] = ["0"];
      const headerName = (el.getAttribute("retry-after-header-name") ?? "Retry-After").toLowerCase();
      const message = `Rate limit is exceeded. Try again in ${retryAfter} seconds.`;
      throw new PolicyError("rate-limit-by-key", "RateLimitExceeded", message, errorResponse(429, message, { [headerName]: [String(retryAfter)] }));
    }
    await setVar("remaining-calls-variable-name", remaining);
    if (remainingHeader) run.responseHeadersAtEnd[remainingHeader.toLowerCase()] = [String(remaining)];
    const counter = c;
    if (el.hasAttribute("increment-condition")) {
      // Evaluated when the request completes (the documented examples read context.Response.StatusCode).
      run.deferred.push(async () => {
        if (await this.condition(el, "increment-condition", run, true)) counter.count += incrementCount;
      });
    } else counter.count += incrementCount;
  }

  private async quotaByKey(el: Element, run: Run): Promise<void> {
    if (el.hasAttribute("bandwidth") && !el.hasAttribute("calls")) throw new Error("quota-by-key bandwidth-only quotas are not emulated");
    const calls = Number(await this.requiredAttr(el, "calls", run));
    const period = Number(await this.requiredAttr(el, "renewal-period", run));
    const key = `quota|${await this.requiredAttr(el, "counter-key", run)}`;
    const now = this.options.clock.now;
    let c = this.counters.get(key);
    if (!c || (period > 0 && now >= c.windowStart + period)) {
      c = { windowStart: now, count: 0 };
      this.counters.set(key, c);
    }
    if (c.count + 1 > calls) {
      const left = Math.max(0, Math.ceil(c.windowStart + period - now));
      const hms = new Date(left * 1000).toISOString().slice(11, 19);
      const message = `Out of call volume quota. Quota will be replenished in ${hms}.`;
      throw new PolicyError("quota-by-key", "QuotaExceeded", message, errorResponse(403, message));
    }
    const counter = c;
    if (el.hasAttribute("increment-condition")) {
      run.deferred.push(async () => {
        if (await this.condition(el, "increment-condition", run, true)) counter.count += 1;
      });
    } else counter.count += 1;
  }

  // ---------- cache ----------

  private async cacheStore(el: Element, run: Run): Promise<void> {
    const key = await this.requiredAttr(el, "key", run);
    const duration = Number(await this.requiredAttr(el, "duration", run));
    const index = this.indexOf(el, "value");
    let value: WireValue;
    if (index === undefined) value = { kind: "string", value: el.getAttribute("value") ?? "" };
    else {
      const r = await this.evaluate(index, run, "cache-store-value");
      if (r.kind === "other") throw new PolicyError("cache-store-value", "ExpressionValueEvaluationFailure", `value of type ${r.type} cannot be cached`);
      value = (r.kind === "null" ? { kind: "null" } : { kind: r.kind, value: r.value }) as WireValue;
    }
    this.cache.set(key, { value, expiresAt: this.options.clock.now + duration });
  }

  private async cacheLookup(el: Element, run: Run): Promise<void> {
    const key = await this.requiredAttr(el, "key", run);
    const variable = el.getAttribute("variable-name") ?? "";
    if (!variable) throw new Error("cache-lookup-value without variable-name");
    run.variableNames.add(variable);
    const entry = this.cache.get(key);
    if (entry && entry.expiresAt > this.options.clock.now) {
      await this.host!.set(variable, entry.value);
      return;
    }
    if (entry) this.cache.delete(key);
    const fallback = await this.attr(el, "default-value", run);
    await this.host!.set(variable, fallback === undefined ? { kind: "null" } : { kind: "string", value: fallback });
  }

  /** Test access to the gateway cache (e.g. to check a session binding exists). */
  cacheKeys(): string[] {
    return [...this.cache.entries()].filter(([, e]) => e.expiresAt > this.options.clock.now).map(([k]) => k);
  }

  // ---------- outbound calls ----------

  private fakeManagedIdentityToken(resource: string, clientId: string | undefined): string {
    const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = this.options.clock.now;
    const claims = { aud: resource, iss: "https://emulated-managed-identity/", appid: clientId ?? "system-assigned", azp: clientId ?? "system-assigned", idtyp: "app", iat: now, exp: now + 3600 };
    return `${b64({ alg: "RS256", typ: "JWT", kid: "emulated-mi" })}.${b64(claims)}.ZmFrZS1tYW5hZ2VkLWlkZW50aXR5`;
  }

  private async managedIdentity(el: Element, run: Run): Promise<void> {
    const resource = await this.requiredAttr(el, "resource", run);
    const clientId = await this.attr(el, "client-id", run);
    const token = this.fakeManagedIdentityToken(resource, clientId);
    const out = el.getAttribute("output-token-variable-name");
    if (out) {
      run.variableNames.add(out);
      await this.host!.set(out, { kind: "string", value: token });
      return; // documented: with output-token-variable-name the token goes to the variable, not the header
    }
    const target = run.outbound ?? run.request;
    target.headers["authorization"] = [`Bearer ${token}`];
  }

  private async sendRequest(el: Element, run: Run): Promise<void> {
    const mode = (await this.attr(el, "mode", run)) ?? "new";
    const timeoutSeconds = Number((await this.attr(el, "timeout", run)) ?? "60");
    const ignoreError = ((await this.attr(el, "ignore-error", run)) ?? "false").toLowerCase() === "true";
    const variable = el.getAttribute("response-variable-name");
    const call: OutboundCall =
      mode === "copy"
        ? { method: run.request.method, url: "", headers: structuredClone(run.request.headers), body: run.request.body, timeoutSeconds }
        : { method: "GET", url: "", headers: {}, body: "", timeoutSeconds };
    const outer = run.outbound;
    run.outbound = call;
    try {
      for (const c of childElements(el)) {
        this.checkElement(c, { ...run, section: "inbound" } as Run);
        switch (c.tagName) {
          case "set-url":
            call.url = (await this.text(c, run)) ?? "";
            break;
          case "set-method":
            call.method = ((await this.text(c, run)) ?? "").toUpperCase();
            break;
          case "set-header":
            await this.setHeader(c, run);
            break;
          case "set-body":
            await this.setBody(c, run);
            break;
          case "authentication-managed-identity":
            await this.managedIdentity(c, run);
            break;
          default:
            throw new Error(`<send-request> child <${c.tagName}> is not emulated`);
        }
      }
    } finally {
      run.outbound = outer;
    }
    if (!call.url) throw new Error("send-request without set-url");
    if (!this.options.services) throw new Error(`send-request to ${call.url} but the emulator has no services fake`);
    const answer = this.options.services(structuredClone(call));
    call.answer = answer;
    run.sentRequests.push(call);
    const latency = answer.latencySeconds ?? 0;
    const failed = "error" in answer || latency > timeoutSeconds;
    if (failed) {
      if (!ignoreError) {
        throw new PolicyError("send-request", "error" in answer && answer.error === "connection-refused" ? "ConnectionFailure" : "Timeout", `send-request to ${call.url} failed`);
      }
      if (variable) {
        run.variableNames.add(variable);
        await this.host!.set(variable, { kind: "null" });
      }
      return;
    }
    if (variable) {
      run.variableNames.add(variable);
      const ok = answer as Extract<FakeAnswer, { status: number }>;
      await this.host!.set(variable, {
        kind: "response",
        value: { statusCode: ok.status, statusReason: DEFAULT_REASONS[ok.status] ?? "", headers: headersOf(ok.headers), body: bodyText(ok.body) },
      });
    }
  }

  private async setBackendService(el: Element, run: Run): Promise<void> {
    const id = await this.attr(el, "backend-id", run);
    if (id !== undefined) {
      const url = this.options.backends[id];
      if (!url) throw new PolicyError("set-backend-service", "BackendNotFound", `backend '${id}' does not exist`);
      run.backendBase = url;
      return;
    }
    run.backendBase = await this.requiredAttr(el, "base-url", run);
  }

  private async forwardRequest(el: Element, run: Run): Promise<void> {
    const timeout = Number((await this.attr(el, "timeout", run)) ?? "300");
    if (!run.backendBase) throw new PolicyError("forward-request", "BackendNotSet", "no backend service URL (set-backend-service or the API's service URL)");
    const rel = run.request.url.path.slice(`/${this.options.api.path}`.length);
    const qs = Object.entries(run.request.url.query)
      .flatMap(([k, vs]) => vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
      .join("&");
    const request: BackendRequest = {
      method: run.request.method,
      url: `${run.backendBase.replace(/\/$/, "")}${rel}${qs ? `?${qs}` : ""}`,
      headers: structuredClone(run.request.headers),
      body: run.request.body,
    };
    run.backendRequest = request;
    // A real backend (the HTTP front of test/e2e) answers asynchronously; scripted fakes answer at once.
    const answer = await this.options.backend(structuredClone(request));
    if ("error" in answer || (answer.latencySeconds ?? 0) > timeout) {
      throw new PolicyError("forward-request", "BackendConnectionFailure", "The backend did not answer in time", errorResponse(500, "Internal server error"));
    }
    run.response = { status: answer.status, reason: DEFAULT_REASONS[answer.status] ?? "", headers: headersOf(answer.headers), body: bodyText(answer.body) };
  }

  // ---------- telemetry ----------

  private async trace(el: Element, run: Run): Promise<void> {
    const source = await this.requiredAttr(el, "source", run);
    const severity = (await this.attr(el, "severity", run)) ?? "verbose";
    if (!TRACE_SEVERITIES.includes(severity)) throw new Error(`trace severity="${severity}" is not one of ${TRACE_SEVERITIES.join(", ")}`);
    let message = "";
    const metadata: Record<string, string> = {};
    for (const c of childElements(el)) {
      if (c.tagName === "message") message = (await this.text(c, run)) ?? "";
      else if (c.tagName === "metadata") metadata[c.getAttribute("name") ?? ""] = (await this.attr(c, "value", run)) ?? "";
      else throw new Error(`<trace> child <${c.tagName}> is not documented`);
    }
    run.traces.push({ source, severity, message, metadata });
  }

  private async emitMetric(el: Element, run: Run): Promise<void> {
    const name = await this.requiredAttr(el, "name", run);
    const namespace = (await this.attr(el, "namespace", run)) ?? "API Management";
    const value = Number((await this.attr(el, "value", run)) ?? "1");
    const dimensions: Record<string, string> = {};
    const dims = childElements(el);
    if (dims.length === 0 || dims.length > 5) throw new Error(`emit-metric needs 1 to 5 dimensions, found ${dims.length} (at ${xpathOf(el)})`);
    for (const d of dims) {
      if (d.tagName !== "dimension") throw new Error(`<emit-metric> child <${d.tagName}> is not documented`);
      const dn = d.getAttribute("name") ?? "";
      dimensions[dn] = (await this.attr(d, "value", run)) ?? `(default ${dn})`;
    }
    run.metrics.push({ name, namespace, value, dimensions });
  }
}

