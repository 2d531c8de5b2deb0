/**
 * What `secrets seed` writes, resolved and validated completely before the first write: a problem with
 * the third secret must not leave the first two seeded (no partial seed). Values come from an
 * environment variable, a file or standard input, never from the command line (argv is visible in
 * `ps`, shell history and CI logs).
 */
import * as fs from "fs";
import { ENV_NAME, KEY_VAULT_OBJECT_NAME as SECRET_NAME } from "../../baseline/identifiers";

/** Key Vault's limit on a secret value: 25 KB (https://learn.microsoft.com/azure/key-vault/general/service-limits). */
export const MAX_SECRET_VALUE_BYTES = 25 * 1024;

export type ValueSource =
  | { readonly kind: "env"; readonly variable: string }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stdin" };

export interface SeedSpec {
  readonly name: string;
  readonly source: ValueSource;
}

export interface ResolvedSeed {
  readonly name: string;
  readonly value: string;
  /** Where the value came from, for the report (never the value). */
  readonly from: string;
}


function describeSource(source: ValueSource): string {
  return source.kind === "env" ? `environment variable ${source.variable}` : source.kind === "file" ? `file ${source.path}` : "standard input";
}

/**
 * Parses `--secret` values: `NAME=env:VAR` (or the short `NAME=VAR`), `NAME=file:PATH`, `NAME=stdin`
 * (or `NAME=-`). Returns the specs and every problem found, not just the first.
 */
export function parseSeedSpecs(pairs: readonly string[]): { specs: SeedSpec[]; problems: string[] } {
  const specs: SeedSpec[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const from = eq < 0 ? "" : pair.slice(eq + 1);
    if (!SECRET_NAME.test(name)) {
      problems.push(`--secret "${pair}": "${name}" is not a Key Vault secret name; use 1-127 letters, digits and hyphens.`);
      continue;
    }
    if (seen.has(name.toLowerCase())) {
      problems.push(`--secret "${pair}": secret ${name} is named twice (names are case-insensitive); give each secret once.`);
      continue;
    }
    seen.add(name.toLowerCase());
    let source: ValueSource | undefined;
    if (from === "stdin" || from === "-") source = { kind: "stdin" };
    else if (from.startsWith("file:") && from.length > 5) source = { kind: "file", path: from.slice(5) };
    else if (from.startsWith("env:") && ENV_NAME.test(from.slice(4))) source = { kind: "env", variable: from.slice(4) };
    else if (ENV_NAME.test(from)) source = { kind: "env", variable: from };
    if (!source) {
      problems.push(
        `--secret "${name}=…": the value source must be env:VARIABLE, file:PATH or stdin; a value is never taken from the command line.`,
      );
      continue;
    }
    specs.push({ name, source });
  }
  if (specs.filter((s) => s.source.kind === "stdin").length > 1) {
    problems.push("--secret: only one secret can read standard input; use files or environment variables for the others.");
  }
  return { specs, problems };
}

export interface ValueReaders {
  readonly env: NodeJS.ProcessEnv;
  readonly readStdin: () => Promise<string>;
}

/** One trailing newline is what `echo` and editors add; it is not part of the secret. */
function withoutTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

async function readValue(source: ValueSource, readers: ValueReaders): Promise<string | { problem: string }> {
  switch (source.kind) {
    case "env": {
      const value = readers.env[source.variable];
      return value === undefined ? { problem: "is unset" } : value;
    }
    case "file":
      try {
        return withoutTrailingNewline(fs.readFileSync(source.path, "utf8"));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return { problem: code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? String(err)})` };
      }
    case "stdin":
      return withoutTrailingNewline(await readers.readStdin());
  }
}

/**
 * Reads every value and checks it: present, not blank, within Key Vault's size limit, and not the
 * kit's placeholder text (seeding the placeholder back would hide an unseeded secret from `check`).
 */
export async function resolveSeeds(
  specs: readonly SeedSpec[],
  readers: ValueReaders,
  placeholderValue: string,
): Promise<{ seeds: ResolvedSeed[]; problems: string[] }> {
  const seeds: ResolvedSeed[] = [];
  const problems: string[] = [];
  for (const spec of specs) {
    const from = describeSource(spec.source);
    const value = await readValue(spec.source, readers);
    const problem =
      typeof value !== "string"
        ? value.problem
        : value.trim() === ""
          ? "is empty"
          : Buffer.byteLength(value, "utf8") > MAX_SECRET_VALUE_BYTES
            ? `holds ${Buffer.byteLength(value, "utf8")} bytes; Key Vault takes at most ${MAX_SECRET_VALUE_BYTES}`
            : value === placeholderValue
              ? "holds the kit's placeholder text, not a real value"
              : undefined;
    if (problem !== undefined || typeof value !== "string") {
      problems.push(`secret ${spec.name}: ${from} ${problem ?? ""}; set it to the real value and run again.`);
    } else {
      seeds.push({ name: spec.name, value, from });
    }
  }
  return { seeds, problems };
}
