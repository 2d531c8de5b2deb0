import type { PolicyResource } from "@pulumi/policy";
import { finding, Rule } from "./types";
import { get, ofTypes, peek, stackRule, str } from "./util";

/**
 * Tool-definition pins. The kit's gateway compares every approved tool's definition in a `tools/list` answer with a
 * pinned SHA-256 (`servers[].tools[].definitionSha256`) and removes or refuses a drifted one (a rug pull: the server
 * changes a description or schema after the tool was approved). An approved tool WITHOUT a pin is only screened, so a
 * server that pins some tools and not others has a gap exactly where nobody looks. The pins travel in the server's
 * named values, `mcp-<server>-tools` (`;name=scopes|roles;...`) and `mcp-<server>-tool-pins` (`;name=<sha256>;...`).
 *
 * Pinning is on for a server once any of its tools is pinned, and for every server with `requireAll`; then every
 * approved tool needs a well-formed pin, and no pin may name a tool that is not approved (a typo pins nothing).
 */

const NAMED_VALUE = "azure-native:apimanagement:NamedValue";
const PINS_NAME = /^mcp-(.+)-tool-pins$/i;
const SHA256 = /^[0-9a-f]{64}$/;

export interface ToolPinsConfig {
  /** Every MCP server must pin every approved tool, including servers that pin none. */
  readonly requireAll?: boolean;
}

/** `;a=x;b=y;` -> [["a", "x"], ["b", "y"]]; an entry without `=` has an empty value. */
function entries(list: string): [string, string][] {
  return list
    .split(";")
    .filter((e) => e !== "")
    .map((e) => {
      const at = e.indexOf("=");
      return at < 0 ? [e, ""] : [e.slice(0, at), e.slice(at + 1)];
    });
}

/**
 * Why the pins of one server do not cover its approved tools (undefined when they do, or when pinning is off).
 * Pure: the two named values' texts and the option in, a sentence out.
 */
export function toolPinProblem(tools: string, pins: string, requireAll: boolean): string | undefined {
  const approved = entries(tools).map(([name]) => name);
  const pinned = entries(pins);
  if (pinned.length === 0 && !requireAll) return undefined;
  const problems: string[] = [];
  const missing = approved.filter((name) => !pinned.some(([p]) => p === name));
  if (missing.length > 0) problems.push(`approved tools without a definition pin: ${missing.join(", ")}`);
  const malformed = pinned.filter(([, sha]) => !SHA256.test(sha)).map(([name]) => name);
  if (malformed.length > 0) problems.push(`pins that are not a SHA-256 in 64 lowercase hex digits: ${malformed.join(", ")}`);
  const stray = pinned.filter(([name]) => !approved.includes(name)).map(([name]) => name);
  if (stray.length > 0) problems.push(`pins of tools that are not approved: ${stray.join(", ")}`);
  return problems.length === 0 ? undefined : `${problems.join("; ")}.`;
}

const displayName = (v: PolicyResource): string => str(peek(v.props, "displayName")) ?? str(peek(v.props, "namedValueId")) ?? v.name;

export const apimMcpToolPins: Rule = stackRule({
  name: "azure-apim-mcp-tool-pins",
  description:
    "Once an MCP server's tool definitions are pinned (or for every server with requireAll), every approved tool must have a well-formed definition pin, so the gateway detects a changed definition (rug pull) of each of them.",
  enforcementLevel: "mandatory",
  severity: "high",
  risks: ["prompt-injection", "supply-chain"],
  remediation:
    "Run `npx hardened-mcp tools pin --url <server or gateway MCP endpoint>`, review the definitions it prints, and set each tool's `definitionSha256` in the server's config (servers[].tools[]).",
  configSchema: { properties: { requireAll: { type: "boolean", default: false } } },
  validate: (args, report) => {
    const requireAll = args.getConfig<ToolPinsConfig>().requireAll === true;
    const values = ofTypes(args.resources, [NAMED_VALUE]);
    for (const pins of values) {
      const server = PINS_NAME.exec(displayName(pins))?.[1];
      if (server === undefined) continue;
      const tools = values.find((v) => displayName(v).toLowerCase() === `mcp-${server}-tools`.toLowerCase());
      if (tools === undefined) {
        report(finding(server, `the tool pins have no approved-tools named value mcp-${server}-tools beside them.`), pins.urn);
        continue;
      }
      const problem = toolPinProblem(str(get(tools.props, "value")) ?? "", str(get(pins.props, "value")) ?? "", requireAll);
      if (problem !== undefined) report(finding(server, problem), pins.urn);
    }
  },
});
