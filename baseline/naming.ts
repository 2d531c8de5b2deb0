/**
 * Azure naming rules for the resources the kit names (Learn: "Naming rules and restrictions for Azure
 * resources"), and the rule for an MCP server's name, which those rules bind.
 */

/** One service's naming rule. */
export interface NameRule {
  /** Shown in error messages. */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** The whole name must match. */
  readonly pattern: RegExp;
  /** What `pattern` means, in words, for error messages. */
  readonly charset: string;
  /** Names Azure requires to be unique across all of Azure (they become DNS names). */
  readonly globallyUnique: boolean;
}

const alnumHyphen = (first: string) => new RegExp(`^${first}(?:[a-z0-9-]*[a-z0-9])?$`);
const LOWER_ALNUM_HYPHEN = "lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit";

/** The naming rules the kit checks. */
export const NameRules = {
  resourceGroup: {
    what: "resource group",
    min: 1,
    max: 90,
    pattern: /^[-\w.()]*[-\w()]$/,
    charset: "letters, digits, '-', '_', '.', '(' and ')', not ending with '.'",
    globallyUnique: false,
  },
  keyVault: { what: "Key Vault", min: 3, max: 24, pattern: alnumHyphen("[a-z]"), charset: LOWER_ALNUM_HYPHEN, globallyUnique: true },
  apiManagement: {
    what: "API Management service",
    min: 1,
    max: 50,
    pattern: alnumHyphen("[a-z]"),
    charset: LOWER_ALNUM_HYPHEN,
    globallyUnique: true,
  },
  contentSafety: {
    what: "Content Safety custom subdomain",
    min: 2,
    max: 64,
    pattern: alnumHyphen("[a-z0-9]"),
    charset: "lowercase letters, digits and single hyphens, starting and ending with a letter or digit",
    globallyUnique: true,
  },
  containerApp: { what: "Container App", min: 2, max: 32, pattern: alnumHyphen("[a-z]"), charset: LOWER_ALNUM_HYPHEN, globallyUnique: false },
  containerAppsEnvironment: {
    what: "Container Apps environment",
    min: 2,
    max: 60,
    pattern: alnumHyphen("[a-z]"),
    charset: LOWER_ALNUM_HYPHEN,
    globallyUnique: false,
  },
  logAnalytics: {
    what: "Log Analytics workspace",
    min: 4,
    max: 63,
    pattern: alnumHyphen("[a-z0-9]"),
    charset: "letters, digits and hyphens, starting and ending with a letter or digit",
    globallyUnique: false,
  },
  generic: { what: "resource", min: 2, max: 64, pattern: alnumHyphen("[a-z]"), charset: LOWER_ALNUM_HYPHEN, globallyUnique: false },
} as const satisfies Record<string, NameRule>;

export type NameRuleKey = keyof typeof NameRules;

/** "a" or "an" before a rule's `what` (as it is read aloud: "an MCP server", "an API Management service"). */
function article(what: string): string {
  return /^(?:[aeio]|MCP\b|API\b)/i.test(what) ? "an" : "a";
}

/** Why `name` breaks `rule`, or undefined when it is valid. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (name.length < rule.min || name.length > rule.max) {
    return `"${name}" is ${name.length} characters; ${article(rule.what)} ${rule.what} name must be ${rule.min}-${rule.max}`;
  }
  if (!rule.pattern.test(name) || name.includes("--")) {
    return `"${name}" is not a valid ${rule.what} name: use ${rule.charset}`;
  }
  return undefined;
}

/** The prefix of a server's Container App name (Cloud Adoption Framework abbreviation for Container Apps). */
export const CONTAINER_APP_PREFIX = "ca-";

/**
 * An MCP server's name. It names the server's Container App (`ca-<name>`, so at most 32 - 3 = 29
 * characters under the Container App rule), its gateway path, named values (`mcp-<name>-...`) and
 * identity. Azure alone would allow a one-letter name; the kit asks for at least 3 so names say what
 * they are.
 */
export const ServerNameRule: NameRule = {
  what: "MCP server",
  min: 3,
  max: NameRules.containerApp.max - CONTAINER_APP_PREFIX.length,
  pattern: alnumHyphen("[a-z]"),
  charset: LOWER_ALNUM_HYPHEN,
  globallyUnique: false,
};

/** Lowercase, hyphen-separated, only [a-z0-9-]; what every kit-made name starts from. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}
