/**
 * The part of a server's policy settings that depends on its options alone: every default and every check that
 * needs no deployment value (no tenant, application, gateway host or backend). `resolveMcpPolicySettings` starts
 * with it; the server component and the config layer run it on the options before anything exists, so no
 * stand-in ids or hosts are needed to validate them.
 */
import { nameProblem, ServerNameRule } from "../../../baseline/naming";
import { encodeList, encodeToolPermissions, encodeToolPins, NAMED_VALUE_MAX_LENGTH } from "./namedValues";
import { DEFAULT_ALLOWED_METHODS, MCP_CLIENT_METHODS } from "./methods";
import type { McpPolicyOptionSettings, McpPolicyOptionsInput, McpPolicySettings } from "./settingsTypes";
import { fail, FRAGMENT_ID, httpsUrl, limit, METHOD, METRIC_NAMESPACE, PERMISSION, positiveInt, PROTOCOL_VERSION, TOOL_NAME, uniqueList } from "./validation";

/** Namespace of the audit metric unless a server's settings name another. */
export const DEFAULT_METRIC_NAMESPACE = "hardened-mcp";

/** Id of the service-level policy fragment every refusal includes unless the settings name another. */
export const REFUSAL_FRAGMENT_ID = "mcp-refusal";

/** Protocol versions whose Streamable HTTP rules the policies implement (MCP-Protocol-Version allowlist). */
export const KNOWN_MCP_PROTOCOL_VERSIONS = ["2025-06-18", "2025-11-25", "2026-07-28"] as const;

/** The audit metric's namespace (default applied, validated); the refusal fragment and every server use it. */
export function resolveMetricNamespace(metricNamespace: string = DEFAULT_METRIC_NAMESPACE): string {
  if (!METRIC_NAMESPACE.test(metricNamespace)) fail("metricNamespace", `${JSON.stringify(metricNamespace)} is not a valid metric namespace`, "use letters, digits, '.', '_' or '-'");
  return metricNamespace;
}

/**
 * The most body a gateway of each tier family buffers, which `parseJsonRpc` must do to read the message (Learn, "API
 * Management limits": v2 tiers buffer at most 2 MiB; the classic tiers more, capped here at 4 MiB, far above any
 * JSON-RPC message an MCP client sends). A larger `maxBodyBytes` would promise a cap the gateway cannot keep.
 */
export const MAX_BUFFERED_BODY_BYTES: Readonly<Record<McpPolicySettings["gatewayTierFamily"], number>> = { v2: 2 * 1024 * 1024, classic: 4 * 1024 * 1024 };

function bodyLimit(value: number, tier: McpPolicySettings["gatewayTierFamily"]): number {
  const max = MAX_BUFFERED_BODY_BYTES[tier];
  if (Number.isInteger(value) && value > max) {
    fail("maxBodyBytes", `${value} is over ${max}, the most a ${tier}-tier gateway buffers to read a request body`, `set at most ${max} (the default, 262144, fits every MCP message a client sends)`);
  }
  return positiveInt("maxBodyBytes", value, max);
}

/** The approved tools, checked: valid unique names, each needing a scope or a role, pins well-formed. */
function resolveTools(input: McpPolicyOptionsInput): McpPolicySettings["tools"] {
  if (!input.tools || input.tools.length === 0) {
    fail("tools", "is empty: no tool could ever be called", "list the approved tools with the scopes/roles each needs");
  }
  const toolNames = new Set<string>();
  return input.tools.map((t, i) => {
    if (!TOOL_NAME.test(t.name ?? "")) fail(`tools[${i}].name`, `${JSON.stringify(t.name)} is not a valid MCP tool name (^[A-Za-z0-9_.-]{1,128}$)`, "use the exact name the server advertises");
    if (toolNames.has(t.name)) fail(`tools[${i}].name`, `duplicate tool '${t.name}'`, "list each tool once");
    toolNames.add(t.name);
    const toolScopes = uniqueList(`tools[${i}].scopes`, t.scopes ?? [], PERMISSION, "scope name");
    const roles = uniqueList(`tools[${i}].roles`, t.roles ?? [], PERMISSION, "app role value");
    if (toolScopes.length + roles.length === 0) {
      fail(`tools[${i}]`, `tool '${t.name}' requires neither a scope nor a role, so any token for the server could call it`, "give it at least one scope or app role");
    }
    const definitionSha256 = t.definitionSha256 ?? "";
    if (definitionSha256 !== "" && !/^[0-9a-f]{64}$/.test(definitionSha256)) {
      fail(`tools[${i}].definitionSha256`, `${JSON.stringify(definitionSha256)} is not a SHA-256 in 64 lowercase hex digits`, "paste the pin 'hardened-mcp tools pin' prints for this tool");
    }
    return { name: t.name, scopes: toolScopes, roles, definitionSha256 };
  });
}

/** The JSON-RPC methods a client may send, checked against MCP and against what the gateway can authorize. */
function resolveMethods(input: McpPolicyOptionsInput, toolCount: number): string[] {
  const allowedMethods = uniqueList("allowedMethods", input.allowedMethods ?? [...DEFAULT_ALLOWED_METHODS], METHOD, "JSON-RPC method name");
  allowedMethods.forEach((m, i) => {
    const spec = MCP_CLIENT_METHODS[m];
    if (!spec) fail(`allowedMethods[${i}]`, `'${m}' is not a client-to-server method of MCP 2025-06-18, 2025-11-25 or 2026-07-28`, "use the method name exactly as the specification spells it");
    if (spec.kind === "per-item") {
      fail(`allowedMethods[${i}]`, `'${m}' names resources, prompts or completions, which the gateway cannot yet authorize item by item`, "serve them from a server the gateway does not front, or leave the method out");
    }
    if (spec.kind === "tasks") {
      fail(`allowedMethods[${i}]`, `'${m}' is a task method; a task's result fetched later by id would bypass per-tool authorization and result screening`, "leave tasks off (the gateway refuses task-augmented tools/call consistently)");
    }
  });
  if (!allowedMethods.includes("tools/call") && toolCount > 0) {
    fail("allowedMethods", "does not include 'tools/call' although tools are approved", "add 'tools/call' or remove the tools");
  }
  return allowedMethods;
}

/** Apply the options' defaults (the ONLY place they live) and validate them. Throws `McpPolicySettingsError`. */
export function resolveMcpPolicyOptions(input: McpPolicyOptionsInput): McpPolicyOptionSettings {
  const serverNameProblem = nameProblem(input.serverName ?? "", ServerNameRule);
  if (serverNameProblem !== undefined) {
    fail("serverName", serverNameProblem, "rename the server, e.g. 'weather'");
  }
  const acceptedTokenVersions = [...new Set(input.acceptedTokenVersions ?? [2])].sort() as (1 | 2)[];
  if (acceptedTokenVersions.length === 0 || acceptedTokenVersions.some((v) => v !== 1 && v !== 2)) {
    fail("acceptedTokenVersions", "must be a non-empty list of 1 and/or 2", "use [2] and set requestedAccessTokenVersion=2 on the app registration");
  }

  const gatewayTierFamily = input.gatewayTierFamily ?? "v2";
  if (gatewayTierFamily !== "v2" && gatewayTierFamily !== "classic") fail("gatewayTierFamily", `${JSON.stringify(gatewayTierFamily)} is not 'v2' or 'classic'`, "use 'v2' (BasicV2/StandardV2/PremiumV2) or 'classic'");
  const clientAppQuota = limit(
    "clientAppQuota",
    input.clientAppQuota ?? { calls: 3000, renewalPeriodSeconds: 300 },
    gatewayTierFamily === "v2" ? 300 : 31_536_000,
  );
  if (gatewayTierFamily === "classic" && clientAppQuota.renewalPeriodSeconds < 300) {
    fail("clientAppQuota.renewalPeriodSeconds", "is under 300 s, the quota-by-key minimum", "use 300 or more");
  }
  const sessionCachingType = input.sessionCachingType ?? "prefer-external";
  if (!["internal", "external", "prefer-external"].includes(sessionCachingType)) {
    fail("sessionCachingType", `${JSON.stringify(sessionCachingType)} is not a caching type`, "use 'internal', 'external' or 'prefer-external'");
  }

  const allowedOrigins = (input.allowedOrigins ?? []).map((o, i) => {
    const u = httpsUrl(`allowedOrigins[${i}]`, o, { pathAllowed: false });
    if (u.origin !== o) fail(`allowedOrigins[${i}]`, `${JSON.stringify(o)} is not in serialized origin form (lowercase scheme://host[:port])`, `use ${JSON.stringify(u.origin)}`);
    return o;
  });
  if (new Set(allowedOrigins).size !== allowedOrigins.length) fail("allowedOrigins", "contains duplicates", "list each origin once");
  const enableCors = input.enableCors ?? false;
  if (enableCors && allowedOrigins.length === 0) {
    fail("enableCors", "is true but allowedOrigins is empty, so no browser origin could use it", "list the browser origins in allowedOrigins or leave enableCors unset");
  }

  const allowedProtocolVersions = uniqueList("allowedProtocolVersions", input.allowedProtocolVersions ?? [...KNOWN_MCP_PROTOCOL_VERSIONS], PROTOCOL_VERSION, "protocol version (YYYY-MM-DD)");
  if (allowedProtocolVersions.length === 0) fail("allowedProtocolVersions", "is empty", "allow at least 2025-06-18 (the oldest APIM supports)");
  allowedProtocolVersions.forEach((v, i) => {
    if (v < "2025-06-18") fail(`allowedProtocolVersions[${i}]`, `${v} predates 2025-06-18, which APIM MCP APIs and the authorization rules require`, "remove it");
  });

  const tools = resolveTools(input);
  const lists: [string, string][] = [
    ["tools", encodeToolPermissions(tools)],
    ["tools (definitionSha256 pins)", encodeToolPins(tools)],
    ["allowedOrigins", encodeList(allowedOrigins)],
    ["allowedMethods", encodeList(input.allowedMethods ?? [...DEFAULT_ALLOWED_METHODS])],
  ];
  for (const [setting, value] of lists) {
    if (value.length > NAMED_VALUE_MAX_LENGTH) {
      fail(setting, `encodes to ${value.length} characters, over the ${NAMED_VALUE_MAX_LENGTH} an APIM named value holds`, "shorten the list (fewer entries, shorter names) or split the server");
    }
  }
  const allowedMethods = resolveMethods(input, tools.length);

  const cs = input.contentSafety ?? fail("contentSafety", "is missing", "pass { endpoint } (or { enabled: false } to opt out explicitly)");
  const csEnabled = cs.enabled ?? true;
  const toolDrift = input.toolDrift ?? "remove";
  if (toolDrift !== "remove" && toolDrift !== "refuse") fail("toolDrift", `${JSON.stringify(toolDrift)} is not 'remove' or 'refuse'`, "use 'remove' (the default) or 'refuse'");
  const resultScreening = input.resultScreening ?? (csEnabled ? "block" : "off");
  if (!["block", "annotate", "off"].includes(resultScreening)) fail("resultScreening", `${JSON.stringify(resultScreening)} is not 'block', 'annotate' or 'off'`, "use 'block' (the default)");
  if (!csEnabled && resultScreening !== "off") {
    fail("resultScreening", `is '${resultScreening}' but Content Safety is disabled, so nothing could screen results`, "enable contentSafety or set resultScreening to 'off'");
  }

  const metricNamespace = resolveMetricNamespace(input.metricNamespace);
  const refusalFragmentId = input.refusalFragmentId ?? REFUSAL_FRAGMENT_ID;
  if (!FRAGMENT_ID.test(refusalFragmentId)) {
    fail("refusalFragmentId", `${JSON.stringify(refusalFragmentId)} is not a policy fragment id`, "use the fragment's name in the service (letters, digits, '_' and inner '-', at most 80)");
  }

  return {
    serverName: input.serverName,
    allowedOrigins,
    enableCors,
    allowedProtocolVersions,
    allowMissingProtocolVersion: input.allowMissingProtocolVersion ?? false,
    tools,
    toolDrift,
    resultScreening,
    maxBodyBytes: bodyLimit(input.maxBodyBytes ?? 262_144, gatewayTierFamily),
    allowedMethods,
    allowClientResponses: input.allowClientResponses ?? true,
    perCallerRateLimit: limit("perCallerRateLimit", input.perCallerRateLimit ?? { calls: 120, renewalPeriodSeconds: 60 }, 300),
    perCallerToolRateLimit: limit("perCallerToolRateLimit", input.perCallerToolRateLimit ?? { calls: 30, renewalPeriodSeconds: 60 }, 300),
    clientAppQuota,
    sharedClientAppQuota: input.sharedClientAppQuota ?? false,
    gatewayTierFamily,
    sessionTtlSeconds: positiveInt("sessionTtlSeconds", input.sessionTtlSeconds ?? 3600, 86_400),
    sessionCachingType,
    contentSafety: {
      enabled: csEnabled,
      failOpen: cs.failOpen ?? false,
      timeoutSeconds: positiveInt("contentSafety.timeoutSeconds", cs.timeoutSeconds ?? 5, 60),
      maxRequests: positiveInt("contentSafety.maxRequests", cs.maxRequests ?? 4, 10),
    },
    backend: { timeoutSeconds: positiveInt("backend.timeoutSeconds", input.backend?.timeoutSeconds ?? 120, 240) },
    clockSkewSeconds: positiveInt("clockSkewSeconds", input.clockSkewSeconds ?? 60, 300),
    acceptedTokenVersions,
    metricNamespace,
    refusalFragmentId,
  };
}
