import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** A verb's parsed options, typed from its option table. */
export type VerbValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>>["values"];

/**
 * A verb's options, parsed the one way every verb takes them: strict, no positionals. `--help` prints the usage
 * (exit 0); an unknown or malformed option prints what is wrong and the usage on stderr (exit 2, a usage error).
 * Either way the verb is done and returns `exit`.
 */
export function verbOptions<O extends Options>(verb: string, argv: readonly string[], options: O, usage: string): { values: VerbValues<O> } | { exit: number } {
  let values: VerbValues<O>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    console.error(`hardened-mcp ${verb}: ${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return { exit: 2 };
  }
  if ((values as { help?: unknown }).help === true) {
    console.log(usage);
    return { exit: 0 };
  }
  return { values };
}
