#!/usr/bin/env node
"use strict";
// `npm test`'s pretest. The gateway tests compile the policy documents' C# expressions with Mono's mcs and run
// them with mono against Newtonsoft.Json (test/support/apim). When they are missing: on Debian or Ubuntu as
// root, install them (what a fresh CI container needs); anywhere else, stop at once with the command to run,
// rather than let ~140 tests fail one by one.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const PACKAGES = ["mono-mcs", "mono-runtime", "libnewtonsoft-json-cil-dev"];

function onPath(command) {
  const names = process.platform === "win32" ? [`${command}.exe`, `${command}.bat`, `${command}.cmd`] : [command];
  return (process.env.PATH || "").split(path.delimiter).some((dir) =>
    names.some((name) => {
      try {
        fs.accessSync(path.join(dir, name), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

/** Where test/support/apim/expressions.ts looks for Newtonsoft.Json.dll. */
function hasNewtonsoft() {
  const inDir = (dir, pattern) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => pattern.test(d)).map((d) => path.join(dir, d, "Newtonsoft.Json.dll")) : [];
  const candidates = [process.env.NEWTONSOFT_JSON_DLL, ...inDir("/usr/lib/mono/gac/Newtonsoft.Json", /^\d/), ...inDir("/usr/lib/cli", /^Newtonsoft\.Json/)];
  return candidates.some((c) => c && fs.existsSync(c));
}

function missingPackages() {
  const missing = [];
  if (!onPath("mcs")) missing.push("mono-mcs");
  if (!onPath("mono")) missing.push("mono-runtime");
  if (!hasNewtonsoft()) missing.push("libnewtonsoft-json-cil-dev");
  return missing;
}

function osRelease() {
  try {
    const text = fs.readFileSync("/etc/os-release", "utf8");
    const field = (k) => (new RegExp(`^${k}="?([^"\\n]*)"?$`, "m").exec(text) || [])[1] || "";
    return { id: field("ID"), like: field("ID_LIKE") };
  } catch {
    return { id: "", like: "" };
  }
}

function stop(lines) {
  process.stderr.write(`npm test needs Mono and Newtonsoft.Json for the gateway tests, and they are not installed.\n${lines.join("\n")}\n`);
  process.exit(1);
}

const missing = missingPackages();
if (missing.length === 0) process.exit(0);

const release = osRelease();
const debianLike = process.platform === "linux" && /(^|\s)(debian|ubuntu)(\s|$)/.test(`${release.id} ${release.like}`) && onPath("apt-get");
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

if (debianLike && isRoot) {
  process.stderr.write(`Installing ${missing.join(" ")} (apt-get) for the gateway tests...\n`);
  // For this script's own test: say what would run, change nothing.
  if (process.env.HARDENED_MCP_ENSURE_DRY_RUN === "1") process.exit(0);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: ["ignore", "ignore", "inherit"], env });
  } catch {
    stop([`apt-get failed; run it yourself: apt-get update && apt-get install -y ${PACKAGES.join(" ")}`]);
  }
  const still = missingPackages();
  if (still.length > 0) stop([`still missing after apt-get: ${still.join(" ")}`]);
  process.exit(0);
}

if (debianLike) stop([`Run:  sudo apt-get update && sudo apt-get install -y ${PACKAGES.join(" ")}`, "then npm test again."]);
if (process.platform === "darwin") {
  stop([
    "Run:  brew install mono",
    "then point the tests at a Newtonsoft.Json assembly (from its NuGet package, lib/net45/Newtonsoft.Json.dll):",
    "      export NEWTONSOFT_JSON_DLL=/path/to/Newtonsoft.Json.dll",
  ]);
}
if (process.platform === "win32") stop(["Run the tests in WSL (Ubuntu): sudo apt-get install -y " + PACKAGES.join(" ")]);
stop([
  "Install Mono (mcs and mono: https://www.mono-project.com/download/stable/) and Newtonsoft.Json,",
  "and set NEWTONSOFT_JSON_DLL to its Newtonsoft.Json.dll if it is not in /usr/lib/mono/gac or /usr/lib/cli.",
  `On Debian or Ubuntu: apt-get install -y ${PACKAGES.join(" ")}`,
]);
