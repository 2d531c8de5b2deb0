/**
 * The `hardened-mcp` verbs: one entry each, loaded on demand (each pulls in a large dependency tree).
 * A verb module exports `run(argv): Promise<number>` returning the exit status (0 ok, 1 a finding or a
 * failed check, 2 bad usage or unreadable input) and answers `--help` itself.
 * `require` (not a dynamic import) so compiled output, tsx in a source checkout and jest resolve alike.
 */
export type VerbRun = (argv: string[]) => Promise<number>;

export interface Verb {
  /** One line for the top-level usage. */
  readonly summary: string;
  readonly load: () => VerbRun;
}

export const verbs: Readonly<Record<string, Verb>> = {
  plan: {
    summary: "synthesize a stack offline and write a plan file",
    load: () => (require("./plan") as typeof import("./plan")).runPlanCommand,
  },
  tools: {
    summary: "pin the tool definitions a running MCP server lists (tools pin --url ...)",
    load: () => (require("./tools") as typeof import("./tools")).run,
  },
  check: {
    summary: "run the policy rules against a plan, a preview or a stack export",
    load: () => (require("../policies/offline/command") as typeof import("../policies/offline/command")).runCheckCommand,
  },
  prices: {
    summary: "price a plan with today's retail prices for its region (Azure Retail Prices API; public, no sign-in)",
    load: () => (require("./prices") as typeof import("./prices")).run,
  },
  preflight: {
    summary: "check a subscription is ready for a stack's first pulumi up (providers, rights, names, regions)",
    load: () => (require("./preflight") as typeof import("./preflight")).run,
  },
  clients: {
    summary: "print MCP client configurations (VS Code, Claude Code, mcp-remote, daemon) for a deployed stack",
    load: () => (require("./clients") as typeof import("./clients")).runClientsCommand,
  },
  secrets: {
    summary: "seed, list and check the platform's Key Vault secrets (values never on the command line)",
    load: () => (require("./secrets") as typeof import("./secrets")).run,
  },
  smoke: {
    summary: "probe a deployed gateway as an attacker and as a client would, in plain language",
    load: () => (require("./smoke") as typeof import("./smoke")).run,
  },
};
