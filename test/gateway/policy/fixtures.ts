import type { Document, Element } from "@xmldom/xmldom";
import {
  buildGlobalPolicy,
  buildMcpApiPolicy,
  buildPrmPolicy,
  buildRefusalFragment,
  mcpNamedValues,
  REFUSAL_FRAGMENT_ID,
  REFUSAL_HEADER_VARIABLES,
  resolveMcpPolicySettings,
  Vars,
  type McpPolicySettings,
  type McpPolicySettingsInput,
} from "../../../infra/gateway/policy";
import { extractExpressions, type PolicyExpression } from "../../support/apim/expressions";
import { childElements, parsePolicyXml } from "../../support/apim/xml";

export const TENANT = "11111111-2222-3333-4444-555555555555";
export const CLIENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
export const GATEWAY_UAI = "99999999-2222-3333-4444-555555555555";
export const RESOURCE = "https://mcp.contoso.com/weather";

export function input(overrides: Partial<McpPolicySettingsInput> = {}): McpPolicySettingsInput {
  return {
    serverName: "weather",
    apiPath: "weather",
    tenantId: TENANT,
    audiences: [CLIENT_ID],
    resource: RESOURCE,
    tools: [
      { name: "get_forecast", scopes: ["tools.read"] },
      { name: "admin_reset", roles: ["Weather.Admin"] },
    ],
    contentSafety: { endpoint: "https://cs-mcp.cognitiveservices.azure.com" },
    backend: { backendId: "weather-backend", audience: "api://weather-backend", gatewayIdentityClientId: GATEWAY_UAI },
    ...overrides,
  };
}

export function settings(overrides: Partial<McpPolicySettingsInput> = {}): McpPolicySettings {
  return resolveMcpPolicySettings(input(overrides));
}

/** Every @(...) / @{...} of the API and PRM policies for one settings variant, named values substituted. */
function expressionsOf(s: McpPolicySettings, tag: string): PolicyExpression[] {
  const namedValues = Object.fromEntries(mcpNamedValues(s).map((v) => [v.displayName, v.value]));
  return [
    ...extractExpressions(buildMcpApiPolicy(s), { document: `api(${tag})`, namedValues }),
    ...extractExpressions(buildPrmPolicy(s), { document: `prm(${tag})`, namedValues }),
  ];
}

/** Every expression of every document the kit emits, over the variants that change which expressions appear. */
export function kitExpressions(): PolicyExpression[] {
  return [
    ...expressionsOf(settings({ allowedClientAppIds: ["12345678-1234-1234-1234-123456789012"], allowedOrigins: ["https://app.contoso.com"], enableCors: true }), "full"),
    ...expressionsOf(settings({ contentSafety: { endpoint: "https://cs.cognitiveservices.azure.com", failOpen: true }, allowMissingProtocolVersion: true }), "open"),
    ...expressionsOf(settings({ allowClientResponses: false, gatewayTierFamily: "classic", acceptedTokenVersions: [1, 2], audiences: [RESOURCE, CLIENT_ID] }), "strict"),
    ...extractExpressions(buildGlobalPolicy(), { document: "global" }),
    ...extractExpressions(buildRefusalFragment(), { document: "refusal fragment" }),
  ];
}

export function parse(xml: string): Document {
  return parsePolicyXml(xml);
}

export function section(doc: Document, name: string): Element {
  const found = childElements(doc.documentElement!).filter((e) => e.tagName === name);
  if (found.length !== 1) throw new Error(`expected one <${name}>, found ${found.length}`);
  return found[0]!;
}

export function all(root: Document | Element, tag: string): Element[] {
  const list = root.getElementsByTagName(tag);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i)!);
  return out;
}

/** Every element under root, in document order. */
/** An attribute's value, "" when absent. */
export function attr(e: Element, name: string): string {
  return e.getAttribute(name) ?? "";
}

/** The one `<tag>` under `root` that `pred` accepts; throws unless there is exactly one. */
export function only(root: Element, tag: string, pred: (e: Element) => boolean = () => true): Element {
  const found = all(root, tag).filter(pred);
  if (found.length !== 1) throw new Error(`expected one <${tag}>, found ${found.length}`);
  return found[0]!;
}

export function descendants(root: Element): Element[] {
  const out: Element[] = [];
  const visit = (e: Element): void => {
    for (const c of childElements(e)) {
      out.push(c);
      visit(c);
    }
  };
  visit(root);
  return out;
}

export interface RefusalView {
  when: Element;
  status: number;
  headers: Record<string, string>;
  body: { jsonrpc: string; id: null; error: { code: number; message: string } };
}

/**
 * The refusal that sets mcpDecision = decision, read at its site: the variables it hands to the shared refusal
 * fragment (status, JSON-RPC code and message, optional headers), which it must then include. The fragment turns
 * them into the response (its own test and the emulator prove that part).
 */
export function refusal(root: Document | Element, decision: string): RefusalView {
  const setters = all(root, "set-variable").filter((e) => e.getAttribute("name") === "mcpDecision" && e.getAttribute("value") === decision);
  if (setters.length !== 1) throw new Error(`expected one refusal '${decision}', found ${setters.length}`);
  return refusalAt(setters[0]!);
}

/** The refusal site whose mcpDecision setter is `setter` (see `refusal`). */
export function refusalAt(setter: Element): RefusalView {
  const decision = setter.getAttribute("value");
  const when = setter.parentNode as Element;
  const site = childElements(when);
  const start = site.indexOf(setter);
  const include = site.slice(start).find((e) => e.tagName === "include-fragment");
  if (include?.getAttribute("fragment-id") !== REFUSAL_FRAGMENT_ID) throw new Error(`refusal '${decision}' does not include the '${REFUSAL_FRAGMENT_ID}' fragment`);
  const vars = new Map(
    site
      .slice(start, site.indexOf(include))
      .filter((e) => e.tagName === "set-variable")
      .map((e) => [e.getAttribute("name")!, e.getAttribute("value")!]),
  );
  const headers: Record<string, string> = {};
  for (const [name, variable] of Object.entries(REFUSAL_HEADER_VARIABLES)) {
    const value = vars.get(variable);
    if (value !== undefined) headers[name] = value;
  }
  const body = { jsonrpc: "2.0", id: null, error: { code: Number(vars.get(Vars.refusalCode)), message: vars.get(Vars.refusalMessage) ?? "" } };
  return { when, status: Number(vars.get(Vars.refusalStatus)), headers, body };
}

/** Parse `Bearer a="x", b="y"` into { a: "x", b: "y" }. */
export function parseChallenge(value: string): Record<string, string> {
  expect(value.startsWith("Bearer ")).toBe(true);
  const params: Record<string, string> = {};
  for (const m of value.slice(7).matchAll(/([a-z_]+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return params;
}
