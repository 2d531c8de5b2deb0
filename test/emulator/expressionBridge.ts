// The bridge from policy elements to the mono expression host: which expression an attribute or text holds, and its value.
import type { Document, Element } from "@xmldom/xmldom";
import { expressionsOfDocument, type PolicyExpression } from "../support/apim/expressions";
import { textOf, xpathOf } from "../support/apim/xml";
import type { EvalResult, ExpressionHostProcess } from "./host";
import { PolicyError, type EmulatorSettings, type Run } from "./messages";

export class ExpressionBridge {
  private readonly docNames = new Map<Document, string>();
  private readonly expressionIndex = new Map<string, number>();
  readonly expressions: PolicyExpression[] = [];
  private process?: ExpressionHostProcess;
  /** Compiled method of each expression (index into `expressions`). */
  private methods: number[] = [];

  constructor(private readonly options: Pick<EmulatorSettings, "api" | "clock">) {}

  /** Indexes the expressions of a parsed document (named values already substituted). */
  register(name: string, doc: Document): void {
    this.docNames.set(doc, name);
    for (const e of expressionsOfDocument(doc, name)) {
      this.expressionIndex.set(`${name}|${e.location}`, this.expressions.length);
      this.expressions.push(e);
    }
  }

  /** Evaluates with these compiled methods (one per expression) on this running host. */
  use(methods: number[], host: ExpressionHostProcess): void {
    this.methods = methods;
    this.process = host;
  }

  /** The host, once started. */
  get running(): ExpressionHostProcess | undefined {
    return this.process;
  }

  get host(): ExpressionHostProcess {
    return this.process!;
  }

  /** Forgets what the host held for the previous request. */
  beginRequest(): void {
    this.hostBodies = {};
    this.hostState = undefined;
  }

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

  indexOf(el: Element, attr: string | null): number | undefined {
    let at = this.elementPaths.get(el);
    if (at === undefined) this.elementPaths.set(el, (at = `${this.docNames.get(el.ownerDocument as Document)}|${xpathOf(el)}`));
    return this.expressionIndex.get(`${at}/${attr === null ? "text()" : `@${attr}`}`);
  }

  async evaluate(index: number, run: Run, policy: string, assign?: string): Promise<EvalResult> {
    const r = await this.host.eval(this.methods[index]!, this.stateToSend(run), assign);
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
  async attr(el: Element, name: string, run: Run): Promise<string | undefined> {
    if (!el.hasAttribute(name)) return undefined;
    const index = this.indexOf(el, name);
    if (index === undefined) return el.getAttribute(name) ?? "";
    const r = await this.evaluate(index, run, el.tagName);
    return r.text ?? "";
  }

  async requiredAttr(el: Element, name: string, run: Run): Promise<string> {
    const v = await this.attr(el, name, run);
    if (v === undefined) throw new Error(`<${el.tagName}> at ${xpathOf(el)} lacks the required attribute ${name}`);
    return v;
  }

  async text(el: Element, run: Run): Promise<string | null> {
    const index = this.indexOf(el, null);
    if (index === undefined) return textOf(el).trim();
    const r = await this.evaluate(index, run, el.parentNode ? (el.parentNode as Element).tagName : el.tagName);
    return r.kind === "null" ? null : (r.text ?? "");
  }

  async condition(el: Element, name: string, run: Run, defaultValue: boolean): Promise<boolean> {
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

  /** The first of these `when` conditions that holds (or where the host stopped: see ExpressionHostProcess.first). */
  async firstCondition(indexes: readonly number[], run: Run): Promise<{ at: number; holds: boolean }> {
    const r = await this.host.first(
      indexes.map((i) => this.methods[i]!),
      this.stateToSend(run),
    );
    const index = indexes[r.at]!;
    this.applyEffects(r, run);
    if (!r.ok) this.failed(index, r, "when");
    if (r.kind !== "bool") throw new PolicyError("when", "ExpressionValueEvaluationFailure", `condition did not evaluate to a boolean (${r.type})`);
    return { at: r.at, holds: r.value as boolean };
  }
}
