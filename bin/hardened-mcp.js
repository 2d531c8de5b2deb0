#!/usr/bin/env node
// Installed package: run the compiled CLI. A source checkout without a build: run the TypeScript through tsx.
const path = require("path");
const fs = require("fs");
const compiled = path.join(__dirname, "..", "dist", "infra", "cli.js");
if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  require("tsx/cjs");
  require(path.join(__dirname, "..", "infra", "cli.ts"));
}
