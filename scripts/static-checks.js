#!/usr/bin/env node
"use strict";
// `npm test`'s first step: `npm run lint` (eslint, then dependency-cruiser) and `npm run typecheck` (tsc) side by
// side. Both are single-threaded and together took ~46 s one after the other on two cores; side by side they take
// as long as the slower one. Each command's output is printed whole when it ends (never interleaved), and the
// step fails when either fails. The commands themselves stay in package.json, so running one alone is the same.
const { spawn } = require("node:child_process");

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"], shell: process.platform === "win32" });
    const out = [];
    child.stdout.on("data", (b) => out.push(b));
    child.stderr.on("data", (b) => out.push(b));
    child.on("error", (err) => resolve({ script, code: 1, output: `${err.message}\n`, seconds: 0 }));
    child.on("close", (code, signal) =>
      resolve({ script, code: code ?? 1, signal, output: Buffer.concat(out).toString("utf8"), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

Promise.all([run("lint"), run("typecheck")]).then((results) => {
  let failed = 0;
  for (const r of results) {
    if (r.output.trim()) process.stdout.write(r.output.endsWith("\n") ? r.output : `${r.output}\n`);
    const status = r.code === 0 ? "ok" : `FAILED (${r.signal ?? `exit ${r.code}`})`;
    console.log(`npm run ${r.script}: ${status} in ${r.seconds.toFixed(1)} s`);
    if (r.code !== 0) failed++;
  }
  process.exitCode = failed > 0 ? 1 : 0;
});
