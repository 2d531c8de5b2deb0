/**
 * Request headers as an allow-list, before anything reads them: names are RFC 9110 tokens (printable ASCII, no
 * whitespace), nothing merely resembles a header the gateway reads, deletes or sets, the Streamable HTTP headers are
 * single-valued, and `Last-Event-ID` only resumes a stream of the caller's own session.
 *
 * Why look-alikes matter: `set-header ... delete` and `Headers["X"]` match exact names (case-insensitively), while
 * WSGI/CGI, PHP, nginx variables and several proxies map `-`, `_` (and sloppy whitespace) to one name, so
 * `Mcp_Session_Id` or `X_HTTP_Method_Override` could reach such a backend as the real header the gateway never saw.
 * Every decision is an ordinal comparison of ASCII text (names outside the token set are refused first), so the
 * emulator's mono and APIM's .NET agree by construction: invariant casing of ASCII is the same everywhere.
 */
import type { PolicyElement } from "./xml";
import type { PolicyFragment } from "./fragment";
import type { McpPolicySettings } from "./settings";
import { block, csString } from "./expressions";
import { choose, when } from "./elements";
import { refuse, RpcErrors } from "./respond";
import { OVERRIDE_AND_FORWARDING_HEADERS } from "./hygiene";

/** The Streamable HTTP request headers the gateway reads and forwards: one value each, exact names only. */
export const PROTOCOL_HEADERS: readonly string[] = ["Mcp-Session-Id", "MCP-Protocol-Version", "Last-Event-ID", "Mcp-Method", "Mcp-Name"];

const csArray = (xs: readonly string[]): string => `new string[] { ${xs.map(csString).join(", ")} }`;

/**
 * C# returning true when a request header merely LOOKS like one of `exact` (compared once `-`, `_` and whitespace
 * are dropped, ignoring case) without being it, or when `extra` (a C# condition over `lower` and `flat`) holds.
 */
export function lookAlikeHeaderCode(exact: readonly string[], extra = ""): string {
  const lower = exact.map((h) => h.toLowerCase());
  const squash = (h: string): string => h.replace(/[-_\s]/g, "");
  return [
    `string[] managed = ${csArray(lower)}; string[] squashed = ${csArray(lower.map(squash))};`,
    `foreach (string name in context.Request.Headers.Keys) {`,
    `  string lower = name.ToLowerInvariant(); if (managed.Contains(lower)) { continue; }`,
    `  string flat = Regex.Replace(lower, @"[-_\\s]", "");`,
    `  if (${extra ? `${extra} || ` : ""}squashed.Contains(flat)) { return true; }`,
    `}`,
    `return false;`,
  ].join(" ");
}

/** Header names as RFC 9110 §5.6.2 defines a token: a Unicode look-alike, a space or a control character never passes. */
const HEADER_NAME_CODE = `foreach (string name in context.Request.Headers.Keys) { if (!Regex.IsMatch(name, @"^[!#$%&'*+.^_|~0-9A-Za-z\`-]+\\z")) { return true; } } return false;`;

/**
 * A protocol header twice (the gateway reads `a,b`, a first-wins backend `a`) or carrying a list: refused. Session
 * ids and event ids are then one run of visible ASCII without a comma (MCP allows commas in session ids, but no SDK
 * issues them; `storeSessionBinding` never binds such an id, so the refusal is consistent).
 */
const SINGLE_VALUED_CODE = [
  `foreach (string h in ${csArray(PROTOCOL_HEADERS)}) {`,
  `  string[] values; if (!context.Request.Headers.TryGetValue(h, out values)) { continue; }`,
  `  if (values == null || values.Length != 1 || values[0] == null || values[0].IndexOf(',') >= 0) { return true; }`,
  `}`,
  `return false;`,
].join(" ");

/**
 * `Last-Event-ID` resumes a stream (GET only, Streamable HTTP "Resumability and Redelivery"), and the stream belongs
 * to a session: without `Mcp-Session-Id` nothing binds the resumed events to this caller. With one, `bindSession`
 * checks the session is the caller's.
 */
const LAST_EVENT_ID_CODE =
  `if (!context.Request.Headers.ContainsKey("Last-Event-ID")) { return false; } ` +
  `return context.Request.Method != "GET" || !context.Request.Headers.ContainsKey("Mcp-Session-Id");`;

/** Controls 6, 16: the request-header allow-list (see the module comment); 400 / -32600 before token validation. */
export function checkRequestHeaders(s: McpPolicySettings): PolicyFragment {
  const bad = (decision: string, message = "Request header not allowed."): PolicyElement[] =>
    refuse(s, { status: 400, code: RpcErrors.invalidRequest, message, decision });
  return {
    id: "checkRequestHeaders",
    section: "inbound",
    controls: [6, 16],
    nodes: [
      choose(
        when(block(HEADER_NAME_CODE), ...bad("deny:header-name")),
        when(block(lookAlikeHeaderCode([...PROTOCOL_HEADERS, ...OVERRIDE_AND_FORWARDING_HEADERS])), ...bad("deny:header-lookalike")),
        when(block(SINGLE_VALUED_CODE), ...bad("deny:header-duplicate")),
        when(block(LAST_EVENT_ID_CODE), ...bad("deny:last-event-id", "Last-Event-ID is only accepted on GET within a session.")),
      ),
    ],
  };
}
