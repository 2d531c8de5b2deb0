// Control flow: runs statements (dispatching each element to its policy), choose, return-response, include-fragment, wait.
import type { Element } from "@xmldom/xmldom";
import { childElements, xpathOf } from "../support/apim/xml";
import { ReturnResponse, type EmulatedResponse, type Run } from "./messages";
import { applyMultiValue, checkHeader, responseTarget, setBody, setHeader, setMethod, setQueryParameter, setStatus, setVariable } from "./messagePolicies";
import { forwardRequest, managedIdentity, sendRequest, setBackendService } from "./outboundCalls";
import { checkElement } from "./policyRules";
import { cacheLookup, cacheStore, quotaByKey, rateLimitByKey } from "./rateLimitsAndCache";
import type { PolicyRuntime } from "./runtime";
import { emitMetric, trace } from "./telemetry";
import { validateToken } from "./tokenValidation";

/** Runs statements in order; a policy error or return-response ends them (thrown to the pipeline). */
export async function execAll(g: PolicyRuntime, statements: readonly Element[], run: Run): Promise<void> {
  for (const s of statements) await exec(g, s, run);
}

async function exec(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  checkElement(g, el, run);
  switch (el.tagName) {
    case "choose":
      return choose(g, el, run);
    case "set-variable":
      return setVariable(g, el, run);
    case "set-header":
      return setHeader(g, el, run);
    case "set-query-parameter":
      return setQueryParameter(g, el, run);
    case "set-body":
      return setBody(g, el, run);
    case "set-status":
      return setStatus(g, el, run, responseTarget(run));
    case "set-method":
      return setMethod(g, el, run);
    case "return-response":
      return returnResponse(g, el, run);
    case "check-header":
      return checkHeader(g, el, run);
    case "validate-azure-ad-token":
    case "validate-jwt":
      return validateToken(g, el, run);
    case "rate-limit-by-key":
      return rateLimitByKey(g, el, run);
    case "quota-by-key":
      return quotaByKey(g, el, run);
    case "cache-store-value":
      return cacheStore(g, el, run);
    case "cache-lookup-value":
      return cacheLookup(g, el, run);
    case "cache-remove-value":
      g.cache.delete(await g.expr.requiredAttr(el, "key", run));
      return;
    case "send-request":
      return sendRequest(g, el, run);
    case "authentication-managed-identity":
      return managedIdentity(g, el, run);
    case "set-backend-service":
      return setBackendService(g, el, run);
    case "forward-request":
      return forwardRequest(g, el, run);
    case "trace":
      return trace(g, el, run);
    case "emit-metric":
      return emitMetric(g, el, run);
    case "include-fragment": {
      const id = await g.expr.requiredAttr(el, "fragment-id", run);
      const frag = g.fragments.get(id);
      if (!frag) throw new Error(`include-fragment: no fragment '${id}' given to the emulator`);
      return execAll(g, childElements(frag.documentElement!), run);
    }
    case "wait":
      // Children run concurrently on the gateway; their effects do not depend on the order here.
      return execAll(g, childElements(el), run);
    case "base":
      throw new Error(`<base /> is only allowed directly in a section (at ${xpathOf(el)})`);
    default:
      throw new Error(`the emulator does not implement <${el.tagName}> (at ${xpathOf(el)})`);
  }
}

async function choose(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const branches = childElements(el);
  for (const branch of branches) {
    checkElement(g, branch, run);
    if (branch.tagName === "when" && !branch.hasAttribute("condition")) throw new Error(`<when> without condition at ${xpathOf(branch)}`);
    if (branch.tagName !== "when" && branch.tagName !== "otherwise") throw new Error(`<choose> may contain only <when> and <otherwise>, found <${branch.tagName}>`);
  }
  for (let i = 0; i < branches.length; ) {
    const branch = branches[i]!;
    if (branch.tagName === "otherwise") return execAll(g, childElements(branch), run);
    // Consecutive expression conditions go to the host in one round trip (it stops where this loop would).
    const batch: number[] = [];
    for (let j = i; j < branches.length && branches[j]!.tagName === "when"; j++) {
      const index = g.expr.indexOf(branches[j]!, "condition");
      if (index === undefined) break;
      batch.push(index);
    }
    if (batch.length < 2) {
      if (await g.expr.condition(branch, "condition", run, false)) return execAll(g, childElements(branch), run);
      i++;
      continue;
    }
    const { at, holds } = await g.expr.firstCondition(batch, run);
    if (holds) return execAll(g, childElements(branches[i + at]!), run);
    i += at + 1;
  }
}


async function returnResponse(g: PolicyRuntime, el: Element, run: Run): Promise<void> {
  const fromVar = el.getAttribute("response-variable-name");
  const response: EmulatedResponse = { status: 200, reason: "OK", headers: {}, body: "" };
  if (fromVar) {
    const v = await g.expr.host.get(fromVar);
    if (v.kind !== "null") throw new Error("return-response response-variable-name with a stored response is not emulated");
  }
  run.response = response;
  for (const c of childElements(el)) {
    switch (c.tagName) {
      case "set-status":
        checkElement(g, c, run);
        await setStatus(g, c, run, response);
        break;
      case "set-header": {
        checkElement(g, c, run);
        const name = (await g.expr.requiredAttr(c, "name", run)).toLowerCase();
        await applyMultiValue(g, c, run, response.headers, name);
        break;
      }
      case "set-body":
        checkElement(g, c, run);
        if (c.hasAttribute("template")) throw new Error("set-body template is not emulated");
        response.body = (await g.expr.text(c, run)) ?? "";
        break;
      default:
        throw new Error(`<return-response> may contain set-status, set-header, set-body; found <${c.tagName}>`);
    }
  }
  throw new ReturnResponse();
}
