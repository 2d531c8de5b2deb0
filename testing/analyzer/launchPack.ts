import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/**
 * Starts a policy pack the way `pulumi preview --policy-pack DIR` does on the nodejs language host
 * (pulumi/pulumi: pkg/resource/plugin/plugin.go newPlugin -> LanguageRuntime.RunPlugin, kind "analyzer";
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin; sdk/policy_proxy.go):
 *
 * - `@pulumi/pulumi/cmd/run-policy-pack` is resolved with `require.resolve` from the pack folder;
 * - node runs it as `node <run-policy-pack> [nodeargs] <engine address> <pack folder>`, in the pack folder;
 * - the environment is the CLI's own plus PULUMI_NODEJS_TYPESCRIPT (runtime option `typescript`, default
 *   true), PULUMI_NODEJS_TSCONFIG_PATH (option `tsconfig`) and, from the stack configuration the engine sends
 *   the language host's policy proxy, PULUMI_NODEJS_ORGANIZATION/PROJECT/STACK/DRY_RUN and PULUMI_CONFIG;
 * - the pack prints its port on the first line of stdout; the proxy then forwards ConfigureStack to it.
 *
 * The proxy answers Handshake itself, so the pack never sees one; nor does this harness send one.
 */

/** The stack's side of `AnalyzerStackConfigureRequest`, as the engine fills it for a preview or update. */
export interface StackConfiguration {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  readonly dryRun: boolean;
  /** Stack config, `<namespace>:<key>` to its string form, as the engine passes it. */
  readonly config: Readonly<Record<string, string>>;
  readonly configSecretKeys?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface LaunchedPack {
  readonly process: ChildProcess;
  readonly port: number;
  /** Everything the pack wrote to stderr so far (the engine shows it to the user). */
  stderr(): string;
  /** Stdout after the port line. */
  stdout(): string;
}

interface RuntimeOptions {
  readonly typescript: boolean;
  readonly tsconfig?: string;
  readonly nodeargs: string[];
}

/** `runtime:` of PulumiPolicy.yaml, with the nodejs host's option rules; an option it would not honour fails. */
export function readRuntimeOptions(packDir: string): RuntimeOptions {
  const project = parseYaml(readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8")) as { runtime?: unknown };
  const runtime = project.runtime;
  const name = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
  if (name !== "nodejs") throw new Error(`${packDir}/PulumiPolicy.yaml: runtime must be nodejs for this harness, not ${JSON.stringify(name)}.`);
  const options = (typeof runtime === "object" && runtime !== null ? (runtime as { options?: Record<string, unknown> }).options : undefined) ?? {};
  for (const key of Object.keys(options)) {
    if (!["typescript", "tsconfig", "nodeargs", "packagemanager", "production"].includes(key)) {
      throw new Error(`PulumiPolicy.yaml runtime option "${key}" is not one the nodejs language host knows.`);
    }
  }
  if (options.typescript !== undefined && typeof options.typescript !== "boolean") throw new Error("typescript option must be a boolean");
  if (options.tsconfig !== undefined && typeof options.tsconfig !== "string") throw new Error("tsconfigpath option must be a string");
  if (options.nodeargs !== undefined && typeof options.nodeargs !== "string") throw new Error("nodeargs option must be a string");
  const nodeargs = typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter((a) => a.length > 0) : [];
  if (nodeargs.some((a) => /["'\\]/.test(a))) throw new Error("nodeargs with quotes or escapes: the host's shell-style splitting is not emulated.");
  return { typescript: options.typescript !== false, tsconfig: options.tsconfig as string | undefined, nodeargs };
}

/** The host's locateModule: `require.resolve` run by node in the pack folder. */
export function locateRunPolicyPack(packDir: string): string {
  const found = spawnSync(process.execPath, ["-e", "console.log(require.resolve('@pulumi/pulumi/cmd/run-policy-pack'))"], {
    cwd: packDir,
    encoding: "utf8",
  });
  if (found.status !== 0) {
    throw new Error(`It looks like the Pulumi SDK has not been installed. Have you run npm install in ${packDir}?\n${found.stderr}`);
  }
  return found.stdout.trim();
}

/** The environment RunPlugin gives the pack. */
export function packEnvironment(base: NodeJS.ProcessEnv, options: RuntimeOptions, stack: StackConfiguration): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const set = (k: string, v: string) => {
    if (v !== "") env[k] = v;
  };
  set("PULUMI_NODEJS_ORGANIZATION", stack.organization);
  set("PULUMI_NODEJS_PROJECT", stack.project);
  set("PULUMI_NODEJS_STACK", stack.stack);
  set("PULUMI_NODEJS_DRY_RUN", String(stack.dryRun));
  set("PULUMI_CONFIG", JSON.stringify(stack.config));
  return env;
}

/** The policy proxy's port parsing (sdk/policy_proxy.go reads `%d\n`; plugin.go trims and range-checks). */
function parsePort(line: string): number {
  const text = line.trim();
  if (!/^\d+$/.test(text)) throw new Error(`the pack's first line of stdout is not a port: ${JSON.stringify(text)}`);
  const port = Number(text);
  if (port <= 0 || port > 65535) throw new Error(`invalid port number: ${port}`);
  return port;
}

/** Launches the pack and waits for its port. Rejects, with the pack's stderr, if it exits first. */
export function launchPack(packDir: string, engineAddress: string, stack: StackConfiguration, env: NodeJS.ProcessEnv = process.env): Promise<LaunchedPack> {
  const options = readRuntimeOptions(packDir);
  const runPath = locateRunPolicyPack(packDir);
  const child = spawn(process.execPath, [runPath, ...options.nodeargs, engineAddress, packDir], {
    cwd: packDir,
    env: packEnvironment(env, options, stack),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`the policy pack exited (${signal ?? `code ${code}`}) before printing its port:\n${err}${out}`));
    child.once("exit", onExit);
    child.once("error", reject);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      const before = out;
      out += chunk;
      if (before.includes("\n") || !out.includes("\n")) return;
      child.off("exit", onExit);
      const newline = out.indexOf("\n");
      try {
        const port = parsePort(out.slice(0, newline));
        const rest = () => out.slice(newline + 1);
        resolve({ process: child, port, stderr: () => err, stdout: rest });
      } catch (e) {
        child.kill();
        reject(e);
      }
    });
  });
}
