import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import type { Element } from "@xmldom/xmldom";
import { finding } from "../types";
import { eqi, knownEquals, ofTypes, peek, Props, refersTo, str } from "../util";
import {
  API,
  attr,
  childElements,
  descendants,
  GENERIC_RESOURCE,
  isGenericPolicyFragment,
  OPERATION,
  ParsedPolicy,
  parsePolicy,
  POLICY_TYPES,
  section,
} from "./document";

/**
 * Which APIs are MCP servers, and which policy elements apply to them.
 *
 * Which APIs are MCP servers: an `apimanagement:Api` whose `path`, or one of whose operations' `urlTemplate`,
 * has an `mcp` segment (e.g. `mcp/weather`, or `docs-search` with an operation at `/mcp`), whose `apiType` is
 * `mcp`, or whose apiId / logical name is listed in the rule's `mcpApiIds` config. The pattern is configurable
 * (`mcpPathPattern`, a case-insensitive regex). APIs under `.well-known/` are metadata, never MCP servers.
 *
 * Which policy applies to an API: its ApiPolicy (linked through the `apiId` property dependency, the id, or the
 * same literal apiId), plus the service-wide Policy where the API policy keeps `<base />`, plus fragments it
 * includes. Only unconditional elements count (top level of the section, not inside `<choose>`). Product
 * policies are not counted: an API can be reached through any product (or none), so controls that protect
 * the MCP server belong at the API (or service) scope.
 */

export interface McpConfig {
  mcpPathPattern?: string;
  mcpApiIds?: string[];
}

export const MCP_CONFIG_SCHEMA = {
  properties: {
    mcpPathPattern: {
      type: "string",
      default: "(^|/)mcp(/|$)",
      description: "Case-insensitive regex on an Api's path that marks it as an MCP server.",
    },
    mcpApiIds: { type: "array", items: { type: "string" }, description: "Api ids or logical names that are MCP servers." },
  },
} as const;

/** Operations of an API (linked like policies: dependency, id, or the same literal apiId). */
function operationsOf(api: PolicyResource, resources: readonly PolicyResource[]): PolicyResource[] {
  return ofTypes(resources, [OPERATION]).filter((o) => belongsTo(o, api));
}

/**
 * Whether an Api is an MCP server: its path, or the URL template of one of its operations (the kit serves
 * `<server>/mcp`), has an `mcp` segment; or its apiType is `mcp`; or it is listed in `mcpApiIds`. APIs under
 * `.well-known/` (protected resource metadata) are anonymous by design and never count.
 */
export function isMcpApi(api: PolicyResource, resources: readonly PolicyResource[], config: McpConfig): boolean {
  const pattern = new RegExp(config.mcpPathPattern ?? "(^|/)mcp(/|$)", "i");
  const path = str(api.props["path"]) ?? "";
  if (/^\/?\.well-known\//i.test(path)) return false;
  if (pattern.test(path) || eqi(api.props["apiType"], "mcp")) return true;
  const ids = (config.mcpApiIds ?? []).map((i) => i.toLowerCase());
  if (ids.length > 0 && (ids.includes(api.name.toLowerCase()) || ids.includes((str(api.props["apiId"]) ?? "").toLowerCase()))) return true;
  return operationsOf(api, resources).some((o) => pattern.test(str(o.props["urlTemplate"]) ?? ""));
}

/** The MCP APIs of a stack. */
export function mcpApis(resources: readonly PolicyResource[], config: McpConfig): PolicyResource[] {
  return ofTypes(resources, [API]).filter((a) => isMcpApi(a, resources, config));
}

/** Whether a policy (or operation) resource belongs to an API: dependency, id, or the same literal apiId. */
function belongsTo(resource: PolicyResource, api: PolicyResource): boolean {
  return refersTo(resource, "apiId", api) || knownEquals(resource.props, "apiId", str(peek(api.props, "apiId")));
}

interface Effective {
  /** The API's own policy document, if any. */
  readonly apiPolicy?: PolicyResource;
  readonly parsed?: ParsedPolicy;
  /**
   * The elements that run unconditionally in a section: the API policy's top-level elements, with `<base />`
   * replaced by the service policy's and `<include-fragment>` by the fragment's top-level elements. Elements
   * inside `<choose>` run only on some requests, so they never count as a control.
   */
  readonly elements: (sectionName: string) => Element[];
}

/**
 * Policy fragments, whether declared with `apimanagement.PolicyFragment` or (because that class's `id` input
 * is dropped by the Pulumi SDKs) with the generic `resources.Resource` of type
 * `Microsoft.ApiManagement/service/policyFragments`, whose document sits under `properties`.
 */
function policyFragments(resources: readonly PolicyResource[]): { id: string; props: Props }[] {
  const typed = ofTypes(resources, [POLICY_TYPES.fragment]).map((f) => ({
    id: (str(peek(f.props, "id")) ?? f.name).split("/").pop() ?? f.name,
    props: f.props,
  }));
  const generic = ofTypes(resources, [GENERIC_RESOURCE])
    .filter((r) => isGenericPolicyFragment(r.props))
    .map((r) => ({ id: str(peek(r.props, "resourceName")) ?? r.name, props: (peek(r.props, "properties") ?? {}) as Props }));
  return [...typed, ...generic];
}

/** Fragment id (its name; the last segment when the snapshot holds the ARM id) -> the fragment's root. */
export function fragments(resources: readonly PolicyResource[]): Map<string, Element> {
  const out = new Map<string, Element>();
  for (const f of policyFragments(resources)) {
    const parsed = parsePolicy(f.props);
    if (parsed.kind === "xml") out.set(f.id.toLowerCase(), parsed.root);
  }
  return out;
}

function expand(elements: readonly Element[], base: readonly Element[], byId: ReadonlyMap<string, Element>, depth = 0): Element[] {
  return elements.flatMap((e) => {
    if (e.tagName === "base") return depth === 0 ? [e, ...base] : [e];
    const fragment = e.tagName === "include-fragment" ? byId.get(attr(e, "fragment-id").toLowerCase()) : undefined;
    if (fragment === undefined || depth > 8) return [e];
    return [e, ...expand(childElements(fragment), [], byId, depth + 1)];
  });
}

function effectivePolicy(api: PolicyResource, resources: readonly PolicyResource[]): Effective {
  const apiPolicy = ofTypes(resources, [POLICY_TYPES.api]).find((p) => belongsTo(p, api));
  const parsed = apiPolicy ? parsePolicy(apiPolicy.props) : undefined;
  const servicePolicies = ofTypes(resources, [POLICY_TYPES.service])
    .map((p) => parsePolicy(p.props))
    .flatMap((p) => (p.kind === "xml" ? [p.root] : []));
  const byId = fragments(resources);
  const topLevel = (root: Element, name: string) => {
    const s = section(root, name);
    return s ? childElements(s) : [];
  };
  return {
    apiPolicy,
    parsed,
    elements: (name) => {
      if (parsed?.kind !== "xml") return [];
      const base = servicePolicies.flatMap((root) => expand(topLevel(root, name), [], byId));
      return expand(topLevel(parsed.root, name), base, byId);
    },
  };
}

/**
 * Runs `check` on every MCP API's effective inbound policy. A missing, linked or unparsable API policy is
 * itself a finding (the control cannot be shown to be present).
 */
export function forEachMcpApi(
  resources: readonly PolicyResource[],
  config: McpConfig,
  report: ReportViolation,
  check: (inbound: Element[], root: Element) => string | undefined,
) {
  for (const api of mcpApis(resources, config)) {
    const effective = effectivePolicy(api, resources);
    const urn = effective.apiPolicy?.urn ?? api.urn;
    const parsed = effective.parsed;
    if (parsed === undefined) {
      report(finding(api.name, "The MCP API has no API-scope policy (apimanagement:ApiPolicy)."), api.urn);
    } else if (parsed.kind === "link") {
      report(finding(api.name, `The MCP API's policy is loaded from ${parsed.url} and cannot be verified; inline it.`), urn);
    } else if (parsed.kind === "invalid") {
      report(finding(api.name, `The MCP API's policy cannot be read: ${parsed.reason}.`), urn);
    } else {
      const problem = check(effective.elements("inbound"), parsed.root);
      if (problem !== undefined) report(finding(api.name, problem), urn);
    }
  }
}


/** Roots of the fragments a policy includes anywhere (not only unconditionally), transitively. */
export function includedFragments(root: Element, byId: ReadonlyMap<string, Element>): Element[] {
  const out: Element[] = [];
  const visit = (node: Element, depth: number): void => {
    for (const e of descendants(node)) {
      const fragment = e.tagName === "include-fragment" ? byId.get(attr(e, "fragment-id").toLowerCase()) : undefined;
      if (fragment === undefined || out.includes(fragment) || depth > 8) continue;
      out.push(fragment);
      visit(fragment, depth + 1);
    }
  };
  visit(root, 0);
  return out;
}

/** Context variables a policy expression reads (`context.Variables["x"]`, `GetValueOrDefault<T>("x", ...)`). */
export function variablesRead(expression: string): string[] {
  return [...expression.matchAll(/Variables(?:\.GetValueOrDefault(?:<[^>]*>)?\(|\[)\s*"([^"]+)"/g)].map((m) => m[1]!);
}

