/**
 * Raw HTTP probes of a deployed MCP gateway: what a caller without a valid token, or with a bad Origin,
 * sees. Raw on purpose: an SDK client would hide the status codes and headers these checks are about.
 */
import type { SmokeTarget } from "./target";

export interface ProbeResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** The protocol revision the probes announce (the kit's gateway accepts it without a session). */
export const PROBE_PROTOCOL_VERSION = "2025-06-18";

const initializeBody = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: PROBE_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "hardened-mcp-smoke", version: "1" } },
});

async function send(url: string, init: RequestInit): Promise<ProbeResult> {
  const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

export function fetchProtectedResourceMetadata(t: SmokeTarget): Promise<ProbeResult> {
  return send(t.prmUrl, { method: "GET", headers: { Accept: "application/json" } });
}

export interface InitializeProbe {
  /** A bearer token to send; none by default. */
  readonly token?: string;
  readonly origin?: string;
  /** A token-looking query parameter (the gateway must refuse credentials in URLs). */
  readonly queryToken?: boolean;
}

/** POST initialize to the server's MCP endpoint, as a client would open a session. */
export function initialize(t: SmokeTarget, probe: InitializeProbe = {}): Promise<ProbeResult> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
  if (probe.token) headers.Authorization = `Bearer ${probe.token}`;
  if (probe.origin) headers.Origin = probe.origin;
  return send(probe.queryToken ? `${t.mcpUrl}?access_token=not-a-real-token` : t.mcpUrl, { method: "POST", headers, body: initializeBody });
}
