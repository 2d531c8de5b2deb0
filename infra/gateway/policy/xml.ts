import { create } from "xmlbuilder2";

/**
 * A small typed element tree for APIM policy XML. Builders return trees; only `renderPolicyXml` turns them into
 * text, through xmlbuilder2, so every attribute and text value is escaped by the XML writer and never concatenated.
 */
export type AttrValue = string | number | boolean;

export interface PolicyElement {
  readonly name: string;
  /** Attribute order is the insertion order of this object, so output is deterministic. */
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly children: readonly PolicyNode[];
}

export interface PolicyText {
  readonly text: string;
}

export type PolicyNode = PolicyElement | PolicyText;

export function isElement(node: PolicyNode): node is PolicyElement {
  return (node as PolicyElement).name !== undefined;
}

/** `el("set-header", { name: "X", "exists-action": "override" }, el("value", {}, "v"))`; strings become text nodes. */
export function el(name: string, attrs: Readonly<Record<string, AttrValue | undefined>> = {}, ...children: (PolicyNode | string)[]): PolicyElement {
  const clean: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
  return { name, attrs: clean, children: children.map((c) => (typeof c === "string" ? { text: c } : c)) };
}

/** Serialize one element tree (no XML declaration; APIM policy documents are bare `<policies>` elements). */
export function renderPolicyXml(root: PolicyElement): string {
  const doc = create();
  const write = (parent: ReturnType<typeof create>, node: PolicyElement): void => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(node.attrs)) attrs[k] = String(v);
    const child = parent.ele(node.name, attrs);
    for (const c of node.children) {
      if (isElement(c)) write(child, c);
      else child.txt(c.text);
    }
  };
  write(doc, root);
  return doc.end({ headless: true, prettyPrint: true, indent: "  " }) + "\n";
}
