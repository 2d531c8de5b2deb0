/**
 * The client-to-server JSON-RPC methods of MCP and the `params` members each admits, from the specification's
 * schema (modelcontextprotocol/modelcontextprotocol, schema/2025-06-18, 2025-11-25 and 2026-07-28 `schema.ts`:
 * `ClientRequest` and `ClientNotification` and their `*Params` interfaces). The gateway admits a params member only
 * when the method's entry lists it (an allow-list: a look-alike such as `name\u0000` or `argumentſ` is simply not
 * on it), so the object the gateway authorizes and screens is the object a lenient decoder executes.
 */

/** The first protocol revision whose rules (Mcp-Method/Mcp-Name required, 404 for unknown methods) apply. */
export const HEADER_ERA = "2026-07-28";

/** What a method needs before a server may enable it. */
export type McpMethodKind =
  /** Lifecycle and utilities every client sends. */
  | "base"
  /** Tools: `tools/call` is authorized per tool (settings `tools`). */
  | "tools"
  /** Logging level: no per-item data. */
  | "logging"
  /** Resources, prompts and completion name items the gateway cannot authorize one by one yet. */
  | "per-item"
  /** Tasks (2025-11-25): results fetched later by task id would bypass per-tool authorization and result screening. */
  | "tasks";

export interface McpMethodSpec {
  readonly kind: McpMethodKind;
  /** The `params` members the schema defines for the method (the last revision that has it). */
  readonly params: readonly string[];
}

const META = "_meta";
const PAGINATED = ["cursor", META] as const;

/**
 * Every client-to-server method of the three revisions. `inputResponses` and `requestState` are the 2026-07-28
 * answers to a server's input requests (InputResponseRequestParams); `task` is 2025-11-25 task augmentation, which
 * `parseJsonRpc` refuses because tasks cannot be enabled.
 */
export const MCP_CLIENT_METHODS: Readonly<Record<string, McpMethodSpec>> = {
  initialize: { kind: "base", params: ["protocolVersion", "capabilities", "clientInfo", META] },
  ping: { kind: "base", params: [META] },
  "server/discover": { kind: "base", params: [META] },
  /** 2026-07-28's replacement for the GET stream: a long-lived SSE answer the gateway never buffers. */
  "subscriptions/listen": { kind: "base", params: ["notifications", META] },
  "notifications/initialized": { kind: "base", params: [META] },
  "notifications/cancelled": { kind: "base", params: ["requestId", "reason", META] },
  "notifications/progress": { kind: "base", params: ["progressToken", "progress", "total", "message", META] },
  "notifications/roots/list_changed": { kind: "base", params: [META] },
  "tools/list": { kind: "tools", params: PAGINATED },
  "tools/call": { kind: "tools", params: ["name", "arguments", META, "task", "inputResponses", "requestState"] },
  "logging/setLevel": { kind: "logging", params: ["level", META] },
  "resources/list": { kind: "per-item", params: PAGINATED },
  "resources/templates/list": { kind: "per-item", params: PAGINATED },
  "resources/read": { kind: "per-item", params: ["uri", META, "inputResponses", "requestState"] },
  "resources/subscribe": { kind: "per-item", params: ["uri", META] },
  "resources/unsubscribe": { kind: "per-item", params: ["uri", META] },
  "prompts/list": { kind: "per-item", params: PAGINATED },
  "prompts/get": { kind: "per-item", params: ["name", "arguments", META, "inputResponses", "requestState"] },
  "completion/complete": { kind: "per-item", params: ["ref", "argument", "context", META] },
  "tasks/get": { kind: "tasks", params: ["taskId"] },
  "tasks/result": { kind: "tasks", params: ["taskId"] },
  "tasks/cancel": { kind: "tasks", params: ["taskId"] },
  "tasks/list": { kind: "tasks", params: PAGINATED },
  "notifications/tasks/status": {
    kind: "tasks",
    params: ["taskId", "status", "statusMessage", "createdAt", "lastUpdatedAt", "ttl", "pollInterval", META],
  },
};

/**
 * Methods admitted by default: what a tools-only server advertises and what real clients send to it (the SDKs send
 * progress, cancellation and roots-changed notifications unprompted, and ping at any time).
 */
export const DEFAULT_ALLOWED_METHODS = [
  "initialize",
  "notifications/initialized",
  "notifications/cancelled",
  "notifications/progress",
  "notifications/roots/list_changed",
  "ping",
  "server/discover",
  "subscriptions/listen",
  "tools/list",
  "tools/call",
] as const;

/** JSON-RPC 2.0 envelope members the gateway admits, by message shape. */
export const ENVELOPE_MEMBERS = {
  request: ["jsonrpc", "id", "method", "params"],
  notification: ["jsonrpc", "method", "params"],
  response: ["jsonrpc", "id", "result", "error"],
  error: ["code", "message", "data"],
} as const;

/**
 * The params allow-list as one literal the policy searches: `;method=a,b,c;...` (method names and members never
 * contain `;`, `=` or `,`).
 */
export function encodeParamsAllowList(methods: readonly string[]): string {
  return `;${methods.map((m) => `${m}=${(MCP_CLIENT_METHODS[m]?.params ?? []).join(",")}`).join(";")};`;
}
