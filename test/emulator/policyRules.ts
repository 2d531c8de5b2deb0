// Where each policy element may appear and which attributes it may carry, as the policy reference documents.
import type { Element } from "@xmldom/xmldom";
import { xpathOf } from "../support/apim/xml";
import type { Run, Section } from "./messages";
import type { PolicyRuntime } from "./runtime";

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

/** Fails the run on an element out of its documented sections, with an undocumented attribute, or with an expression where none is allowed. */
export function checkElement(g: PolicyRuntime, el: Element, run: Run): void {
  const sections = ALLOWED_SECTIONS[el.tagName];
  if (sections && !sections.includes(run.section)) {
    throw new Error(`<${el.tagName}> is not allowed in the ${run.section} section (documented: ${sections.join(", ")}) at ${xpathOf(el)}`);
  }
  const known = KNOWN_ATTRIBUTES[el.tagName];
  if (!known) throw new Error(`the emulator does not implement <${el.tagName}> (at ${xpathOf(el)}); add it with its documented semantics`);
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i)!.name;
    if (!known.includes(a)) throw new Error(`<${el.tagName}> has an attribute the policy reference does not document: ${a} (at ${xpathOf(el)})`);
    if (NO_EXPRESSIONS[el.tagName]?.includes(a) && g.expr.indexOf(el, a) !== undefined) {
      throw new Error(`<${el.tagName} ${a}> does not allow policy expressions (at ${xpathOf(el)})`);
    }
  }
}
