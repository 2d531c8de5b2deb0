import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * A policy pack folder as `npm install` leaves it, ready for `pulumi preview --policy-pack DIR`.
 *
 * - "npm": a copy of policies/ and a real `npm install` in it (the registry, ~20-60 s): what a pipeline does.
 * - "hermetic": a copy whose node_modules is the project's own (same packages, resolved by the project's
 *   lock file instead of afresh), then the pack's own `prepare` script, which is the part of `npm install`
 *   that matters for how the pack starts. No network, and cached by content in the temp directory, so
 *   test runs pay the pack's compile once. Tests use this; the bench and CI can ask for "npm".
 */
export type PackInstall = "hermetic" | "npm";

export interface PackFolderOptions {
  readonly install?: PackInstall;
  /** The checkout the pack comes from. @default the repository this file is in */
  readonly repoRoot?: string;
}

export interface PackFolder {
  /** The folder holding PulumiPolicy.yaml: what `--policy-pack` names. */
  readonly dir: string;
  readonly install: PackInstall;
  /** Removes a temporary copy ("npm"); the hermetic cache stays for the next run. */
  dispose(): void;
}

const REPO = path.resolve(__dirname, "../..");
/** Folders next to policies/ that the pack's build may import (rootDir is the repository root). */
const SHARED = ["baseline"];
const SKIP = new Set(["node_modules", "dist"]);

/** The files that make up the pack's build, relative to the repository root, in a stable order. */
function sourceFiles(repoRoot: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  for (const top of ["policies", ...SHARED]) if (existsSync(path.join(repoRoot, top))) walk(top);
  return out.sort();
}

function copySources(repoRoot: string, into: string, files: readonly string[]): void {
  for (const rel of files) {
    mkdirSync(path.dirname(path.join(into, rel)), { recursive: true });
    cpSync(path.join(repoRoot, rel), path.join(into, rel));
  }
}

function run(command: string, args: readonly string[], cwd: string): void {
  try {
    execFileSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${command} ${args.join(" ")}\` failed in ${cwd}:\n${e.stderr || e.stdout || e.message}`);
  }
}

function hermetic(repoRoot: string): PackFolder {
  const files = sourceFiles(repoRoot);
  const hash = createHash("sha256");
  for (const rel of files) hash.update(rel).update("\0").update(readFileSync(path.join(repoRoot, rel))).update("\0");
  // The installed packages are part of the build's input, and the copy links to this checkout's node_modules.
  hash.update(readFileSync(path.join(repoRoot, "package-lock.json"))).update(repoRoot);
  // Not under node_modules/: TypeScript takes files on such a path for library files and does not emit them.
  const cache = path.join(os.tmpdir(), "hardened-mcp-pack");
  const final = path.join(cache, hash.digest("hex").slice(0, 16));
  if (!existsSync(path.join(final, "policies", "dist", "policies", "index.js"))) {
    mkdirSync(cache, { recursive: true });
    const staging = mkdtempSync(path.join(cache, "staging-"));
    try {
      copySources(repoRoot, staging, files);
      symlinkSync(path.join(repoRoot, "node_modules"), path.join(staging, "policies", "node_modules"), "dir");
      run("npm", ["run", "--silent", "prepare"], path.join(staging, "policies"));
      try {
        renameSync(staging, final);
      } catch {
        // Another jest worker finished the same build first: use theirs.
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { dir: path.join(final, "policies"), install: "hermetic", dispose: () => {} };
}

function npmInstall(repoRoot: string): PackFolder {
  const root = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-pack-"));
  copySources(repoRoot, root, sourceFiles(repoRoot));
  const dir = path.join(root, "policies");
  run("npm", ["install", "--no-audit", "--no-fund"], dir);
  return { dir, install: "npm", dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Prepares the pack folder; the kind of install comes from options, else HARDENED_MCP_PACK_INSTALL. */
export function preparePackFolder(options: PackFolderOptions = {}): PackFolder {
  const repoRoot = options.repoRoot ?? REPO;
  const requested = options.install ?? process.env.HARDENED_MCP_PACK_INSTALL ?? "hermetic";
  if (requested !== "hermetic" && requested !== "npm") {
    throw new Error(`HARDENED_MCP_PACK_INSTALL must be "hermetic" or "npm", not "${requested}".`);
  }
  return requested === "npm" ? npmInstall(repoRoot) : hermetic(repoRoot);
}
