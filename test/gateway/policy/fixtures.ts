import type { Document, Element } from "@xmldom/xmldom";
import { resolveMcpPolicySettings, type McpPolicySettings, type McpPolicySettingsInput } from "../../../infra/gateway/policy";
import { childElements, parsePolicyXml, textOf } from "../../support/apim/xml";

export const TENANT = "11111111-2222-3333-4444-555555555555";
export const CLIENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
export const GATEWAY_UAI = "99999999-2222-3333-4444-555555555555";
export const RESOURCE = "https://mcp.contoso.com/weather";

export function input(overrides: Partial<McpPolicySettingsInput> = {}): McpPolicySettingsInput {
  return {
    serverName: "weather",
    apiPath: "weather",
    tenantId: TENANT,
    audiences: [RESOURCE, CLIENT_ID],
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

/** The refusal that sets mcpDecision = decision: its `when`, status, headers and JSON-RPC body. */
export function refusal(root: Document | Element, decision: string): RefusalView {
  const setters = all(root, "set-variable").filter((e) => e.getAttribute("name") === "mcpDecision" && e.getAttribute("value") === decision);
  if (setters.length !== 1) throw new Error(`expected one refusal '${decision}', found ${setters.length}`);
  const when = setters[0]!.parentNode as Element;
  const rr = childElements(when).find((e) => e.tagName === "return-response");
  if (!rr) throw new Error(`refusal '${decision}' has no return-response`);
  const status = Number(childElements(rr).find((e) => e.tagName === "set-status")!.getAttribute("code"));
  const headers: Record<string, string> = {};
  for (const h of childElements(rr).filter((e) => e.tagName === "set-header")) {
    headers[h.getAttribute("name")!] = textOf(childElements(h)[0]!);
  }
  const body = JSON.parse(textOf(childElements(rr).find((e) => e.tagName === "set-body")!)) as RefusalView["body"];
  return { when, status, headers, body };
}

/** Parse `Bearer a="x", b="y"` into { a: "x", b: "y" }. */
export function parseChallenge(value: string): Record<string, string> {
  expect(value.startsWith("Bearer ")).toBe(true);
  const params: Record<string, string> = {};
  for (const m of value.slice(7).matchAll(/([a-z_]+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return params;
}
