/** What every attack-matrix scenario asserts: refusals in full, forwarded requests with the gateway's credential. */
import { expect } from "@jest/globals";
import type { ClientRequest, EmulatorResult } from "./gateway";
import { BACKEND_AUDIENCE, CLIENT_APP, GATEWAY_IDENTITY, PRM_URL, RESOURCE, TENANT, rpc, type Harness } from "./fixture";
import { decodePayload } from "./tokens";

export interface Scenario {
  name: string;
  run: (h: Harness) => Promise<void>;
}

export const SECURITY_HEADERS = ["strict-transport-security", "x-content-type-options", "cache-control", "x-frame-options", "content-security-policy"];

export function describeResult(r: EmulatorResult): string {
  return `status ${r.response.status} body ${r.response.body} lastError ${JSON.stringify(r.lastError)}`;
}

export function jsonBody(r: EmulatorResult): { error?: { code: number; message: string }; result?: unknown } {
  try {
    return JSON.parse(r.response.body) as { error?: { code: number; message: string } };
  } catch {
    throw new Error(`response body is not JSON: ${describeResult(r)}`);
  }
}

/** A refusal: the status, a JSON-RPC error code, security headers, and nothing sent to the backend. */
export function expectRefused(r: EmulatorResult, status: number, code: number): void {
  expect({ status: r.response.status, code: jsonBody(r).error?.code, detail: describeResult(r) }).toEqual(
    expect.objectContaining({ status, code }),
  );
  expect(r.backendRequest).toBeUndefined();
  expect(r.response.headers["content-type"]?.[0]).toMatch(/^application\/json/);
  for (const h of SECURITY_HEADERS) expect(r.response.headers[h]).toBeDefined();
}

/** A refused ANSWER (outbound: the backend was asked, the client gets the gateway's JSON-RPC error instead). */
export function expectAnswerRefused(r: EmulatorResult, status: number, code: number): void {
  expect({ status: r.response.status, code: jsonBody(r).error?.code, detail: describeResult(r) }).toEqual(expect.objectContaining({ status, code }));
  expect(r.backendRequest).toBeDefined();
  expect(r.response.headers["content-type"]?.[0]).toMatch(/^application\/json/);
  for (const h of SECURITY_HEADERS) expect(r.response.headers[h]).toBeDefined();
}

/**
 * A refusal asserted in full: status, the JSON-RPC error body exactly, security headers, no stray challenge, and
 * the backend never called (neither for this request nor since `callsBefore`).
 */
export function expectRefusedWith(h: Harness, r: EmulatorResult, status: number, code: number, message: string, callsBefore: number): void {
  expectRefused(r, status, code);
  expect(JSON.parse(r.response.body)).toEqual({ jsonrpc: "2.0", id: null, error: { code, message } });
  expect(r.response.headers["www-authenticate"]).toBeUndefined();
  expect(h.backendCalls).toHaveLength(callsBefore);
}

/** A request that went through: the backend got it, with the gateway's own credential and the caller's identity. */
export function expectForwarded(h: Harness, r: EmulatorResult, oid: string, status = 200): void {
  expect({ status: r.response.status, detail: describeResult(r) }).toEqual(expect.objectContaining({ status }));
  const b = r.backendRequest;
  expect(b).toBeDefined();
  expect(b!.url.startsWith("https://weather.internal.contoso.com/mcp")).toBe(true);
  const auth = b!.headers["authorization"];
  expect(auth).toHaveLength(1);
  const credential = decodePayload(auth![0]!);
  expect(credential.aud).toBe(BACKEND_AUDIENCE);
  expect(credential.appid).toBe(GATEWAY_IDENTITY);
  expect(b!.headers["x-mcp-caller-oid"]).toEqual([oid]);
  expect(b!.headers["x-mcp-caller-tenant"]).toEqual([TENANT]);
  expect(b!.headers["x-mcp-client-app"]).toEqual([CLIENT_APP]);
  expect(h.backendCalls[h.backendCalls.length - 1]).toEqual(b);
  for (const header of SECURITY_HEADERS) expect(r.response.headers[header]).toBeDefined();
  expect(r.response.headers["x-powered-by"]).toBeUndefined();
}

export function expectChallenge(r: EmulatorResult, invalidToken: boolean): void {
  const challenge = r.response.headers["www-authenticate"]?.[0] ?? "";
  expect(challenge).toMatch(/^Bearer /);
  expect(challenge).toContain(`resource_metadata="${PRM_URL}"`);
  expect(challenge).toContain(`scope="${RESOURCE}/tools.read"`);
  if (invalidToken) expect(challenge).toContain('error="invalid_token"');
}

export async function invalidToken(h: Harness, token: string): Promise<void> {
  const r = await h.post(token, rpc("tools/list"));
  expectRefused(r, 401, -32001);
  expectChallenge(r, true);
}

export function deleteSession(h: Harness, token: string, sid: string, extra: Partial<ClientRequest> = {}): Promise<EmulatorResult> {
  return h.gw.send({
    method: "DELETE",
    path: "/weather/mcp",
    ...extra,
    headers: { Authorization: `Bearer ${token}`, "Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25", ...extra.headers },
  });
}

export const initializeBody = rpc("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } });
