import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { configurePolicies, parsePolicyPackConfig, type HardenedMcpPolicyConfig } from "../config";
import { allRules } from "../rules";
import type { Rule } from "../rules/types";
import { formatJson, formatRulesJson } from "./format/json";
import { formatSarif, type SarifOptions } from "./format/sarif";
import { formatRulesTable, formatTable } from "./format/table";
import { InputError, readJsonFile, readSnapshotFile } from "./readers";
import { exitCodeOf, ruleInfo, runCheck } from "./run";
import { isCheckable, type Snapshot, type SnapshotFormat } from "./snapshot";

export const checkUsage = `usage: hardened-mcp check (--plan FILE | --preview FILE | --stack-export FILE) [options]
       hardened-mcp check --list-rules [--format table|json] [--config FILE]

Runs the policy pack's rules (the same objects \`pulumi preview --policy-pack ./policies\` runs) without the
Pulumi CLI, on one of:
  --plan FILE           the kit's offline plan (hardened-mcp plan --out FILE)
  --preview FILE        the output of \`pulumi preview --json --show-sames\`
  --stack-export FILE   the output of \`pulumi stack export\`

options:
  --format F            table (default), json or sarif (SARIF 2.1.0, for code scanning)
  --config FILE         policy pack config: the JSON \`pulumi preview --policy-pack-config\` takes
                        ({ "all": level, "<rule>": level | { enforcementLevel, ...options, exemptions } })
  --output FILE, -o     write the report to FILE instead of stdout
  --list-rules          list the rules (with --config: at their configured levels) and exit
  --help, -h            show this help

exit status: 0 no mandatory violation; 1 a mandatory violation remains; 2 bad usage, unreadable or invalid
input, or a rule that failed to run.`;

/** Bad usage: one line on stderr, exit 2. */
class UsageError extends Error {}

type Format = "table" | "json" | "sarif";

interface CheckOptions {
  readonly source?: { format: SnapshotFormat; file: string };
  readonly format: Format;
  readonly config?: string;
  readonly output?: string;
  readonly listRules: boolean;
  readonly help: boolean;
}

const optionSpec = {
  plan: { type: "string" },
  preview: { type: "string" },
  "stack-export": { type: "string" },
  format: { type: "string", default: "table" },
  config: { type: "string" },
  output: { type: "string", short: "o" },
  "list-rules": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

function parseCheckArgs(argv: string[]): CheckOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]);
  }
  const v = parsed.values;
  const format = v.format ?? "table";
  if (format !== "table" && format !== "json" && format !== "sarif") throw new UsageError(`--format must be table, json or sarif, not "${format}".`);
  const sources = (["plan", "preview", "stack-export"] as const).filter((k) => v[k] !== undefined);
  if (sources.length > 1) throw new UsageError(`give one input, not ${sources.map((s) => `--${s}`).join(" and ")}.`);
  const listRules = v["list-rules"] === true;
  const help = v.help === true;
  if (!help && !listRules && sources.length === 0) throw new UsageError("give an input: --plan FILE, --preview FILE or --stack-export FILE (see --help).");
  if (listRules && format === "sarif") throw new UsageError("--list-rules prints a table or json, not sarif.");
  return {
    source: sources.length === 1 ? { format: sources[0], file: v[sources[0]] as string } : undefined,
    format,
    config: v.config,
    output: v.output,
    listRules,
    help,
  };
}

function loadConfig(file: string | undefined, rules: readonly Rule[]): HardenedMcpPolicyConfig {
  if (file === undefined) return {};
  const json = readJsonFile(file, "--config file");
  try {
    return parsePolicyPackConfig(json, rules);
  } catch (err) {
    throw new InputError(`--config ${file}: ${(err as Error).message}`);
  }
}

/** The first line each URN appears on as a `"urn"` value, for SARIF regions. */
function urnLines(file: string): (urn: string) => number | undefined {
  const lines = new Map<string, number>();
  try {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const match = /"urn"\s*:\s*"([^"]+)"/.exec(line);
        if (match && !lines.has(match[1])) lines.set(match[1], i + 1);
      });
  } catch {
    // Locations are a convenience; the report stands without them.
  }
  return (urn) => lines.get(urn);
}

/** What to run to get resources into each kind of input. */
const EMPTY_FIX: Record<SnapshotFormat, string> = {
  plan: "the program registered nothing: check `hardened-mcp plan`'s output for errors and plan again",
  preview: "run `pulumi preview --json --show-sames` on a stack whose program declares resources",
  "stack-export": "the stack has no resources (never deployed, or destroyed): check its preview instead (`--preview`)",
};

/** A check of nothing would pass vacuously: zero resources to check is refused as unusable input. */
function refuseEmpty(snapshot: Snapshot, file: string): void {
  if (snapshot.resources.some(isCheckable)) return;
  throw new InputError(`${file} holds no resources to check, so no rule can pass or fail (a pass here would mean nothing); ${EMPTY_FIX[snapshot.format]}.`);
}

/**
 * Where SARIF results point: the stack's `Pulumi.<stack>.yaml` when it is in the working directory (a file the
 * repository has, unlike a generated plan or preview, so code scanning can show it), else the input file.
 */
function sarifArtifact(snapshot: Snapshot, file: string): Pick<SarifOptions, "artifact" | "lineOf" | "category"> {
  const category = snapshot.project && snapshot.stack ? `${snapshot.project}/${snapshot.stack}` : path.basename(file);
  const stackFile = snapshot.stack ? `Pulumi.${snapshot.stack}.yaml` : undefined;
  if (stackFile && existsSync(stackFile)) return { artifact: stackFile, category };
  return { artifact: path.relative(process.cwd(), path.resolve(file)).split(path.sep).join("/"), lineOf: urnLines(file), category };
}

function kitVersion(): string | undefined {
  for (const candidate of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, candidate), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "hardened-mcp-azure") return pkg.version;
    } catch {
      // try the next layout (source tree vs dist/)
    }
  }
  return undefined;
}

function emit(text: string, output: string | undefined): void {
  if (output === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(output, text);
  } catch (err) {
    throw new InputError(`cannot write --output ${output} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
}

/**
 * `hardened-mcp check`: reads a plan, preview or stack export, runs the rules, prints the report. Returns the
 * exit code; never throws for bad input (a one-line message on stderr and 2 instead).
 */
export async function runCheckCommand(argv: string[], rules: readonly Rule[] = allRules): Promise<number> {
  try {
    const options = parseCheckArgs(argv);
    if (options.help) {
      process.stdout.write(`${checkUsage}\n`);
      return 0;
    }
    const config = loadConfig(options.config, rules);
    if (options.listRules) {
      const infos = configurePolicies(rules, config).map(ruleInfo);
      emit(options.format === "json" ? formatRulesJson(infos) : formatRulesTable(infos), options.output);
      return 0;
    }
    const source = options.source as { format: SnapshotFormat; file: string };
    const snapshot = readSnapshotFile(source.format, source.file);
    refuseEmpty(snapshot, source.file);
    for (const w of snapshot.warnings ?? []) process.stderr.write(`hardened-mcp check: warning: ${w}\n`);
    const report = await runCheck(snapshot, rules, config);
    const text =
      options.format === "json"
        ? formatJson(report)
        : options.format === "sarif"
          ? formatSarif(report, { ...sarifArtifact(snapshot, source.file), toolVersion: kitVersion() })
          : formatTable(report);
    emit(text, options.output);
    for (const e of report.errors) process.stderr.write(`hardened-mcp check: rule ${e.policy} failed${e.urn ? ` on ${e.urn}` : ""}: ${e.message}\n`);
    return exitCodeOf(report);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) {
      process.stderr.write(`hardened-mcp check: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
