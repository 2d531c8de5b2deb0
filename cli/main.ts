#!/usr/bin/env node
/** `hardened-mcp`: the kit's command line. Each verb lives in its own module (cli/verbs.ts). */
import { verbs } from "./verbs";
import { packageVersion } from "./version";

function usage(): string {
  const width = Math.max(...Object.keys(verbs).map((name) => name.length));
  const lines = Object.entries(verbs).map(([name, verb]) => `  ${name.padEnd(width)}  ${verb.summary}`);
  return `usage: hardened-mcp <verb> [options]   (hardened-mcp <verb> --help for a verb's options; --version)\n${lines.join("\n")}`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help") {
    (command === undefined ? console.error : console.log)(usage());
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-V") {
    console.log(`hardened-mcp ${packageVersion()}`);
    return 0;
  }
  const verb = Object.prototype.hasOwnProperty.call(verbs, command) ? verbs[command] : undefined;
  if (!verb) {
    console.error(`hardened-mcp: unknown command "${command}".\n${usage()}`);
    return 2;
  }
  return verb.load()(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`hardened-mcp: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    },
  );
}
