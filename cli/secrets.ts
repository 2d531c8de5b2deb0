/** `hardened-mcp secrets seed|list|check`: the platform's Key Vault secrets, seeded and watched from outside Pulumi. */
import { processIo, SecretsIo } from "./secrets/io";
import { runInventory } from "./secrets/inventory";
import { runSeed } from "./secrets/seed";

const usage = `usage: hardened-mcp secrets <seed|list|check> --vault-url <uri> [options]   (secrets <sub> --help for details)
  seed   set secret values from environment variables, files or stdin (never argv), with expiry and content type
  list   every secret's state: placeholder, expired, expiring, no expiry, disabled (metadata only)
  check  like list, exiting 1 when a secret needs attention (for pipelines)
Exit status: 0 ok, 1 a finding or a vault error, 2 usage or input errors.`;

/** Entry point with its outside world passed in (tests use a fake vault). */
export async function runSecrets(argv: string[], io: SecretsIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "seed":
      return runSeed(rest, io);
    case "list":
    case "check":
      return runInventory(sub, rest, io);
    case "-h":
    case "--help":
      io.out(usage);
      return 0;
    default:
      io.err(sub === undefined ? usage : `hardened-mcp secrets: unknown subcommand "${sub}".\n${usage}`);
      return 2;
  }
}

export function run(argv: string[]): Promise<number> {
  return runSecrets(argv, processIo);
}
