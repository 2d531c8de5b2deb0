import { el, renderPolicyXml, type PolicyElement } from "./xml";

export type PolicySection = "inbound" | "backend" | "outbound" | "on-error";
export const POLICY_SECTIONS: readonly PolicySection[] = ["inbound", "backend", "outbound", "on-error"];

/** One gateway control: the policy elements it adds to one section. A document is an ordered list of these. */
export interface PolicyFragment {
  /** Stable id, e.g. "refuseQueryString"; tests and the emulator find fragments by it. */
  readonly id: string;
  readonly section: PolicySection;
  /** Control numbers from the 34-control checklist (shared/reference/mcp-spec-and-gateway-controls.md §6). */
  readonly controls: readonly number[];
  readonly nodes: readonly PolicyElement[];
}

export interface RenderOptions {
  /**
   * Put `<base/>` first in a section (inherit the parent scope's policies there): `true`/`false` for every
   * section, or per section (absent = false). The global scope has no parent.
   */
  readonly base: boolean | Partial<Record<PolicySection, boolean>>;
}

/** Assemble `<policies>` with the four sections in APIM order, each fragment's nodes in list order. */
export function policyDocumentTree(fragments: readonly PolicyFragment[], opts: RenderOptions): PolicyElement {
  const ids = new Set<string>();
  for (const f of fragments) {
    if (ids.has(f.id)) throw new Error(`duplicate policy fragment id '${f.id}'`);
    ids.add(f.id);
  }
  return el(
    "policies",
    {},
    ...POLICY_SECTIONS.map((section) =>
      el(section, {}, ...((typeof opts.base === "boolean" ? opts.base : opts.base[section] ?? false) ? [el("base")] : []), ...fragments.filter((f) => f.section === section).flatMap((f) => f.nodes)),
    ),
  );
}

export function renderPolicyDocument(fragments: readonly PolicyFragment[], opts: RenderOptions): string {
  return renderPolicyXml(policyDocumentTree(fragments, opts));
}
