// Telemetry policies: trace and emit-metric.
import type { Element } from "@xmldom/xmldom";
import { childElements, xpathOf } from "../support/apim/xml";
import type { Run } from "./messages";
import type { PolicyRuntime } from "./runtime";

const TRACE_SEVERITIES = ["verbose", "information", "error"];

export async function trace(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const source = await g.expr.requiredAttr(el, "source", run);
  const severity = (await g.expr.attr(el, "severity", run)) ?? "verbose";
  if (!TRACE_SEVERITIES.includes(severity)) throw new Error(`trace severity="${severity}" is not one of ${TRACE_SEVERITIES.join(", ")}`);
  let message = "";
  const metadata: Record<string, string> = {};
  for (const c of childElements(el)) {
    if (c.tagName === "message") message = (await g.expr.text(c, run)) ?? "";
    else if (c.tagName === "metadata") metadata[c.getAttribute("name") ?? ""] = (await g.expr.attr(c, "value", run)) ?? "";
    else throw new Error(`<trace> child <${c.tagName}> is not documented`);
  }
  run.traces.push({ source, severity, message, metadata });
}

export async function emitMetric(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const name = await g.expr.requiredAttr(el, "name", run);
  const namespace = (await g.expr.attr(el, "namespace", run)) ?? "API Management";
  const value = Number((await g.expr.attr(el, "value", run)) ?? "1");
  const dimensions: Record<string, string> = {};
  const dims = childElements(el);
  if (dims.length === 0 || dims.length > 5) throw new Error(`emit-metric needs 1 to 5 dimensions, found ${dims.length} (at ${xpathOf(el)})`);
  for (const d of dims) {
    if (d.tagName !== "dimension") throw new Error(`<emit-metric> child <${d.tagName}> is not documented`);
    const dn = d.getAttribute("name") ?? "";
    dimensions[dn] = (await g.expr.attr(d, "value", run)) ?? `(default ${dn})`;
  }
  run.metrics.push({ name, namespace, value, dimensions });
}
