#!/usr/bin/env node
/**
 * `hardened-mcp`: the kit's command line.
 *   hardened-mcp plan  [--stack dev] [--out plan.json]      synthesize the default program offline
 *   hardened-mcp check (--plan F | --preview F | --stack-export F) [--format table|json|sarif]
 */
const usage = `usage: hardened-mcp <plan|check> [options]
  plan   synthesize the default program offline and write a plan file (see: hardened-mcp plan --help)
  check  run the policy rules against a plan, a preview or a stack export (see: hardened-mcp check --help)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Loaded on demand (each pulls in a large dependency tree), with require so that compiled output,
    // tsx in a source checkout and jest all resolve them the same way.
    case "plan":
      return (require("./plan/command") as typeof import("./plan/command")).runPlanCommand(rest);
    case "check":
      return (require("../policies/offline/command") as typeof import("../policies/offline/command")).runCheckCommand(rest);
    case undefined:
    case "-h":
    case "--help":
      console.log(usage);
      return command === undefined ? 2 : 0;
    default:
      console.error(`hardened-mcp: unknown command "${command}".\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`hardened-mcp: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
