import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import { DOMParser, Element, Node } from "@xmldom/xmldom";
import { finding, Rule } from "./types";
import { collectStrings, eqi, get, knownEquals, ofTypes, peek, Props, refersTo, resourceRule, secretPatternIn, stackRule, str } from "./util";

/**
 * Rules that read API Management policy documents (the `value` of ApiPolicy, ApiOperationPolicy,
 * ProductPolicy, Policy and PolicyFragment with format xml / rawxml), parsed with @xmldom/xmldom.
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

export const POLICY_TYPES = {
  api: "azure-native:apimanagement:ApiPolicy",
  operation: "azure-native:apimanagement:ApiOperationPolicy",
  product: "azure-native:apimanagement:ProductPolicy",
  service: "azure-native:apimanagement:Policy",
  fragment: "azure-native:apimanagement:PolicyFragment",
} as const;

const ALL_POLICY_TYPES: readonly string[] = Object.values(POLICY_TYPES);
const API = "azure-native:apimanagement:Api";
const OPERATION = "azure-native:apimanagement:ApiOperation";
const BACKEND = "azure-native:apimanagement:Backend";
const GENERIC_RESOURCE = "azure-native:resources:Resource";

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

export function parseXml(xml: string): ParsedPolicy {
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

/** All descendant elements (document order). */
export function descendants(node: Node): Element[] {
  return childElements(node).flatMap((e) => [e, ...descendants(e)]);
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

function attr(e: Element, name: string): string {
  return e.getAttribute(name) ?? "";
}

/** Text content of an element (all descendant text and CDATA). */
function text(node: Node): string {
  return node.textContent ?? "";
}

// ---- MCP API discovery -------------------------------------------------------------------------------------

interface McpConfig {
  mcpPathPattern?: string;
  mcpApiIds?: string[];
}

const MCP_CONFIG_SCHEMA = {
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

/** A generic ARM resource (`resources.Resource`) that is an API Management policy fragment. */
function isGenericPolicyFragment(props: Props): boolean {
  return eqi(str(peek(props, "resourceProviderNamespace")), "Microsoft.ApiManagement") && eqi(str(peek(props, "resourceType")), "policyFragments");
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
function fragments(resources: readonly PolicyResource[]): Map<string, Element> {
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
function forEachMcpApi(
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

// ---- Token validation --------------------------------------------------------------------------------------

const MULTI_TENANT = ["common", "organizations", "consumers"];

function audiences(e: Element): string[] {
  return descendants(e)
    .filter((c) => c.tagName === "audience")
    .map((c) => text(c).trim())
    .filter((a) => a !== "");
}

/** Why a validate-azure-ad-token / validate-jwt element does not bind tokens to one tenant and audience. */
export function tokenValidationProblem(e: Element): string | undefined {
  if (e.tagName === "validate-azure-ad-token") {
    const tenant = attr(e, "tenant-id").trim();
    if (tenant === "") return "validate-azure-ad-token has no tenant-id.";
    if (MULTI_TENANT.includes(tenant.toLowerCase())) return `validate-azure-ad-token accepts any tenant (tenant-id="${tenant}").`;
    if (audiences(e).length === 0) return "validate-azure-ad-token does not restrict <audiences> to this MCP server.";
    return undefined;
  }
  for (const flag of ["require-expiration-time", "require-signed-tokens"]) {
    if (eqi(attr(e, flag), "false")) return `validate-jwt sets ${flag}="false".`;
  }
  const configs = descendants(e).filter((c) => c.tagName === "openid-config");
  const urls = configs.map((c) => attr(c, "url"));
  if (urls.length === 0) return "validate-jwt has no <openid-config> of the tenant's issuer.";
  const multi = urls.find((u) => MULTI_TENANT.some((t) => new RegExp(`/${t}/`, "i").test(u)));
  if (multi !== undefined) return `validate-jwt trusts a multi-tenant issuer (${multi}).`;
  if (audiences(e).length === 0) return "validate-jwt does not restrict <audiences> to this MCP server.";
  return undefined;
}

export const apimMcpTokenValidation = stackRule({
  name: "azure-apim-mcp-token-validation",
  description:
    "Every MCP API must validate Entra ID tokens in its inbound policy: validate-azure-ad-token with a specific tenant-id, or validate-jwt with a tenant-specific openid-config, and in both cases an audience.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["token-passthrough", "confused-deputy", "session-hijacking"],
  remediation:
    'Add <validate-azure-ad-token tenant-id="<tenant guid>"><audiences><audience>api://<server app></audience></audiences></validate-azure-ad-token> to the API policy\'s inbound section.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) =>
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (inbound) => {
      const validators = inbound.filter((e) => e.tagName === "validate-azure-ad-token" || e.tagName === "validate-jwt");
      if (validators.length === 0) return "The inbound policy validates no token (validate-azure-ad-token or validate-jwt).";
      const problems = validators.map(tokenValidationProblem);
      return problems.some((p) => p === undefined) ? undefined : problems.join(" ");
    }),
});

export const apimMcpStripAuthorization = stackRule({
  name: "azure-apim-mcp-strip-authorization",
  description:
    "Every MCP API must delete the client's Authorization header before forwarding, so the caller's token never reaches the MCP server (no token passthrough).",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["token-passthrough", "confused-deputy"],
  remediation: 'Add <set-header name="Authorization" exists-action="delete" /> to the inbound section after token validation.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) =>
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (inbound) => {
      const strips = inbound.some(
        (e) => e.tagName === "set-header" && eqi(attr(e, "name"), "Authorization") && eqi(attr(e, "exists-action"), "delete"),
      );
      return strips ? undefined : 'The inbound policy does not delete the Authorization header (set-header exists-action="delete").';
    }),
});

export const apimMcpRateLimit = stackRule({
  name: "azure-apim-mcp-rate-limit",
  description: "Every MCP API must be rate limited in its inbound policy (rate-limit-by-key, ideally per caller, or rate-limit).",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["prompt-injection", "excessive-permissions"],
  remediation:
    'Add <rate-limit-by-key calls="..." renewal-period="60" counter-key="@(context.Request.Headers.GetValueOrDefault(&quot;Authorization&quot;,&quot;&quot;).AsJwt()?.Subject)" /> to the inbound section.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) =>
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (inbound) =>
      inbound.some((e) => e.tagName === "rate-limit-by-key" || e.tagName === "rate-limit")
        ? undefined
        : "The inbound policy has no rate limit (rate-limit-by-key or rate-limit).",
    ),
});

// ---- Protected resource metadata ---------------------------------------------------------------------------

export const apimMcpWwwAuthenticate = stackRule({
  name: "azure-apim-mcp-www-authenticate",
  description:
    "Every MCP API must answer 401 with a WWW-Authenticate header naming its protected resource metadata (resource_metadata=...), as the MCP authorization spec requires for discovery.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["confused-deputy", "token-passthrough"],
  remediation:
    'On token failures (e.g. on-error when context.LastError.Source is "validate-jwt"), return 401 with <set-header name="WWW-Authenticate"><value>Bearer resource_metadata="https://<gateway>/.well-known/oauth-protected-resource/<server>"</value></set-header>.',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) => {
    const byId = fragments(args.resources);
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (_inbound, root) => {
      // The challenge may be set by a fragment the policy includes (anywhere, e.g. a shared refusal), from a
      // context variable the policy sets.
      const scope = [root, ...includedFragments(root, byId)].flatMap(descendants);
      const setsChallenge = (variable: string) =>
        scope.some((e) => e.tagName === "set-variable" && attr(e, "name") === variable && attr(e, "value").includes("resource_metadata="));
      return scope.some(
        (e) =>
          e.tagName === "set-header" &&
          eqi(attr(e, "name"), "WWW-Authenticate") &&
          childElements(e).some((v) => v.tagName === "value" && (text(v).includes("resource_metadata=") || variablesRead(text(v)).some(setsChallenge))),
      )
        ? undefined
        : "No response carries WWW-Authenticate with resource_metadata; clients cannot discover how to authenticate.";
    });
  },
});

/** Roots of the fragments a policy includes anywhere (not only unconditionally), transitively. */
function includedFragments(root: Element, byId: ReadonlyMap<string, Element>): Element[] {
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
function variablesRead(expression: string): string[] {
  return [...expression.matchAll(/Variables(?:\.GetValueOrDefault(?:<[^>]*>)?\(|\[)\s*"([^"]+)"/g)].map((m) => m[1]!);
}

export const PRM_PATH = "/.well-known/oauth-protected-resource";

/** A policy that answers with a protected resource metadata document (RFC 9728) itself. */
function servesPrmDocument(root: Element): boolean {
  return descendants(root).some(
    (e) => e.tagName === "return-response" && descendants(e).some((b) => b.tagName === "set-body" && text(b).includes("authorization_servers")),
  );
}

export const apimMcpProtectedResourceMetadata = stackRule({
  name: "azure-apim-mcp-protected-resource-metadata",
  description:
    "A stack with MCP APIs must serve the OAuth protected resource metadata document (/.well-known/oauth-protected-resource), which MCP clients use to discover the authorization server.",
  enforcementLevel: "mandatory",
  severity: "medium",
  risks: ["token-passthrough", "confused-deputy"],
  remediation: `Add an API or operation at ${PRM_PATH} whose policy returns the metadata JSON (resource, authorization_servers, scopes_supported).`,
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) => {
    const config = args.getConfig<McpConfig>();
    const mcp = mcpApis(args.resources, config);
    if (mcp.length === 0) return;
    const routes = [
      ...ofTypes(args.resources, [API]).map((a) => `/${str(a.props["path"]) ?? ""}`),
      ...ofTypes(args.resources, [OPERATION]).map((o) => str(o.props["urlTemplate"]) ?? ""),
    ];
    const routed = routes.some((r) => r.toLowerCase().includes(PRM_PATH.slice(1)));
    const served = ofTypes(args.resources, ALL_POLICY_TYPES).some((p) => {
      const parsed = parsePolicy(p.props);
      return parsed.kind === "xml" && servesPrmDocument(parsed.root);
    });
    if (routed || served) return;
    for (const api of mcp) {
      report(finding(api.name, `Nothing serves ${PRM_PATH} for this MCP API; clients cannot discover its authorization server.`), api.urn);
    }
  },
});

// ---- Backend authentication --------------------------------------------------------------------------------

function hasCredentials(props: Props): boolean {
  const credentials = get(props, "credentials");
  return collectStrings(credentials).some((s) => s.trim() !== "");
}

export const apimBackendAuthenticated = stackRule({
  name: "azure-apim-backend-authenticated",
  description:
    "API Management must authenticate to every backend: with backend credentials, or with a managed-identity token (authentication-managed-identity) in a policy that routes to that backend.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["confused-deputy", "token-passthrough"],
  remediation:
    'Route with <set-backend-service backend-id="<id>" /> and add <authentication-managed-identity resource="api://<server app>" /> in the same policy (or set credentials on the Backend).',
  azurePolicy: [
    { name: "API Management calls to API backends should be authenticated", id: "c15dcc82-b93c-4dcb-9332-fbf121685b54" },
  ],
  validate: (args, report) => {
    const documents = ofTypes(args.resources, ALL_POLICY_TYPES)
      .map((p) => parsePolicy(p.props))
      .flatMap((p) => (p.kind === "xml" ? [descendants(p.root)] : []));
    for (const backend of ofTypes(args.resources, [BACKEND])) {
      if (hasCredentials(backend.props)) continue;
      const ids = [str(backend.props["backendId"]), backend.name].filter((i): i is string => i !== undefined).map((i) => i.toLowerCase());
      const withIdentity = documents.some(
        (elements) =>
          elements.some((e) => e.tagName === "set-backend-service" && ids.includes(attr(e, "backend-id").toLowerCase())) &&
          elements.some((e) => e.tagName === "authentication-managed-identity" && attr(e, "resource").trim() !== ""),
      );
      if (!withIdentity) {
        report(
          "The backend has no credentials and no policy routes to it with authentication-managed-identity; calls to it are unauthenticated.",
          backend.urn,
        );
      }
    }
  },
});

export const apimMcpBackendIdentity = stackRule({
  name: "azure-apim-mcp-backend-managed-identity",
  description:
    "Every MCP API must call its MCP server with the gateway's own credentials: an authentication-managed-identity token for the server's audience, or a routed Backend that carries credentials; never with the caller's token.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["token-passthrough", "confused-deputy"],
  remediation: 'Add <authentication-managed-identity resource="api://<server app>" /> to the API policy\'s inbound section (after deleting the caller\'s Authorization header).',
  configSchema: MCP_CONFIG_SCHEMA,
  validate: (args, report) => {
    const credentialed = ofTypes(args.resources, [BACKEND])
      .filter((b) => hasCredentials(b.props))
      .flatMap((b) => [str(b.props["backendId"]), b.name])
      .filter((i): i is string => i !== undefined)
      .map((i) => i.toLowerCase());
    forEachMcpApi(args.resources, args.getConfig<McpConfig>(), report, (_inbound, root) => {
      const elements = descendants(root);
      const identity = elements.some((e) => e.tagName === "authentication-managed-identity" && attr(e, "resource").trim() !== "");
      const routed = elements.some((e) => e.tagName === "set-backend-service" && credentialed.includes(attr(e, "backend-id").toLowerCase()));
      return identity || routed ? undefined : "The policy neither acquires a managed-identity token for the MCP server nor routes to a credentialed backend.";
    });
  },
});

// ---- No inline secrets -------------------------------------------------------------------------------------

/** Headers and query parameters whose literal values are credentials. */
const CREDENTIAL_NAMES = ["authorization", "ocp-apim-subscription-key", "api-key", "x-api-key", "x-functions-key", "subscription-key", "code", "sig"];

/** A named-value reference `{{name}}` or a policy expression `@(...)` / `@{...}` is not a literal. */
function isLiteral(value: string): boolean {
  const v = value.trim();
  return v !== "" && !/^\{\{[^}]+\}\}$/.test(v) && !v.startsWith("@");
}

/** Secrets written into a policy document, as `qualifier: description` findings. */
export function inlineSecrets(root: Element): { qualifier: string; message: string }[] {
  const found: { qualifier: string; message: string }[] = [];
  for (const e of [root, ...descendants(root)]) {
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes[i];
      const pattern = secretPatternIn(a.value);
      if (pattern) found.push({ qualifier: pattern, message: `<${e.tagName} ${a.name}="..."> holds a literal ${pattern}.` });
    }
    const own = childTexts(e);
    const pattern = own === "" ? undefined : secretPatternIn(own);
    if (pattern) found.push({ qualifier: pattern, message: `<${e.tagName}> holds a literal ${pattern}.` });
    if ((e.tagName === "set-header" || e.tagName === "set-query-parameter") && CREDENTIAL_NAMES.includes(attr(e, "name").toLowerCase())) {
      const literal = childElements(e).filter((v) => v.tagName === "value" && isLiteral(text(v)));
      if (literal.length > 0) {
        found.push({ qualifier: `Literal:${attr(e, "name")}`, message: `<${e.tagName} name="${attr(e, "name")}"> sets a literal credential.` });
      }
    }
    if (e.tagName === "authentication-basic" && isLiteral(attr(e, "password"))) {
      found.push({ qualifier: "BasicPassword", message: "<authentication-basic> has a literal password." });
    }
    // Symmetric signing or decryption keys written into validate-jwt let anyone who reads the policy mint tokens.
    if ((e.tagName === "issuer-signing-keys" || e.tagName === "decryption-keys") && childElements(e).some((k) => k.tagName === "key" && isLiteral(text(k)))) {
      found.push({ qualifier: "JwtKey", message: `<${e.tagName}> holds a literal key.` });
    }
  }
  return found;
}

/** Text directly inside an element (not its children's). */
function childTexts(e: Element): string {
  let out = "";
  for (let i = 0; i < e.childNodes.length; i++) {
    const c = e.childNodes[i];
    if (c.nodeType === c.TEXT_NODE || c.nodeType === c.CDATA_SECTION_NODE) out += c.nodeValue ?? "";
  }
  return out;
}

export const apimPolicyNoInlineSecrets = resourceRule({
  name: "azure-apim-policy-no-inline-secrets",
  description:
    "API Management policy documents must not contain credentials (subscription keys, bearer tokens, client secrets, SAS signatures, account keys); reference Key Vault named values instead.",
  enforcementLevel: "mandatory",
  severity: "critical",
  risks: ["token-passthrough", "supply-chain"],
  remediation: "Move the credential to a Key Vault-backed named value and reference it as {{name}}, or use authentication-managed-identity.",
  types: [...ALL_POLICY_TYPES, GENERIC_RESOURCE],
  validate: (resourceProps, args, report) => {
    let props = resourceProps;
    if (args.type === GENERIC_RESOURCE) {
      if (!isGenericPolicyFragment(props)) return;
      props = (peek(props, "properties") ?? {}) as Props;
    }
    const parsed = parsePolicy(props);
    if (parsed.kind === "link") return;
    if (parsed.kind === "invalid") {
      const raw = str(get(props, "value")) ?? "";
      const pattern = secretPatternIn(raw);
      report(finding("Unreadable", `The policy cannot be inspected: ${parsed.reason}.${pattern ? ` It contains a literal ${pattern}.` : ""}`));
      return;
    }
    for (const f of inlineSecrets(parsed.root)) report(finding(f.qualifier, f.message));
  },
});

export const apimPolicyRules: Rule[] = [
  apimMcpTokenValidation,
  apimMcpStripAuthorization,
  apimMcpRateLimit,
  apimMcpProtectedResourceMetadata,
  apimMcpWwwAuthenticate,
  apimMcpBackendIdentity,
  apimBackendAuthenticated,
  apimPolicyNoInlineSecrets,
];
