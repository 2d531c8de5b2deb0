"use strict";
// The pack's entry ("main"): run-policy-pack, which `pulumi preview --policy-pack ./policies` starts through the
// nodejs language host, requires this file. `npm install` in this folder compiles the pack into dist/ (the
// "prepare" script), so the engine loads JavaScript instead of type-checking the TypeScript sources on every
// cold start (in a fresh CI container that costs several CPU-seconds more; `npm run bench` measures both).
// A build older than its sources would run stale rules, so then the sources run instead, compiled by the
// ts-node that run-policy-pack registers (type-checked, slower), and stderr says how to get the fast start back.
const fs = require("node:fs");
const path = require("node:path");

const dist = path.join(__dirname, "dist");
const root = path.join(__dirname, "..");

/** Why dist/ cannot be used, or undefined when every compiled file is at least as new as its source. */
function staleReason() {
  if (!fs.existsSync(path.join(dist, "policies", "index.js"))) return "dist/ has not been built";
  const pending = [dist];
  while (pending.length > 0) {
    const dir = pending.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) pending.push(file);
      else if (entry.name.endsWith(".js")) {
        const source = path.join(root, path.relative(dist, file)).replace(/\.js$/, ".ts");
        if (!fs.existsSync(source)) return `${path.relative(root, source)} was removed after the build`;
        if (fs.statSync(source).mtimeMs > fs.statSync(file).mtimeMs) return `${path.relative(root, source)} changed after the build`;
      }
    }
  }
  return undefined;
}

const reason = staleReason();
if (reason === undefined) {
  require("./dist/policies/index.js");
} else {
  console.error(`hardened-mcp-azure policy pack: ${reason}; compiling the TypeScript sources instead (slower). ` +
    `Run \`npm run build\` in ${__dirname} for a fast start.`);
  require("./index.ts");
}
