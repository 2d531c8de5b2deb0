import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseArgs } from "util";
import { previewProgram } from "../testing/engine/previewProgram";
import type { ProgramRun } from "../testing/engine/runProgram";
import { PulumiProject, readProject } from "../testing/launcher/project";
import { projectName, readStackFile } from "../testing/launcher/stackFile";
import { countByType, Plan, planToJson, renderPlanTree } from "../testing/planFile";
import { parsePlatformConfig } from "../infra/config/parse";
import { rawPlatformConfig } from "../infra/config/stackConfig";
import { blindChecks } from "./blindChecks";
import { renderPlanSummary, summarizePlan } from "./planSummary";

const usage = `usage: hardened-mcp plan [--stack dev] [--out plan.json] [--dir .] [--program DIR] [--up] [--quiet]
  Runs the program as \`pulumi preview\` does (launched as the Pulumi CLI's nodejs language host
  launches it, against a local stand-in for the engine: no Azure, no Pulumi CLI) with the config of
  Pulumi.<stack>.yaml, prints the resource tree, a count by type and the policy checks the preview
  leaves blind, and writes the plan file (the engine's URNs; values unknown until apply as Pulumi
  marks them).
  --stack    stack whose Pulumi.<stack>.yaml is read (default: dev)
  --out      plan file to write (default: plan.json)
  --dir      directory holding the stack files, for the kit's default program (default: current directory)
  --program  your own stack's directory (Pulumi.yaml, Pulumi.<stack>.yaml) instead of the default program
  --up       plan as \`pulumi up\` would run it (ids and computed outputs made up) instead of a preview
  --quiet    print only the summary
Exit status: 0 planned, 1 the program failed (e.g. an invalid stack config; nothing planned), 2 usage or file errors.`;

export { projectName };

/**
 * The kit's default program as a project rooted at `dir` (where the stack files are): in a source
 * checkout infra/main.ts with the runtime options of the kit's Pulumi.yaml; installed, the compiled
 * dist/infra/main.js, plain JavaScript.
 */
function defaultProgram(dir: string): PulumiProject {
  const kit = path.resolve(__dirname, "..");
  const source = path.join(kit, "infra", "main.ts");
  const root = path.resolve(dir);
  if (fs.existsSync(source) && fs.existsSync(path.join(kit, "Pulumi.yaml"))) {
    return { root, name: projectName(dir), main: source, options: readProject(kit).options };
  }
  return { root, name: projectName(dir), main: path.join(kit, "infra", "main.js"), options: { typescript: false } };
}

function printPlan(plan: Plan, quiet: boolean): number {
  const counts = countByType(plan);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  if (!quiet) {
    console.log(renderPlanTree(plan));
    console.log("\nResources by type:");
    const width = Math.max(...counts.map(([t]) => t.length));
    for (const [type, count] of counts) console.log(`  ${type.padEnd(width)}  ${count}`);
  }
  return total;
}

/**
 * The Pulumi ESC environments a stack file imports (`environment:`). Only the Pulumi CLI can open them, so the
 * offline plan runs without their values: said once, as a warning, instead of planning silently without them.
 */
export function escImports(file: string): string[] {
  try {
    const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { environment?: unknown } | null;
    const env = doc?.environment;
    if (typeof env === "string") return [env];
    if (Array.isArray(env)) return env.map((e) => (typeof e === "string" ? e : JSON.stringify(e)));
    return env !== undefined && env !== null ? [JSON.stringify(env)] : [];
  } catch {
    return []; // readStackFile reports unreadable files
  }
}

/** What the program logged at warning and error, and what the stand-in refused. */
function report(run: ProgramRun, file: string): { errors: string[]; warnings: string[] } {
  const errors = run.deployment.logs.filter((l) => l.severity === "error").map((l) => `${file}: ${l.message}`);
  const warnings = run.deployment.logs.filter((l) => l.severity === "warning").map((l) => l.message);
  errors.push(...run.deployment.failures.map((f) => `engine stand-in: ${f}`));
  if (errors.length === 0 && run.launch.exitCode !== 0) errors.push(`the program exited with ${run.launch.exitCode ?? run.launch.signal}:\n${run.launch.stderr.trim()}`);
  return { errors, warnings };
}

/** `hardened-mcp plan`: returns the process exit status. */
export async function runPlanCommand(argv: string[]): Promise<number> {
  let values: { stack?: string; out?: string; dir?: string; program?: string; up?: boolean; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        out: { type: "string", short: "o" },
        dir: { type: "string" },
        program: { type: "string" },
        up: { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`hardened-mcp plan: ${err instanceof Error ? err.message : String(err)}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const stack = values.stack ?? "dev";
  const out = values.out ?? "plan.json";
  const dir = path.resolve(values.program ?? values.dir ?? process.cwd());

  let project: PulumiProject;
  let config: ReturnType<typeof readStackFile>;
  try {
    project = values.program ? readProject(dir) : defaultProgram(dir);
    config = readStackFile(dir, stack, project.name);
  } catch (err) {
    console.error(`hardened-mcp plan: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }

  const esc = escImports(config.file);
  if (esc.length > 0) {
    console.error(
      `hardened-mcp plan: warning: ${path.basename(config.file)} imports the Pulumi ESC environment${esc.length === 1 ? "" : "s"} ${esc.join(", ")}, ` +
        "which only the Pulumi CLI can open: this plan runs without the values they provide (settings from them are missing). " +
        "Run `pulumi preview` for the real values, or put the non-secret ones in the stack file for the offline plan.",
    );
  }
  const { plan, run } = await previewProgram({ dir, project, stack, mode: values.up ? "up" : "preview", config });
  const { errors, warnings } = report(run, config.file);
  for (const w of warnings) console.error(`hardened-mcp plan: warning: ${w}`);
  if (errors.length > 0) {
    for (const e of errors) console.error(`hardened-mcp plan: ${e}`);
    return 1;
  }

  // The default program's settings, validated as the program validated them (it just did, so this cannot fail).
  const settings = values.program ? undefined : { settings: parsePlatformConfig(rawPlatformConfig(config.config, project.name), { project: project.name, stack }), namespace: project.name };
  const summary = summarizePlan(plan, settings);
  fs.writeFileSync(out, planToJson({ ...plan, summary } as Plan));
  const total = printPlan(plan, values.quiet === true);
  const blind = await blindChecks(plan);
  if (blind.length > 0) {
    console.log(`\n${blind.length} policy check(s) cannot run on this ${values.up ? "plan" : "preview"} (a value they read is unknown until apply; never counted as passed):`);
    for (const b of blind) console.log(`  ${b.policy} (${b.resources} resource${b.resources === 1 ? "" : "s"}): ${b.reason}`);
  }
  console.log(`\n${renderPlanSummary(summary, values.quiet !== true)}`);
  const components = plan.resources.length - total;
  console.log(`\n${total} resources in ${components} components planned for ${project.name}/${stack}; ${blind.length} policy checks blind; wrote ${out}.`);
  return 0;
}
