// Counters and cache: rate-limit-by-key, quota-by-key, cache-store-value and cache-lookup-value.
import type { Element } from "@xmldom/xmldom";
import { xpathOf } from "../support/apim/xml";
import type { WireValue } from "./host";
import { PolicyError, errorResponse, type Run } from "./messages";
import type { PolicyRuntime } from "./runtime";

export async function rateLimitByKey(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const calls = Number(await g.expr.requiredAttr(el, "calls", run));
  const period = Number(await g.expr.requiredAttr(el, "renewal-period", run));
  if (!(period > 0 && period <= 300)) {
    throw new Error(`rate-limit-by-key renewal-period="${period}" at ${xpathOf(el)}: the documented maximum is 300 seconds`);
  }
  const key = `rate|${await g.expr.requiredAttr(el, "counter-key", run)}`;
  const incrementCount = Number((await g.expr.attr(el, "increment-count", run)) ?? "1");
  const now = g.options.clock.now;
  let c = g.counters.get(key);
  if (!c || now >= c.windowStart + period) {
    c = { windowStart: now, count: 0 };
    g.counters.set(key, c);
  }
  const retryAfter = Math.max(1, Math.ceil(c.windowStart + period - now));
  const remaining = Math.max(0, calls - c.count - incrementCount);
  const setVar = async (attr: string, value: number): Promise<void> => {
    const name = el.getAttribute(attr);
    if (name) {
      run.variableNames.add(name);
      await g.expr.host.set(name, { kind: "int", value });
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
      if (await g.expr.condition(el, "increment-condition", run, true)) counter.count += incrementCount;
    });
  } else counter.count += incrementCount;
}

export async function quotaByKey(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  if (el.hasAttribute("bandwidth") && !el.hasAttribute("calls")) throw new Error("quota-by-key bandwidth-only quotas are not emulated");
  const calls = Number(await g.expr.requiredAttr(el, "calls", run));
  const period = Number(await g.expr.requiredAttr(el, "renewal-period", run));
  const key = `quota|${await g.expr.requiredAttr(el, "counter-key", run)}`;
  const now = g.options.clock.now;
  let c = g.counters.get(key);
  if (!c || (period > 0 && now >= c.windowStart + period)) {
    c = { windowStart: now, count: 0 };
    g.counters.set(key, c);
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
      if (await g.expr.condition(el, "increment-condition", run, true)) counter.count += 1;
    });
  } else counter.count += 1;
}

export async function cacheStore(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const key = await g.expr.requiredAttr(el, "key", run);
  const duration = Number(await g.expr.requiredAttr(el, "duration", run));
  const index = g.expr.indexOf(el, "value");
  let value: WireValue;
  if (index === undefined) value = { kind: "string", value: el.getAttribute("value") ?? "" };
  else {
    const r = await g.expr.evaluate(index, run, "cache-store-value");
    if (r.kind === "other") throw new PolicyError("cache-store-value", "ExpressionValueEvaluationFailure", `value of type ${r.type} cannot be cached`);
    value = (r.kind === "null" ? { kind: "null" } : { kind: r.kind, value: r.value }) as WireValue;
  }
  g.cache.set(key, { value, expiresAt: g.options.clock.now + duration });
}

export async function cacheLookup(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const key = await g.expr.requiredAttr(el, "key", run);
  const variable = el.getAttribute("variable-name") ?? "";
  if (!variable) throw new Error("cache-lookup-value without variable-name");
  run.variableNames.add(variable);
  const entry = g.cache.get(key);
  if (entry && entry.expiresAt > g.options.clock.now) {
    await g.expr.host.set(variable, entry.value);
    return;
  }
  if (entry) g.cache.delete(key);
  const fallback = await g.expr.attr(el, "default-value", run);
  await g.expr.host.set(variable, fallback === undefined ? { kind: "null" } : { kind: "string", value: fallback });
}
