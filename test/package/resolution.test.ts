import * as ts from "typescript";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * `hardened-mcp-azure`, `/policies` and `/testing` resolve for a TypeScript consumer under every module
 * resolution mode: node10 (the `pulumi policy new` template's `moduleResolution: node`) reads `typesVersions`,
 * node16, nodenext and bundler read `exports`. The consumer is type-checked by the TypeScript compiler (in
 * process, one program per mode, the standard library parsed once) against the real package.json; each declaration
 * file the package points at is a stub naming its own path, so the check proves which file each import reaches
 * (and stays cheap: no build).
 */
const root = path.resolve(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  exports: Record<string, string | { types?: string; default?: string }>;
  typesVersions?: Record<string, Record<string, string[]>>;
};

/** The declaration file each entry point must reach, as the package is built (tsconfig.build.json -> dist/). */
const ENTRIES = {
  "hardened-mcp-azure": "dist/infra/index.d.ts",
  "hardened-mcp-azure/policies": "dist/policies/api.d.ts",
  "hardened-mcp-azure/testing": "dist/testing/index.d.ts",
} as const;

const MODES = {
  node10: { module: "commonjs", moduleResolution: "node10" },
  node16: { module: "node16", moduleResolution: "node16" },
  nodenext: { module: "nodenext", moduleResolution: "nodenext" },
  bundler: { module: "esnext", moduleResolution: "bundler" },
} as const;

/** A consumer project with the package installed as stubs; returns the folder. */
function consumer(packageJson: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hardened-mcp-resolution-"));
  const installed = path.join(dir, "node_modules", "hardened-mcp-azure");
  for (const file of Object.values(ENTRIES)) {
    mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
    writeFileSync(path.join(installed, file), `export declare const entry: "${file}";\n`);
  }
  writeFileSync(path.join(installed, "package.json"), JSON.stringify(packageJson));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const lines = Object.entries(ENTRIES).flatMap(([specifier, file], i) => [
    `import { entry as e${i} } from "${specifier}";`,
    `export const check${i}: "${file}" = e${i};`,
  ]);
  writeFileSync(path.join(dir, "index.ts"), `${lines.join("\n")}\n`);
  return dir;
}

/** Parsed standard-library files, shared by every program (they are most of a tiny program's cost). */
const libFiles = new Map<string, ts.SourceFile | undefined>();

/** `tsc --noEmit` of the consumer under one mode: its diagnostics, formatted as tsc prints them. */
function typeCheck(dir: string, mode: keyof typeof MODES): { status: number; output: string } {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    { ...MODES[mode], strict: true, noEmit: true, types: [], lib: ["es5"], target: "es2022", ignoreDeprecations: "6.0" },
    dir,
  );
  expect(errors).toEqual([]);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) => {
    if (!fileName.includes(`${path.sep}typescript${path.sep}lib${path.sep}`)) return getSourceFile(fileName, language, onError, create);
    if (!libFiles.has(fileName)) libFiles.set(fileName, getSourceFile(fileName, language, onError, create));
    return libFiles.get(fileName);
  };
  const program = ts.createProgram({ rootNames: [path.join(dir, "index.ts")], options, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const output = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" });
  return { status: diagnostics.length === 0 ? 0 : 1, output };
}

describe("the package's entry points", () => {
  const dir = consumer(pkg);

  it.each(Object.keys(MODES) as (keyof typeof MODES)[])("resolve under moduleResolution %s", (mode) => {
    const run = typeCheck(dir, mode);
    expect({ mode, output: run.output }).toEqual({ mode, output: "" });
    expect(run.status).toBe(0);
  });

  it("need typesVersions under node10: without it /policies does not resolve (the check can fail)", () => {
    const { typesVersions: _dropped, ...withoutTypesVersions } = pkg;
    void _dropped;
    const run = typeCheck(consumer(withoutTypesVersions), "node10");
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/Cannot find module 'hardened-mcp-azure\/policies'/);
  });

  it("point at declarations the build emits, from sources it compiles", () => {
    const build = JSON.parse(readFileSync(path.join(root, "tsconfig.build.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")) as { exclude: string[] };
    const targets = [
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [] : [e.types, e.default])),
      ...Object.values(pkg.typesVersions?.["*"] ?? {}).flat(),
    ].filter((t): t is string => t !== undefined);
    for (const target of targets) {
      const source = target.replace(/^\.?\/?dist\//, "").replace(/\.d\.ts$|\.js$/, ".ts");
      expect({ target, exists: readFileSync(path.join(root, source), "utf8").length > 0, excluded: build.exclude.includes(source) }).toEqual({
        target,
        exists: true,
        excluded: false,
      });
    }
  });
});
