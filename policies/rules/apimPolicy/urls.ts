import type { PolicyResource } from "@pulumi/policy";
import type { Element } from "@xmldom/xmldom";
import { finding } from "../types";
import { get, ofTypes, stackRule, str } from "../util";
import { attr, BACKEND, descendants, policyDocuments, text } from "./document";
import { leadingReference, namedValue } from "./namedValues";

/**
 * Every URL a policy document can send traffic to: `set-backend-service base-url`, `send-request` and
 * `send-one-way-request` `<set-url>`, and the backends `set-backend-service backend-id` (and so the following
 * `forward-request`) routes to. Each must be https, directly, through a named value whose value is https, or
 * through a Backend whose url is https. A policy expression is judged by the URL literals it contains; a named
 * value or backend the stack does not declare (or a Key Vault secret, unreadable here) cannot be judged and
 * is not reported.
 */

/** Why a URL text is not https, or `undefined` when it is (or cannot be judged). */
export function insecureUrl(raw: string, resources: readonly PolicyResource[]): string | undefined {
  const value = raw.trim();
  if (value === "") return undefined;
  if (value.startsWith("@")) {
    const plain = [...value.matchAll(/"(http:\/\/[^"]*)"/gi)].map((m) => m[1]!);
    return plain.length > 0 ? `the expression builds a plain http URL (${plain[0]})` : undefined;
  }
  const reference = leadingReference(value);
  if (reference !== undefined) {
    const nv = namedValue(resources, reference);
    const resolved = nv === undefined ? undefined : str(get(nv.props, "value"));
    return resolved !== undefined && !/^https:\/\//i.test(resolved.trim()) && !resolved.trim().startsWith("{{")
      ? `named value {{${reference}}} holds ${JSON.stringify(resolved)}`
      : undefined;
  }
  return /^https:\/\//i.test(value) ? undefined : `${JSON.stringify(value)} is not https`;
}

/** The URL targets of one document: [element description, URL text]. */
function targets(root: Element): [string, string][] {
  const out: [string, string][] = [];
  for (const e of descendants(root)) {
    if (e.tagName === "set-backend-service" && attr(e, "base-url") !== "") out.push(["set-backend-service base-url", attr(e, "base-url")]);
    if (e.tagName === "send-request" || e.tagName === "send-one-way-request") {
      for (const u of descendants(e).filter((c) => c.tagName === "set-url")) out.push([`${e.tagName} set-url`, text(u)]);
    }
  }
  return out;
}

/** Backends a document routes to by id that the stack declares with a plain-http url. */
function insecureBackends(root: Element, resources: readonly PolicyResource[]): string[] {
  const ids = descendants(root)
    .filter((e) => e.tagName === "set-backend-service" && attr(e, "backend-id") !== "")
    .map((e) => attr(e, "backend-id").toLowerCase());
  return ofTypes(resources, [BACKEND])
    .filter((b) => [str(b.props["backendId"]), b.name].some((i) => i !== undefined && ids.includes(i.toLowerCase())))
    .filter((b) => {
      const url = str(get(b.props, "url"));
      return url !== undefined && insecureUrl(url, resources) !== undefined;
    })
    .map((b) => str(b.props["backendId"]) ?? b.name);
}

export const apimPolicyHttpsTargets = stackRule({
  name: "azure-apim-policy-https-targets",
  description:
    "Every URL an API Management policy sends traffic to (set-backend-service base-url or backend-id, send-request and send-one-way-request set-url) must be https, directly or through the named value or backend it names.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["transport-security", "token-passthrough"],
  remediation:
    "Use https:// URLs in the policy, in the named values it references and in the backends it routes to (https://learn.microsoft.com/azure/api-management/set-backend-service-policy, https://learn.microsoft.com/azure/api-management/send-request-policy).",
  validate: (args, report) => {
    for (const { resource, root } of policyDocuments(args.resources)) {
      for (const [where, url] of targets(root)) {
        const problem = insecureUrl(url, args.resources);
        if (problem !== undefined) report(finding(where.replace(/ /g, ":"), `${where}: ${problem}; it must be https.`), resource.urn);
      }
      for (const id of insecureBackends(root, args.resources)) {
        report(finding(`backend:${id}`, `set-backend-service routes to backend ${id}, whose url is not https.`), resource.urn);
      }
    }
  },
});
