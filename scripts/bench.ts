/**
 * Speed and memory figures for the kit's offline paths, printed against their targets. Not a test:
 * timings vary with the machine; run it on a quiet one (`npm run bench`).
 *
 *   synthesize   the default program under the mock runtime (what `npm run plan` does)
 *   check        every policy rule over that plan, and over the insecure fixture
 *   typecheck    `tsc --noEmit` of the whole tree (what `npm test` runs first)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { synthesizePlan, planToJson } from "../testing/mock/plan";
import { readStackFile } from "../testing/launcher/stackFile";
import { allRules } from "../policies/rules";
import { readPlan, readSnapshotFile } from "../policies/offline/readers";
import { runCheck } from "../policies/offline/run";

const root = path.resolve(__dirname, "..");

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: number;
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ result: T; medianMs: number }> {
  const samples: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    result = await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { result: result as T, medianMs: samples[Math.floor(samples.length / 2)] };
}

function typecheckSeconds(): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", root], {
    cwd: root,
    stdio: "ignore",
  });
  if (run.status !== 0) throw new Error("tsc --noEmit failed; fix the type errors before benchmarking");
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const { config } = readStackFile(root, "dev", "hardened-mcp");

  // The mock runtime is process-global: synthesize once (a second run would register into the same
  // runtime), then time the rules over the result.
  const synth = await timed(1, () => synthesizePlan({ config, stack: "dev" }));
  const plan = synth.result;
  figures.push({ name: "synthesize default plan", value: synth.medianMs / 1000, unit: "s", target: 10 });
  figures.push({ name: "plan file size", value: planToJson(plan).length / 1024, unit: "KiB", target: 2048 });

  const planSnapshot = readPlan(JSON.parse(planToJson(plan)));
  const checkPlan = await timed(5, () => runCheck(planSnapshot, allRules));
  figures.push({ name: `check plan (${plan.resources.length} resources, ${allRules.length} rules)`, value: checkPlan.medianMs, unit: "ms", target: 2000 });

  const insecure = readSnapshotFile("stack-export", path.join(root, "test/fixtures/insecure-stack-export.json"));
  const checkInsecure = await timed(5, () => runCheck(insecure, allRules));
  figures.push({ name: "check insecure fixture", value: checkInsecure.medianMs, unit: "ms", target: 2000 });

  figures.push({ name: "peak RSS of this process", value: process.resourceUsage().maxRSS / 1024, unit: "MiB", target: 1024 });
  if (!process.argv.includes("--skip-typecheck")) {
    figures.push({ name: "tsc --noEmit (whole tree)", value: typecheckSeconds(), unit: "s", target: 30 });
  }

  const width = Math.max(...figures.map((f) => f.name.length));
  let over = 0;
  for (const f of figures) {
    const ok = f.value <= f.target;
    if (!ok) over++;
    console.log(`${f.name.padEnd(width)}  ${f.value.toFixed(1).padStart(8)} ${f.unit.padEnd(4)} target <= ${f.target} ${f.unit}  ${ok ? "ok" : "OVER"}`);
  }
  fs.writeFileSync(path.join(root, "bench.json"), `${JSON.stringify({ figures }, null, 2)}\n`);
  console.log(over === 0 ? "all figures within target" : `${over} figure(s) over target`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
