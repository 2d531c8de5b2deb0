import type { McpPolicySettings } from "./settingsTypes";

/**
 * Per-server data that changes (approved tools and the permission each needs, origins, versions, methods, limits)
 * lives in APIM named values, referenced as `{{name}}` in the policy, so changing it doesn't rewrite the policy.
 * None is secret: the gateway authenticates with managed identity.
 *
 * List values are encoded `;a;b;` (an empty list is `;`) so a policy expression tests membership with one
 * `Contains(";" + x + ";")` and a named value is never empty (APIM requires a value). Settings validation keeps
 * every element free of `;`, `|`, `,`, `=`, quotes and `{{`.
 */
export interface McpNamedValue {
  /** Resource name of the `namedValue` (also the displayName, which is what `{{...}}` references). */
  readonly id: string;
  readonly displayName: string;
  readonly value: string;
  readonly secret: false;
}

/** The keys of the named values one MCP server uses. */
export type McpNamedValueKey =
  | "tools"
  | "toolPins"
  | "origins"
  | "protocolVersions"
  | "methods"
  | "maxBodyBytes"
  | "callerCalls"
  | "callerPeriod"
  | "toolCalls"
  | "toolPeriod"
  | "quotaCalls"
  | "quotaPeriod"
  | "sessionTtl";

const SUFFIX: Record<McpNamedValueKey, string> = {
  tools: "tools",
  toolPins: "tool-pins",
  origins: "origins",
  protocolVersions: "protocol-versions",
  methods: "methods",
  maxBodyBytes: "max-body-bytes",
  callerCalls: "rl-caller-calls",
  callerPeriod: "rl-caller-period",
  toolCalls: "rl-tool-calls",
  toolPeriod: "rl-tool-period",
  quotaCalls: "quota-calls",
  quotaPeriod: "quota-period",
  sessionTtl: "session-ttl",
};

/** Display name (= `{{...}}` reference name) of one named value; letters, digits, '-' only (APIM displayName rule). */
export function namedValueName(serverName: string, key: McpNamedValueKey): string {
  return `mcp-${serverName}-${SUFFIX[key]}`;
}

/** `{{name}}`: how a policy refers to a named value. */
export function namedValueRef(serverName: string, key: McpNamedValueKey): string {
  return `{{${namedValueName(serverName, key)}}}`;
}

export function encodeList(values: readonly string[]): string {
  return values.length === 0 ? ";" : `;${values.join(";")};`;
}

/** `;tool=scope1,scope2|role1,role2;...`: tools in settings order. */
export function encodeToolPermissions(tools: McpPolicySettings["tools"]): string {
  return encodeList(tools.map((t) => `${t.name}=${t.scopes.join(",")}|${t.roles.join(",")}`));
}

/** `;tool=sha256;...`: the pinned definitions only (`;` when none is pinned). */
export function encodeToolPins(tools: McpPolicySettings["tools"]): string {
  return encodeList(tools.filter((t) => t.definitionSha256 !== "").map((t) => `${t.name}=${t.definitionSha256}`));
}

/** APIM named-value values are limited to 4096 characters. */
export const NAMED_VALUE_MAX_LENGTH = 4096;

export function mcpNamedValues(
  s: Pick<
    McpPolicySettings,
    | "serverName"
    | "tools"
    | "allowedOrigins"
    | "allowedProtocolVersions"
    | "allowedMethods"
    | "maxBodyBytes"
    | "perCallerRateLimit"
    | "perCallerToolRateLimit"
    | "clientAppQuota"
    | "sessionTtlSeconds"
  >,
): McpNamedValue[] {
  const values: Record<McpNamedValueKey, string> = {
    tools: encodeToolPermissions(s.tools),
    toolPins: encodeToolPins(s.tools),
    origins: encodeList(s.allowedOrigins),
    protocolVersions: encodeList(s.allowedProtocolVersions),
    methods: encodeList(s.allowedMethods),
    maxBodyBytes: String(s.maxBodyBytes),
    callerCalls: String(s.perCallerRateLimit.calls),
    callerPeriod: String(s.perCallerRateLimit.renewalPeriodSeconds),
    toolCalls: String(s.perCallerToolRateLimit.calls),
    toolPeriod: String(s.perCallerToolRateLimit.renewalPeriodSeconds),
    quotaCalls: String(s.clientAppQuota.calls),
    quotaPeriod: String(s.clientAppQuota.renewalPeriodSeconds),
    sessionTtl: String(s.sessionTtlSeconds),
  };
  return (Object.keys(SUFFIX) as McpNamedValueKey[]).map((key) => {
    const value = values[key];
    if (value.length > NAMED_VALUE_MAX_LENGTH) {
      throw new Error(
        `MCP gateway named value '${namedValueName(s.serverName, key)}' is ${value.length} characters, over APIM's ${NAMED_VALUE_MAX_LENGTH}. Fix: shorten the list (fewer tools/origins or shorter scope and role names) or split the server.`,
      );
    }
    const name = namedValueName(s.serverName, key);
    return { id: name, displayName: name, value, secret: false as const };
  });
}
