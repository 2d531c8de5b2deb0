/**
 * Parsing of APIM policy documents for the test harness: strict XML, named-value substitution and
 * XPath-like locations. Test support only.
 */
import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;

/** Parses a policy document; any XML error throws (a document the gateway would refuse). */
export function parsePolicyXml(xml: string, documentName = "policy"): Document {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`${documentName}: policy XML is not well-formed: ${message}`);
    },
  }).parseFromString(xml, "text/xml");
  const root = doc.documentElement;
  if (!root) throw new Error(`${documentName}: empty policy document`);
  return doc;
}

export function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT_NODE) out.push(c as Element);
  return out;
}

/** Concatenated text and CDATA children (the "text value" of a policy element). */
export function textOf(el: Element): string {
  let s = "";
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_SECTION_NODE) s += c.nodeValue ?? "";
  }
  return s;
}

/** `/policies[1]/inbound[1]/choose[1]/when[2]`: position among same-named siblings, as XPath counts. */
export function xpathOf(el: Element): string {
  const parts: string[] = [];
  for (let n: Node | null = el; n && n.nodeType === ELEMENT_NODE; n = n.parentNode) {
    const e = n as Element;
    let index = 1;
    for (let s = e.previousSibling; s; s = s.previousSibling) {
      if (s.nodeType === ELEMENT_NODE && (s as Element).tagName === e.tagName) index++;
    }
    parts.unshift(`${e.tagName}[${index}]`);
  }
  return "/" + parts.join("/");
}

const NAMED_VALUE = /\{\{([A-Za-z0-9._-]+)\}\}/g;

/** Names of every `{{named-value}}` reference in a text. */
export function namedValueReferences(text: string): string[] {
  return [...new Set([...text.matchAll(NAMED_VALUE)].map((m) => m[1]!))];
}

/**
 * Substitutes `{{name}}` references in every attribute value and text node, as the gateway does before it
 * evaluates expressions (so a named value can sit inside an expression's string literal). Values are
 * substituted into the parsed values, so they need no XML escaping. An unknown name throws, listing all.
 */
export function substituteNamedValues(doc: Document, values: Readonly<Record<string, string>>, documentName = "policy"): void {
  const missing = new Set<string>();
  const sub = (text: string): string =>
    text.replace(NAMED_VALUE, (whole, name: string) => {
      if (Object.prototype.hasOwnProperty.call(values, name)) return values[name]!;
      missing.add(name);
      return whole;
    });
  const visit = (node: Node): void => {
    if (node.nodeType === ELEMENT_NODE) {
      const el = node as Element;
      for (let i = 0; i < el.attributes.length; i++) {
        const a = el.attributes.item(i)!;
        if (NAMED_VALUE.test(a.value)) a.value = sub(a.value);
        NAMED_VALUE.lastIndex = 0;
      }
    } else if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
      const v = node.nodeValue ?? "";
      if (v.includes("{{")) {
        const nv = sub(v);
        node.nodeValue = nv;
        (node as unknown as { data: string }).data = nv;
      }
    }
    for (let c = node.firstChild; c; c = c.nextSibling) visit(c);
  };
  visit(doc);
  if (missing.size > 0) {
    throw new Error(`${documentName}: named values referenced but not provided: ${[...missing].sort().join(", ")}`);
  }
}
