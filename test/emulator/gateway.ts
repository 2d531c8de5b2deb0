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
import { randomUUID } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { compileExpressionPool, type ExpressionPool, type PolicyExpression } from "../support/apim/expressions";
import { childElements, parsePolicyXml, substituteNamedValues } from "../support/apim/xml";
import { execAll } from "./controlFlow";
import { ExpressionBridge } from "./expressionBridge";
import { ExpressionHostProcess } from "./host";
import {
  PolicyError,
  ReturnResponse,
  bodyText,
  errorResponse,
  headersOf,
  type ClientRequest,
  type EmulatedResponse,
  type EmulatorDocuments,
  type EmulatorResult,
  type EmulatorSettings,
  type Headers,
  type Run,
  type Section,
} from "./messages";
import type { CacheEntry, Counter, PolicyRuntime } from "./runtime";

export type {
  BackendRequest,
  ClientRequest,
  EmulatedResponse,
  EmulatorDocuments,
  EmulatorResult,
  FakeAnswer,
  Headers,
  HttpMessage,
  LastError,
  MetricRecord,
  OutboundCall,
  Section,
  TraceRecord,
} from "./messages";

export interface EmulatorOptions extends EmulatorSettings {
  /**
   * Another emulator of the same API whose cache and rate-limit counters this one shares: several instances then
   * serve concurrent requests as one gateway (each instance holds one request's context at a time).
   */
  shareStateWith?: GatewayEmulator;
}

export class GatewayEmulator {
  private readonly docs: { name: string; doc: Document }[] = [];
  private readonly fragments = new Map<string, Document>();
  private readonly expr: ExpressionBridge;
  /** Whether stop() ends the host (false when it is shared, see start). */
  private ownsHost = true;
  private readonly counters: Map<string, Counter>;
  private readonly cache: Map<string, CacheEntry>;
  /** What the policy implementations work with. */
  private readonly runtime: PolicyRuntime;

  constructor(private readonly options: EmulatorOptions) {
    this.counters = options.shareStateWith?.counters ?? new Map();
    this.cache = options.shareStateWith?.cache ?? new Map();
    this.expr = new ExpressionBridge(options);
    this.runtime = { options, expr: this.expr, counters: this.counters, cache: this.cache, fragments: this.fragments };
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
    if (rootName === "policies") this.docs.push({ name, doc });
    this.expr.register(name, doc);
    return doc;
  }

  /** The expressions of documents, without starting anything. */
  static expressionsOf(documents: EmulatorDocuments, namedValues: Record<string, string>): readonly PolicyExpression[] {
    const unused = (): never => {
      throw new Error("not started");
    };
    return new GatewayEmulator({ documents, namedValues, gatewayHost: "", api: { id: "", name: "", path: "" }, backends: {}, signingKeys: [], backend: unused, clock: { now: 0 } })
      .expr.expressions;
  }

  /** Every policy expression of the documents, named values substituted (e.g. to build a shared pool). */
  get policyExpressions(): readonly PolicyExpression[] {
    return this.expr.expressions;
  }

  /**
   * Compiles every expression (one mcs run, cached) and starts the evaluation host. With `pool`, uses that
   * already compiled assembly instead (it must contain every expression of these documents); with `host` too,
   * that running host of the pool instead of a new process (it stays running after stop()).
   */
  async start(pool?: ExpressionPool, host?: ExpressionHostProcess): Promise<void> {
    const p = pool ?? compileExpressionPool(this.expr.expressions);
    const methods = this.expr.expressions.map((e) => {
      const m = p.methodFor(e);
      if (m === undefined) throw new Error(`expression pool lacks ${e.document} ${e.location}`);
      return m;
    });
    if (host && host.assemblyPath !== p.assemblyPath) throw new Error(`the shared expression host runs ${host.assemblyPath}, not the pool's ${p.assemblyPath}`);
    this.ownsHost = host === undefined;
    const running = host ?? new ExpressionHostProcess(p.assemblyPath);
    this.expr.use(methods, running);
    if (this.ownsHost) await running.begin(); // waits until mono answers
  }

  stop(): void {
    if (this.ownsHost) this.expr.running?.close();
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
    const host = this.expr.running;
    if (!host) throw new Error("call start() first");
    host.claim(this);
    try {
      return await this.runRequest(req, host);
    } finally {
      host.release(this);
    }
  }

  private async runRequest(req: ClientRequest, host: ExpressionHostProcess): Promise<EmulatorResult> {
    await host.begin();
    this.expr.beginRequest();
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
        await execAll(this.runtime, this.composed(section), run);
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
      await execAll(this.runtime, this.composed("on-error"), run);
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
    const variables = await this.expr.host.texts([...run.variableNames]);
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

  /** Test access to the gateway cache (e.g. to check a session binding exists). */
  cacheKeys(): string[] {
    return [...this.cache.entries()].filter(([, e]) => e.expiresAt > this.options.clock.now).map(([k]) => k);
  }
}
