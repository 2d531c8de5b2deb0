import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../infra/config/errors";
import { countByType, planToJson, renderPlanTree, synthesizePlan } from "../testing/mock/plan";
import { readStackFile } from "../testing/launcher/stackFile";

const usage = `usage: hardened-mcp plan [--stack dev] [--out plan.json] [--dir .] [--quiet]
  Runs the default program offline (Pulumi mock runtime, no Azure, no Pulumi CLI) with the config
  of Pulumi.<stack>.yaml, prints the resource tree and a count by type, and writes the plan file.
  --stack   stack whose Pulumi.<stack>.yaml is read (default: dev)
  --out     plan file to write (default: plan.json)
  --dir     directory holding Pulumi.yaml and the stack files (default: current directory)
  --quiet   print only the summary line
Exit status: 0 planned, 1 the stack config is invalid (nothing planned), 2 usage or file errors.`;

/** The project name from Pulumi.yaml (`name:`), which is also the config namespace. */
export function projectName(dir: string): string {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) return "hardened-mcp";
  const match = /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(file, "utf8"));
  return match?.[1] ?? "hardened-mcp";
}

/** `hardened-mcp plan`: returns the process exit status. */
export async function runPlanCommand(argv: string[]): Promise<number> {
  let values: { stack?: string; out?: string; dir?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        out: { type: "string", short: "o" },
        dir: { type: "string" },
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
  const dir = values.dir ?? process.cwd();
  const out = values.out ?? "plan.json";
  const project = projectName(dir);

  let config: Record<string, string>;
  let file: string;
  try {
    ({ config, file } = readStackFile(dir, stack, project));
  } catch (err) {
    console.error(`hardened-mcp plan: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }

  let plan;
  try {
    plan = await synthesizePlan({ stack, project, config });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`hardened-mcp plan: ${file}: ${err.message}`);
      return 1;
    }
    throw err;
  }

  fs.writeFileSync(out, planToJson(plan));
  const counts = countByType(plan);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  if (!values.quiet) {
    console.log(renderPlanTree(plan));
    console.log("\nResources by type:");
    const width = Math.max(...counts.map(([t]) => t.length));
    for (const [type, count] of counts) console.log(`  ${type.padEnd(width)}  ${count}`);
  }
  console.log(`\n${total} resources in ${plan.resources.length - total} components planned for ${project}/${stack}; wrote ${out}.`);
  return 0;
}
