/**
 * Starts a Pulumi program exactly as the nodejs language host does (pulumi/pulumi
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go: Run, execRuntime, constructArguments, constructConfig):
 *   node [nodeargs] <@pulumi/pulumi/cmd/run, resolved from the program directory>
 *     --monitor <addr> --engine <addr> --sync <dir> --organization <org> --project <name>
 *     --root-directory <root> --stack <stack> --pwd <program dir> [--dry-run] --parallel <n> <entry>
 * with the parent's environment plus PULUMI_CONFIG (keys as `<namespace>:config:<name>`),
 * PULUMI_CONFIG_SECRET_KEYS, and PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH from the
 * Pulumi.yaml runtime options. The host sets no TS_NODE_* variables; run.js configures ts-node itself.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PulumiProject, pwdAndMain, readProject, splitArgs } from "./project";
import { readStackFile } from "./stackFile";

export interface LaunchOptions {
  /** The project directory (holding Pulumi.yaml and the stack files). */
  readonly dir: string;
  /** The project as Pulumi.yaml would describe it. @default read from dir/Pulumi.yaml */
  readonly project?: PulumiProject;
  readonly stack: string;
  /** `pulumi preview` passes --dry-run; `pulumi up` does not. */
  readonly preview: boolean;
  readonly monitorAddress: string;
  readonly engineAddress: string;
  /** Stack config `{ "ns:key": value }` and its secret keys. @default read from Pulumi.<stack>.yaml in dir */
  readonly config?: { readonly config: Record<string, string>; readonly secretKeys: readonly string[] };
  /** @default "organization" (what the DIY backend passes) */
  readonly organization?: string;
  /** @default 4 x cores, the CLI's default (pkg/cmd/pulumi/operations/up.go defaultParallel) */
  readonly parallel?: number;
  /** Variables added to (or, when undefined, removed from) the inherited environment. */
  readonly env?: Record<string, string | undefined>;
  /** Kills the program after this long. @default 600000 */
  readonly timeoutMs?: number;
}

export interface Launch {
  /** The node arguments, exactly as spawned (after the node binary). */
  readonly args: string[];
  /**
   * The working directory of the spawned program: the language host's own, which the CLI starts in
   * the program directory (pkg/host/host.go NewLanguageRuntime with ctx.Pwd; plugin.go cmd.Dir = pwd).
   * A loader in nodeargs (tsx) finds its tsconfig.json here, before run.js chdirs to --pwd.
   */
  readonly cwd: string;
  /** The variables the host adds to its environment. */
  readonly env: Record<string, string>;
}

export interface LaunchResult extends Launch {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The host's config encoding: `ns:key` becomes `ns:config:key` (constructConfig). */
export function encodeConfig(config: Record<string, string>): string {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const at = key.indexOf(":");
    if (at <= 0) throw new Error(`config key "${key}" has no namespace (expected <namespace>:<name>)`);
    out[`${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
  }
  return JSON.stringify(out);
}

/** Resolves the run module from the program directory, as the host's locateModule does (node -e require.resolve). */
export function locateRunModule(programDir: string): string {
  const mod = process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run";
  const script = `try { console.log(require.resolve(${JSON.stringify(mod)})); } catch (error) { if (error.code === "MODULE_NOT_FOUND") { console.error("It looks like the Pulumi SDK has not been installed. Have you run pulumi install?"); } else { console.error(error.message); } process.exit(1); }`;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: programDir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr.trim() || `could not resolve ${mod} from ${programDir}`);
  return result.stdout.trim();
}

/** The command line and environment the host would use, without starting anything. */
export function prepareLaunch(options: LaunchOptions): Launch {
  const project = options.project ?? readProject(options.dir);
  const { pwd, main } = pwdAndMain(project.root, project.main);
  const { config, secretKeys } = options.config ?? readStackFile(project.root, options.stack, project.name);
  const env: Record<string, string> = {
    PULUMI_CONFIG: encodeConfig(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify([...secretKeys]),
  };
  if (project.options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (project.options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = project.options.tsconfig;
  const syncDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-sync-"));
  const flag = (name: string, value: string | undefined) => (value ? [`--${name}`, value] : []);
  const args = [
    ...splitArgs(project.options.nodeargs ?? ""),
    locateRunModule(pwd),
    ...flag("monitor", options.monitorAddress),
    ...flag("engine", options.engineAddress),
    // The host's pipes for synchronous invokes; @pulumi/pulumi 3.248 never opens them (settings.ts
    // tryGetSyncInvokes has no caller), so an empty directory stands in and any use fails loudly.
    ...flag("sync", syncDir),
    ...flag("organization", options.organization ?? "organization"),
    ...flag("project", project.name),
    ...flag("root-directory", project.root),
    ...flag("stack", options.stack),
    ...flag("pwd", pwd),
    ...(options.preview ? ["--dry-run"] : []),
    ...flag("parallel", String(options.parallel ?? os.cpus().length * 4)),
    main,
  ];
  return { args, cwd: pwd, env };
}

/** Runs the program to completion and returns its exit status and output. */
export function launchProgram(options: LaunchOptions): Promise<LaunchResult> {
  const launch = prepareLaunch(options);
  const env: Record<string, string | undefined> = { ...process.env, ...launch.env, ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, launch.args, { cwd: launch.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      const syncDir = launch.args[launch.args.indexOf("--sync") + 1];
      fs.rmSync(syncDir, { recursive: true, force: true });
      resolve({ ...launch, exitCode, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}
