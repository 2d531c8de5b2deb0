/**
 * Black-box checks of a deployed MCP gateway over HTTPS: what an attacker without a token sees, and
 * what an MCP client needs to discover authorization. Shared by the smoke test and the deploy test.
 */
export interface GatewayTarget {
  /** The server's MCP endpoint, e.g. https://apim-mcp-dev.azure-api.net/weather/mcp */
  readonly mcpUrl: string;
  /** Its protected-resource metadata, e.g. https://apim-mcp-dev.azure-api.net/.well-known/oauth-protected-resource/weather/mcp */
  readonly prmUrl: string;
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

/** The endpoints of one server, as the kit publishes them (RFC 9728 path-suffixed metadata). */
export function targetOf(gatewayUrl: string, server: string): GatewayTarget {
  const base = gatewayUrl.replace(/\/$/, "");
  return { mcpUrl: `${base}/${server}/mcp`, prmUrl: `${base}/.well-known/oauth-protected-resource/${server}/mcp` };
}

export function fetchProtectedResourceMetadata(t: GatewayTarget): Promise<ProbeResult> {
  return send(t.prmUrl, { method: "GET", headers: { Accept: "application/json" } });
}

export function initializeWithoutToken(t: GatewayTarget): Promise<ProbeResult> {
  return send(t.mcpUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: initialize,
  });
}

export function initializeWithQueryToken(t: GatewayTarget): Promise<ProbeResult> {
  return send(`${t.mcpUrl}?access_token=not-a-real-token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: initialize,
  });
}

export function initializeWithToken(t: GatewayTarget, token: string): Promise<ProbeResult> {
  return send(t.mcpUrl, {
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
