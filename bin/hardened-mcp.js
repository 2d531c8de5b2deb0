#!/usr/bin/env node
// Installed package: run the compiled CLI. A source checkout without a build: run the TypeScript through tsx.
const path = require("path");
const fs = require("fs");
const compiled = path.join(__dirname, "..", "dist", "cli", "main.js");
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require("tsx/cjs");
  cli = require(path.join(__dirname, "..", "cli", "main.ts"));
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`hardened-mcp: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
