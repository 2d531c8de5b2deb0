// Policies that read or change the request and response: variables, headers, query parameters, body, status, method, check-header.
import type { Element } from "@xmldom/xmldom";
import { childElements, xpathOf } from "../support/apim/xml";
import { DEFAULT_REASONS, PolicyError, errorResponse, type EmulatedResponse, type Headers, type Run } from "./messages";
import type { PolicyRuntime } from "./runtime";

/** set-variable "Allowed types" (nullable forms box to the same runtime types). */
const SET_VARIABLE_TYPES = new Set([
  ...["JArray", "JConstructor", "JContainer", "JProperty", "JObject", "JRaw", "JToken", "JValue"].map((t) => `Newtonsoft.Json.Linq.${t}`),
  ...["Boolean", "SByte", "SByte[]", "Byte", "Byte[]", "UInt16", "UInt32", "UInt64", "Int16", "Int32", "Int64", "Decimal", "Single", "Double", "Guid", "String", "Char", "DateTime", "TimeSpan"].map((t) => `System.${t}`),
]);

export async function setVariable(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const name = el.getAttribute("name") ?? "";
  if (!name) throw new Error(`set-variable without name at ${xpathOf(el)}`);
  run.variableNames.add(name);
  const index = g.expr.indexOf(el, "value");
  if (index === undefined) {
    await g.expr.host.set(name, { kind: "string", value: el.getAttribute("value") ?? "" });
    return;
  }
  const r = await g.expr.evaluate(index, run, "set-variable", name);
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
function messageTarget(run: Run): { headers: Headers; body: string } {
  if (run.outbound) return run.outbound;
  if (run.section === "inbound" || run.section === "backend") return run.request;
  return responseTarget(run);
}

export function responseTarget(run: Run): EmulatedResponse {
  if (!run.response) run.response = { status: 200, reason: "OK", headers: {}, body: "" };
  return run.response;
}

async function valueTexts(g: PolicyRuntime, el: Element, run: Run): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const v of childElements(el)) {
    if (v.tagName !== "value") throw new Error(`<${el.tagName}> may contain only <value>, found <${v.tagName}>`);
    out.push(await g.expr.text(v, run));
  }
  return out;
}

export async function applyMultiValue(g: PolicyRuntime, el: Element, run: Run, target: Headers, key: string): Promise<void> {
  const action = (await g.expr.attr(el, "exists-action", run)) ?? "override";
  if (action === "delete") {
    delete target[key];
    return;
  }
  const values = (await valueTexts(g, el, run)).filter((v): v is string => v !== null);
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

export async function setHeader(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const name = (await g.expr.requiredAttr(el, "name", run)).toLowerCase();
  await applyMultiValue(g, el, run, messageTarget(run).headers, name);
}

export async function setQueryParameter(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const name = await g.expr.requiredAttr(el, "name", run);
  await applyMultiValue(g, el, run, run.request.url.query, name);
}

export async function setBody(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  if (el.hasAttribute("template")) throw new Error(`set-body template="${el.getAttribute("template")}" is not emulated`);
  messageTarget(run).body = (await g.expr.text(el, run)) ?? "";
}

export async function setStatus(g: PolicyRuntime, el: Element, run: Run, target: EmulatedResponse): Promise<void> {
  const code = Number(await g.expr.requiredAttr(el, "code", run));
  if (!Number.isInteger(code)) throw new PolicyError("set-status", "ExpressionValueEvaluationFailure", "status code is not an integer");
  target.status = code;
  target.reason = (await g.expr.attr(el, "reason", run)) ?? DEFAULT_REASONS[code] ?? "";
}

export async function setMethod(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const m = ((await g.expr.text(el, run)) ?? "").toUpperCase();
  if (run.outbound) run.outbound.method = m;
  else run.request.method = m;
}


export async function checkHeader(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const name = (await g.expr.requiredAttr(el, "name", run)).toLowerCase();
  const code = Number(await g.expr.requiredAttr(el, "failed-check-httpcode", run));
  const message = await g.expr.requiredAttr(el, "failed-check-error-message", run);
  const ignoreCase = ((await g.expr.attr(el, "ignore-case", run)) ?? "false").toLowerCase() === "true";
  const allowed = (await valueTexts(g, el, run)).filter((v): v is string => v !== null);
  const present = run.request.headers[name];
  if (!present) throw new PolicyError("check-header", "HeaderNotFound", message, errorResponse(code, message));
  if (allowed.length === 0) return;
  const norm = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const ok = present.every((p) => allowed.some((a) => norm(a) === norm(p)));
  if (!ok) throw new PolicyError("check-header", "HeaderValueNotAllowed", message, errorResponse(code, message));
}
