import type { PolicyResource } from "@pulumi/policy";
import { DOMParser, Element, Node } from "@xmldom/xmldom";
import { eqi, get, peek, Props, str } from "../util";

/**
 * Reading API Management policy documents (the `value` of ApiPolicy, ApiOperationPolicy, ProductPolicy,
 * Policy and PolicyFragment with format xml / rawxml), parsed with @xmldom/xmldom.
 */

export const POLICY_TYPES = {
  api: "azure-native:apimanagement:ApiPolicy",
  operation: "azure-native:apimanagement:ApiOperationPolicy",
  product: "azure-native:apimanagement:ProductPolicy",
  service: "azure-native:apimanagement:Policy",
  fragment: "azure-native:apimanagement:PolicyFragment",
} as const;

export const ALL_POLICY_TYPES: readonly string[] = Object.values(POLICY_TYPES);
export const API = "azure-native:apimanagement:Api";
export const OPERATION = "azure-native:apimanagement:ApiOperation";
export const BACKEND = "azure-native:apimanagement:Backend";
export const GENERIC_RESOURCE = "azure-native:resources:Resource";

export type ParsedPolicy =
  | { readonly kind: "xml"; readonly root: Element }
  | { readonly kind: "link"; readonly url: string }
  | { readonly kind: "invalid"; readonly reason: string };

/** Parses a policy resource's document. Links (xml-link / rawxml-link) cannot be inspected offline. */
export function parsePolicy(props: Props): ParsedPolicy {
  const value = str(get(props, "value"));
  const format = (str(get(props, "format")) ?? "xml").toLowerCase();
  if (value === undefined) return { kind: "invalid", reason: "the policy has no value" };
  if (format.endsWith("-link")) return { kind: "link", url: value };
  return parseXml(format === "rawxml" ? escapeExpressions(value) : value);
}

const XML_ESCAPES: Readonly<Record<string, string>> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" };

/**
 * A rawxml policy keeps its C# policy expressions (`@(...)`, `@{...}`) unescaped, e.g. `GetValueOrDefault<string>`
 * or quotes inside an attribute. Escapes the characters XML reserves inside each expression, finding its end by
 * bracket depth outside C# string and character literals, so the document parses as the gateway reads it.
 */
export function escapeExpressions(raw: string): string {
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const open = raw[i] === "@" ? raw[i + 1] : undefined;
    if (open !== "(" && open !== "{") {
      out += raw[i++];
      continue;
    }
    const close = open === "(" ? ")" : "}";
    let depth = 0;
    let quote: string | undefined;
    let j = i + 1;
    for (; j < raw.length; j++) {
      const ch = raw[j];
      if (quote !== undefined) {
        if (ch === "\\") j++;
        else if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === open) depth++;
      else if (ch === close && --depth === 0) break;
    }
    out += "@" + [...raw.slice(i + 1, j + 1)].map((ch) => XML_ESCAPES[ch] ?? ch).join("");
    i = j + 1;
  }
  return out;
}

/**
 * Parsed documents by their text. A check runs ~20 stack rules over every policy document (50 KB each per
 * server); parsing each distinct text once per process instead of once per rule was most of a check's time.
 * The parsed trees are shared, so rules only read them (nothing in the pack mutates a DOM). Bounded, so a
 * long-lived process that checks many stacks does not keep every document it ever saw.
 */
const parsedByText = new Map<string, ParsedPolicy>();
const PARSED_LIMIT = 512;

export function parseXml(xml: string): ParsedPolicy {
  const cached = parsedByText.get(xml);
  if (cached) return cached;
  const parsed = parseXmlUncached(xml);
  if (parsedByText.size >= PARSED_LIMIT) parsedByText.delete(parsedByText.keys().next().value as string);
  parsedByText.set(xml, parsed);
  return parsed;
}

function parseXmlUncached(xml: string): ParsedPolicy {
  try {
    // Non-fatal errors (e.g. a raw `<` inside a rawxml policy expression) still yield a usable tree.
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, "text/xml");
    const root = doc.documentElement;
    if (!root) return { kind: "invalid", reason: "the policy document has no root element" };
    return { kind: "xml", root };
  } catch (error) {
    return { kind: "invalid", reason: `the policy document is not well-formed XML (${(error as Error).message})` };
  }
}

/** Element children of a node. */
export function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const child = node.childNodes[i];
    if (child.nodeType === child.ELEMENT_NODE) out.push(child as Element);
  }
  return out;
}

/** Each shared tree's descendant lists, computed once (rules ask for the same sections again and again). */
const descendantsOf = new WeakMap<Node, readonly Element[]>();

/** All descendant elements (document order); a fresh array the caller may change. */
export function descendants(node: Node): Element[] {
  let found = descendantsOf.get(node);
  if (found === undefined) {
    const out: Element[] = [];
    const walk = (n: Node) => {
      for (const e of childElements(n)) {
        out.push(e);
        walk(e);
      }
    };
    walk(node);
    found = out;
    descendantsOf.set(node, found);
  }
  return [...found];
}

/** The `<inbound>` / `<backend>` / `<outbound>` / `<on-error>` section of a `<policies>` document. */
export function section(root: Element, name: string): Element | undefined {
  return childElements(root).find((e) => e.tagName === name);
}

/** Elements of a section, including those nested in `<choose>` branches. */
export function sectionElements(root: Element, name: string): Element[] {
  const s = section(root, name);
  return s ? descendants(s) : [];
}

export function attr(e: Element, name: string): string {
  return e.getAttribute(name) ?? "";
}

/** Text content of an element (all descendant text and CDATA). */
export function text(node: Node): string {
  return node.textContent ?? "";
}


/** Text directly inside an element (not its children's). */
export function childTexts(e: Element): string {
  let out = "";
  for (let i = 0; i < e.childNodes.length; i++) {
    const c = e.childNodes[i];
    if (c.nodeType === c.TEXT_NODE || c.nodeType === c.CDATA_SECTION_NODE) out += c.nodeValue ?? "";
  }
  return out;
}

/** A generic ARM resource (`resources.Resource`) that is an API Management policy fragment. */
export function isGenericPolicyFragment(props: Props): boolean {
  return eqi(str(peek(props, "resourceProviderNamespace")), "Microsoft.ApiManagement") && eqi(str(peek(props, "resourceType")), "policyFragments");
}

/** The policy properties of a policy resource, or of a generic resource that is a policy fragment. */
export function policyProps(resource: { type: string; props: Props }): Props | undefined {
  if (ALL_POLICY_TYPES.includes(resource.type)) return resource.props;
  if (resource.type === GENERIC_RESOURCE && isGenericPolicyFragment(resource.props)) return (peek(resource.props, "properties") ?? {}) as Props;
  return undefined;
}

/** Every readable policy document of a stack (fragments declared either way included), with its resource. */
export function policyDocuments(resources: readonly PolicyResource[]): { resource: PolicyResource; root: Element }[] {
  return resources.flatMap((resource) => {
    const props = policyProps(resource);
    const parsed = props === undefined ? undefined : parsePolicy(props);
    return parsed?.kind === "xml" ? [{ resource, root: parsed.root }] : [];
  });
}
