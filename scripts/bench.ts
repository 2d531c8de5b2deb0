/**
 * `npm run bench`: the kit's speed and memory figures, each the median of several runs, printed against its
 * target in one table (and written to bench.json). Not a test: timings depend on the machine, so run it on a
 * quiet one. Every program and pack runs in its own process (CPU and peak RSS are that process's own, read by
 * a probe loaded with NODE_OPTIONS), so one measurement's caches and heap never flatter the next.
 *
 *   preview (language host)  the default program launched as the nodejs language host launches it, against
 *                            the engine stand-in (testing/engine), with empty (cold) and warm compile caches
 *   pack start               the policy pack under run-policy-pack, as `pulumi preview --policy-pack` starts it
 *   offline plan             `hardened-mcp plan` for the default stack (wall), and the plan for 1, 10 and 50
 *                            servers made the same way (the program under the launcher, the dev stack's config
 *                            with N servers), from which the marginal CPU and peak RSS of one more server follow
 *   check                    resources per second through every rule on the 50-server plan (median of three
 *                            runs in one process, after the plan is read, as `hardened-mcp check --plan` runs)
 *   gateway policy           what the generated policy adds per request in the emulator (test/emulator/policyCost.ts):
 *                            1 KB, 100 KB and 1 MB request bodies, and results of those sizes with and without
 *                            result screening (no issue target: bounds that catch an order-of-magnitude regression)
 *   attack matrix            the attack matrix and its mutation test (test/emulator/attackMatrix.test.ts): the
 *                            file's own run time as jest reports it (its start and the suite's globalSetup are
 *                            not counted); target from issue 8's suite budget (--skip-tests leaves it out)
 *   npm test                 the whole suite, once (--skip-tests leaves it out)
 *
 * Targets are issue 8's; two are derived from them: the plan for N servers may take the cold preview's 6 CPU-s
 * plus 60 ms per server beyond the default two, and the pack's start (no issue target) the kit's 3 CPU-s.
 *
 * Options: --runs N (default 3), --skip-tests.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackFile } from "../testing/launcher/stackFile";
import { measurePolicyCost, POLICY_COST_SIZES, type PolicyCostSize } from "../test/emulator/policyCost";

const root = path.resolve(__dirname, "..");

/** What one child process used: CPU seconds (user + system) and peak resident memory. */
interface Usage {
  readonly wallS: number;
  readonly cpuS: number;
  readonly rssMiB: number;
}

interface Figure {
  readonly name: string;
  readonly unit: string;
  /** "max" when lower is better, "min" when higher is. */
  readonly bound: "max" | "min";
  readonly target: number;
  readonly value?: number;
  readonly skipped?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A measurement whose path fails is reported as such in the table (and fails the bench), not thrown. */
async function attempt<T>(measure: () => Promise<T> | T): Promise<T | string> {
  try {
    return await measure();
  } catch (err) {
    return `FAILED: ${(err instanceof Error ? err.message : String(err)).split("\n").filter((l) => l.trim()).slice(0, 2).join(" | ")}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// A probe for node processes the bench does not run itself (the CLI, the pack, the program): loaded with
// NODE_OPTIONS=--require, it writes the process's own resource usage to a file when the process ends.

const PROBE = `"use strict";
const fs = require("fs");
const out = process.env.BENCH_USAGE_DIR;
if (out) {
  const write = () => {
    const u = process.resourceUsage();
    fs.writeFileSync(require("path").join(out, process.pid + ".json"), JSON.stringify({ cpuUs: u.userCPUTime + u.systemCPUTime, maxRssKiB: u.maxRSS }));
  };
  process.on("exit", write);
  process.on("SIGTERM", () => process.exit(0));
}
`;

class Probe {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "bench-usage-"));
  private readonly script = path.join(this.dir, "probe.js");

  constructor() {
    writeFileSync(this.script, PROBE);
  }

  /** A fresh usage folder and the environment that makes node processes report into it. */
  env(extra: NodeJS.ProcessEnv = {}): { env: NodeJS.ProcessEnv; read: () => { cpuS: number; rssMiB: number } } {
    const dir = mkdtempSync(path.join(this.dir, "run-"));
    const env = { ...process.env, ...extra, BENCH_USAGE_DIR: dir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${this.script}`.trim() };
    const read = () => {
      const usages = readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { cpuUs: number; maxRssKiB: number });
      if (usages.length === 0) throw new Error("no node process reported its usage");
      // CPU adds up across processes; memory is the largest single process's peak.
      return { cpuS: usages.reduce((n, u) => n + u.cpuUs, 0) / 1e6, rssMiB: Math.max(...usages.map((u) => u.maxRssKiB)) / 1024 };
    };
    return { env, read };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Plans of N servers, the way `hardened-mcp plan` makes them: the default program launched as the language host
// launches it, against the engine stand-in, with the dev stack's config and N servers.

/** The dev stack's config with `count` MCP servers (copies of the two in Pulumi.dev.yaml, renamed). */
function configWithServers(count: number): { config: Record<string, string>; secretKeys: string[] } {
  const { config, secretKeys } = readStackFile(root, "dev", "hardened-mcp");
  const servers = JSON.parse(config["hardened-mcp:servers"]) as { name: string }[];
  const many = Array.from({ length: count }, (_, i) => ({ ...servers[i % servers.length], name: `${servers[i % servers.length].name}-${i}` }));
  return { config: { ...config, "hardened-mcp:servers": JSON.stringify(many) }, secretKeys: [...secretKeys] };
}

interface SizeRun extends Usage {
  readonly resources: number;
  /** Check throughput on this plan (resources per second, median of three runs in one process); 50 servers only. */
  readonly checked?: number;
  readonly resPerS?: number;
}

async function planOfSize(probe: Probe, servers: number, check: boolean): Promise<SizeRun> {
  const { previewProgram } = await import("../testing/engine/previewProgram");
  const { env, read } = probe.env();
  const start = process.hrtime.bigint();
  const { plan, run } = await previewProgram({ dir: root, stack: "dev", mode: "preview", config: configWithServers(servers), env: env as Record<string, string> });
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.problems.length > 0) throw new Error(`the ${servers}-server preview reported problems:\n${run.problems.join("\n")}`);
  const usage = { wallS, ...read(), resources: plan.resources.length };
  if (!check) return usage;
  const { planToJson } = await import("../testing/planFile");
  const { readPlan } = await import("../policies/offline/readers");
  const { runCheck } = await import("../policies/offline/run");
  const { allRules } = await import("../policies/rules");
  const snapshot = readPlan(JSON.parse(planToJson(plan)));
  const samples: number[] = [];
  let checked = 0;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    const report = await runCheck(snapshot, allRules);
    samples.push(Number(process.hrtime.bigint() - t) / 1e9);
    checked = report.summary.resources;
    if (report.errors.length > 0) throw new Error(`check failed: ${report.errors[0].message}`);
  }
  return { ...usage, checked, resPerS: checked / median(samples) };
}

// ---------------------------------------------------------------------------------------------------------
// Measurements.

function timedSpawn(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e9) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${err}`))));
  });
}

/** Seconds the attack-matrix file took in each run, from jest's own report (start to end of the file). */
async function attackMatrixSeconds(runs: number): Promise<number[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-bench-jest-"));
  try {
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const report = path.join(dir, `run-${i}.json`);
      const npx = process.platform === "win32" ? "npx.cmd" : "npx";
      await timedSpawn(npx, ["jest", "--json", `--outputFile=${report}`, "test/emulator/attackMatrix.test.ts"], process.env);
      const file = (JSON.parse(readFileSync(report, "utf8")) as { testResults: { startTime: number; endTime: number }[] }).testResults[0]!;
      out.push((file.endTime - file.startTime) / 1000);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function offlinePlanWall(probe: Probe, runs: number): Promise<Usage[]> {
  const out: Usage[] = [];
  for (let i = 0; i < runs; i++) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
    const { env, read } = probe.env();
    const wallS = await timedSpawn(process.execPath, [path.join(root, "bin/hardened-mcp.js"), "plan", "--quiet", "--out", path.join(tmp, "plan.json")], env);
    out.push({ wallS, ...read() });
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** The program's preview through the engine stand-in, when this checkout has it (testing/engine). */
type RunProgram = (o: { dir: string; mode: "preview" | "up"; env?: Record<string, string | undefined> }) => Promise<{ problems: string[] }>;

async function loadRunProgram(): Promise<RunProgram | string> {
  try {
    // A computed path: this checkout may not have the stand-in yet, and then the figure says so.
    const mod = (await import(path.join(root, "testing/engine/runProgram"))) as { runProgram?: RunProgram };
    return typeof mod.runProgram === "function" ? mod.runProgram : "testing/engine/runProgram has no runProgram()";
  } catch (err) {
    return `the engine stand-in (testing/engine/runProgram) is not in this checkout (${(err as Error).message.split("\n")[0]})`;
  }
}

async function previews(probe: Probe, runs: number): Promise<{ cold: Usage[]; warm: Usage[] } | string> {
  const runProgram = await loadRunProgram();
  if (typeof runProgram === "string") return runProgram;
  const cold: Usage[] = [];
  const warm: Usage[] = [];
  for (let i = 0; i < runs; i++) {
    // A fresh temp directory holds every compile cache (ts-node's, tsx's): the first run in it is cold.
    const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-preview-"));
    for (const into of [cold, warm]) {
      const { env, read } = probe.env({ TMPDIR: tmp, TS_NODE_CACHE_DIRECTORY: path.join(tmp, "ts-node") });
      const start = process.hrtime.bigint();
      const run = await runProgram({ dir: root, mode: "preview", env: env as Record<string, string> });
      if (run.problems.length > 0) throw new Error(`the preview reported problems:\n${run.problems.join("\n")}`);
      into.push({ wallS: Number(process.hrtime.bigint() - start) / 1e9, ...read() });
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return { cold, warm };
}

async function packStarts(probe: Probe, runs: number): Promise<Usage[] | string> {
  const { preparePackFolder, PackSession } = await import("../testing/analyzer");
  const folder = preparePackFolder();
  const out: Usage[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const { env, read } = probe.env();
      const start = process.hrtime.bigint();
      const session = await PackSession.start(folder.dir, { organization: "organization", project: "hardened-mcp", stack: "dev", dryRun: true, config: {} }, undefined, env);
      const wallS = Number(process.hrtime.bigint() - start) / 1e9;
      await session.stop();
      out.push({ wallS, ...read() });
    }
  } finally {
    folder.dispose();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

/** The figure's value, or why there is none (a measurement's failure, or a path this checkout lacks). */
function result<T>(measured: T | string, value: (m: T) => number): { value?: number; skipped?: string } {
  return typeof measured === "string" ? { skipped: measured } : { value: value(measured) };
}

function print(figures: Figure[]): number {
  const width = Math.max(...figures.map((f) => f.name.length));
  let over = 0;
  for (const f of figures) {
    const target = `target ${f.bound === "max" ? "<=" : ">="} ${Number(f.target.toFixed(2))} ${f.unit}`;
    if (f.value === undefined) {
      console.log(`${f.name.padEnd(width)}  ${"-".padStart(9)} ${f.unit.padEnd(6)} ${target.padEnd(24)} not measured: ${f.skipped}`);
      continue;
    }
    const ok = f.bound === "max" ? f.value <= f.target : f.value >= f.target;
    if (!ok) over++;
    const digits = f.value >= 100 ? 0 : f.value >= 10 ? 1 : 2;
    console.log(`${f.name.padEnd(width)}  ${f.value.toFixed(digits).padStart(9)} ${f.unit.padEnd(6)} ${target.padEnd(24)} ${ok ? "ok" : "OVER"}`);
  }
  return over;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a whole number >= 1");
  const probe = new Probe();
  const figures: Figure[] = [];
  const m = (xs: readonly Usage[], k: keyof Usage) => median(xs.map((x) => x[k]));
  try {
    console.log(`npm run bench: medians of ${runs} run(s), load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores\n`);

    const preview = await attempt(() => previews(probe, runs));
    for (const kind of ["cold", "warm"] as const) {
      figures.push({ name: `preview, language host, ${kind}: CPU`, unit: "CPU-s", bound: "max", target: 6, ...result(preview, (p) => m(p[kind], "cpuS")) });
      figures.push({ name: `preview, language host, ${kind}: peak RSS`, unit: "MiB", bound: "max", target: 500, ...result(preview, (p) => m(p[kind], "rssMiB")) });
    }

    const pack = await attempt(() => packStarts(probe, runs));
    figures.push({ name: "pack start under run-policy-pack: CPU", unit: "CPU-s", bound: "max", target: 3, ...result(pack, (p) => m(p, "cpuS")) });

    const plan = await attempt(() => offlinePlanWall(probe, runs));
    figures.push({ name: "hardened-mcp plan, default stack: wall", unit: "s", bound: "max", target: 2.5, ...result(plan, (u) => m(u, "wallS")) });

    const sizes = await attempt(async () => {
      const out = new Map<number, SizeRun[]>();
      for (const n of [1, 10, 50]) {
        const list: SizeRun[] = [];
        for (let i = 0; i < runs; i++) list.push(await planOfSize(probe, n, n === 50));
        out.set(n, list);
      }
      return out;
    });
    const med = (n: number, k: keyof SizeRun) => (typeof sizes === "string" ? NaN : median((sizes.get(n) as SizeRun[]).map((r) => Number(r[k]))));
    const of = (value: () => number) => result(sizes, value);
    for (const n of [1, 10, 50]) {
      figures.push({ name: `offline plan, ${n} server(s): CPU (${med(n, "resources")} resources)`, unit: "CPU-s", bound: "max", target: 6 + 0.06 * (n - 2), ...of(() => med(n, "cpuS")) });
    }
    figures.push({ name: "offline plan, marginal CPU per server", unit: "ms", bound: "max", target: 60, ...of(() => ((med(50, "cpuS") - med(1, "cpuS")) / 49) * 1000) });
    figures.push({ name: "offline plan, marginal peak RSS per server", unit: "MiB", bound: "max", target: 4, ...of(() => (med(50, "rssMiB") - med(1, "rssMiB")) / 49) });
    figures.push({ name: `check throughput, 50-server plan (${med(50, "checked")} resources)`, unit: "res/s", bound: "min", target: 2000, ...of(() => med(50, "resPerS")) });

    const cost = await attempt(() => measurePolicyCost(Math.max(runs, 5)));
    const bounds: Record<PolicyCostSize, [number, number, number]> = { "1 KB": [100, 100, 100], "100 KB": [250, 300, 250], "1 MB": [1000, 2000, 500] };
    for (const size of Object.keys(POLICY_COST_SIZES) as PolicyCostSize[]) {
      const [request, screened, unscreened] = bounds[size];
      figures.push({ name: `gateway policy (emulator), ${size} request body`, unit: "ms", bound: "max", target: request, ...result(cost, (c) => c.requestBody[size]) });
      figures.push({ name: `gateway policy (emulator), ${size} result, screened`, unit: "ms", bound: "max", target: screened, ...result(cost, (c) => c.result.screened[size]) });
      figures.push({ name: `gateway policy (emulator), ${size} result, unscreened`, unit: "ms", bound: "max", target: unscreened, ...result(cost, (c) => c.result.unscreened[size]) });
    }

    const matrixFigure = { name: "attack matrix + mutation test (one jest file)", unit: "s", bound: "max", target: 15 } as const;
    if (argv.includes("--skip-tests")) {
      figures.push({ ...matrixFigure, skipped: "--skip-tests" });
      figures.push({ name: "npm test (whole suite, once)", unit: "s", bound: "max", target: 90, skipped: "--skip-tests" });
    } else {
      const matrix = await attempt(() => attackMatrixSeconds(runs));
      figures.push({ ...matrixFigure, ...result(matrix, (xs) => median(xs)) });
      const npm = process.platform === "win32" ? "npm.cmd" : "npm";
      const suite = await attempt(() => timedSpawn(npm, ["test", "--silent"], process.env));
      figures.push({ name: "npm test (whole suite, once)", unit: "s", bound: "max", target: 90, ...result(suite, (s) => s) });
    }
  } finally {
    probe.dispose();
  }
  console.log("");
  const over = print(figures) + figures.filter((f) => f.skipped?.startsWith("FAILED")).length;
  writeFileSync(path.join(root, "bench.json"), `${JSON.stringify({ loadAverage: os.loadavg()[0], runs, figures }, null, 2)}\n`);
  console.log(over === 0 ? "\nall measured figures within target" : `\n${over} figure(s) over target or failed`);
  if (over > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
