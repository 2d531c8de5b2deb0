/**
 * A Pulumi project as the CLI reads it before launching the program: Pulumi.yaml's name, runtime
 * and options, and where the program runs (the pwd/main rule).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** The nodejs runtime options the language host reads (sdk/nodejs/cmd/pulumi-language-nodejs/main.go parseOptions). */
export interface NodeRuntimeOptions {
  /** Register ts-node for TypeScript. @default true (the host's default) */
  readonly typescript: boolean;
  /** Passed to run.js as PULUMI_NODEJS_TSCONFIG_PATH, relative to the program directory. */
  readonly tsconfig?: string;
  /** Extra node arguments, split like a shell would (the host uses shlex). */
  readonly nodeargs?: string;
}

export interface PulumiProject {
  /** The directory holding Pulumi.yaml (the engine's root directory). */
  readonly root: string;
  readonly name: string;
  readonly main?: string;
  readonly options: NodeRuntimeOptions;
}

function fail(file: string, problem: string): never {
  throw new Error(`${file}: ${problem}`);
}

/** Reads `<root>/Pulumi.yaml`; a project that is not a nodejs project is refused. */
export function readProject(root: string): PulumiProject {
  const file = path.join(root, "Pulumi.yaml");
  if (!fs.existsSync(file)) fail(file, "not found (a Pulumi project directory holds Pulumi.yaml)");
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown> | null;
  if (!doc || typeof doc !== "object") fail(file, "expected a mapping");
  const name = doc.name;
  if (typeof name !== "string" || name === "") fail(file, '"name" is required');
  const runtime = doc.runtime;
  const runtimeName = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
  if (runtimeName !== "nodejs") fail(file, `runtime "${String(runtimeName)}" is not nodejs; the launcher runs nodejs programs only`);
  const raw = (typeof runtime === "object" && runtime !== null ? (runtime as { options?: Record<string, unknown> }).options : undefined) ?? {};
  // The same checks the host makes (parseOptions), with its messages.
  if (raw.typescript !== undefined && typeof raw.typescript !== "boolean") fail(file, "typescript option must be a boolean");
  if (raw.tsconfig !== undefined && typeof raw.tsconfig !== "string") fail(file, "tsconfigpath option must be a string");
  if (raw.nodeargs !== undefined && typeof raw.nodeargs !== "string") fail(file, "nodeargs option must be a string");
  const main = doc.main;
  if (main !== undefined && typeof main !== "string") fail(file, '"main" must be a path');
  return {
    root: path.resolve(root),
    name,
    ...(main ? { main } : {}),
    options: {
      typescript: raw.typescript ?? true,
      ...(raw.tsconfig ? { tsconfig: raw.tsconfig as string } : {}),
      ...(raw.nodeargs ? { nodeargs: raw.nodeargs as string } : {}),
    },
  };
}

/**
 * The program's working directory and entry point (pulumi/pulumi pkg/engine/project.go getPwdMain):
 * no `main` runs "." in the root; a directory `main` runs "." there; a file `main` runs its base
 * name with its directory as the working directory (`main: infra/main.ts` => pwd infra/, entry main.ts).
 */
export function pwdAndMain(root: string, main: string | undefined): { pwd: string; main: string } {
  if (!main) return { pwd: root, main: "." };
  const target = path.isAbsolute(main) ? main : path.normalize(path.join(root, main));
  if (!fs.existsSync(target)) throw new Error(`project 'main' could not be read: ${target} does not exist`);
  if (fs.statSync(target).isDirectory()) return { pwd: target, main: "." };
  return { pwd: path.dirname(target), main: path.basename(target) };
}

/** Splits node arguments as the host does (github.com/google/shlex: whitespace, quotes, backslash escapes). */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let current = "";
  let quote: '"' | "'" | null = null;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === "\\" && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) args.push(current);
      current = "";
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (quote) throw new Error(`nodeargs: unclosed ${quote} quote in ${JSON.stringify(text)}`);
  if (started) args.push(current);
  return args;
}
