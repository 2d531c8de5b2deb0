/**
 * Black-box checks of a deployed MCP gateway over HTTPS: what an attacker without a token sees, and
 * what an MCP client needs to discover authorization. Shared by the smoke test and the deploy test.
 */
export interface GatewayTarget {
  /** e.g. https://apim-mcp-dev.azure-api.net or the custom domain */
  readonly gatewayUrl: string;
  /** The server's API path segment, e.g. "weather". */
  readonly server: string;
}

export interface ProbeResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "hardened-mcp-smoke", version: "1" } },
});

async function send(url: string, init: RequestInit): Promise<ProbeResult> {
  const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

export function mcpUrl(t: GatewayTarget): string {
  return `${t.gatewayUrl.replace(/\/$/, "")}/${t.server}/mcp`;
}

export function prmUrl(t: GatewayTarget): string {
  return `${t.gatewayUrl.replace(/\/$/, "")}/.well-known/oauth-protected-resource/${t.server}/mcp`;
}

export function fetchProtectedResourceMetadata(t: GatewayTarget): Promise<ProbeResult> {
  return send(prmUrl(t), { method: "GET", headers: { Accept: "application/json" } });
}

export function initializeWithoutToken(t: GatewayTarget): Promise<ProbeResult> {
  return send(mcpUrl(t), {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: initialize,
  });
}

export function initializeWithQueryToken(t: GatewayTarget): Promise<ProbeResult> {
  return send(`${mcpUrl(t)}?access_token=not-a-real-token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: initialize,
  });
}

export function initializeWithToken(t: GatewayTarget, token: string): Promise<ProbeResult> {
  return send(mcpUrl(t), {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      Authorization: `Bearer ${token}`,
      "MCP-Protocol-Version": "2025-06-18",
    },
    body: initialize,
  });
}
