/** Which gateway and server `smoke` probes, and the URLs the kit publishes for it. */
import { nameProblem, ServerNameRule } from "../../baseline/naming";
import { AzureCloud, CLOUD_NAMES, CLOUDS, isCloud } from "../azureClouds";

export interface SmokeTarget {
  readonly server: string;
  /** The server's MCP endpoint, e.g. https://apim-mcp-dev.azure-api.net/github-tools/mcp */
  readonly mcpUrl: string;
  /** Its RFC 9728 metadata (path-suffixed), e.g. https://apim-mcp-dev.azure-api.net/.well-known/oauth-protected-resource/github-tools/mcp */
  readonly prmUrl: string;
  readonly cloud: AzureCloud;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The endpoints of one server, as the kit publishes them. */
export function targetOf(gatewayUrl: string, server: string, cloud: AzureCloud = "public"): SmokeTarget {
  const base = gatewayUrl.replace(/\/+$/, "");
  return { server, cloud, mcpUrl: `${base}/${server}/mcp`, prmUrl: `${base}/.well-known/oauth-protected-resource/${server}/mcp` };
}

/** Validates the inputs; returns the target or every problem found. */
export function parseTarget(gatewayUrl: string | undefined, server: string | undefined, cloudName: string | undefined): SmokeTarget | string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  if (!gatewayUrl) {
    problems.push("--gateway-url is required (or HARDENED_MCP_GATEWAY_URL): the stack output gatewayUrl, e.g. https://apim-mcp-dev.azure-api.net");
  } else {
    try {
      url = new URL(gatewayUrl);
    } catch {
      problems.push(`--gateway-url "${gatewayUrl}" is not a URL; use the stack output gatewayUrl.`);
    }
  }
  // Plain HTTP only for a gateway emulator on this machine: a token must never cross a network in clear.
  if (url && url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    problems.push(`--gateway-url "${gatewayUrl}" must use https (plain http is accepted only for 127.0.0.1/localhost).`);
  }
  if (url && (url.search !== "" || url.hash !== "" || url.username !== "")) {
    problems.push(`--gateway-url "${gatewayUrl}" must be the gateway's base URL, without query or credentials.`);
  }
  if (!server) problems.push("--server is required (or HARDENED_MCP_SERVER): the server's name as in servers[].name, e.g. github-tools");
  else {
    const problem = nameProblem(server, ServerNameRule);
    if (problem) problems.push(`--server ${problem}.`);
  }
  if (cloudName !== undefined && !isCloud(cloudName)) problems.push(`--cloud "${cloudName}" is not one of ${CLOUD_NAMES.join(", ")}.`);
  if (problems.length > 0 || !url || !server) return problems;
  const cloud =
    cloudName !== undefined && isCloud(cloudName)
      ? cloudName
      : (CLOUD_NAMES.find((c) => url.hostname.endsWith(`.${CLOUDS[c].apimGatewaySuffix}`)) ?? "public");
  return targetOf(`${url.origin}${url.pathname}`, server, cloud);
}
