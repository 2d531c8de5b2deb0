/** What the published package ships and promises, checked against the tree (not against constants). */
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  license: string;
  files: string[];
  engines: { node: string };
  dependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "node_modules" ? [] : sourceFiles(path.join(dir, e.name))) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

describe("the published package", () => {
  it("ships the Apache-2.0 license text its license field names", () => {
    expect(pkg.license).toBe("Apache-2.0");
    const text = read("LICENSE");
    expect(text).toContain("Apache License\n                           Version 2.0, January 2004");
    expect(text).toContain("END OF TERMS AND CONDITIONS");
    expect(pkg.files).toContain("LICENSE");
  });

  it("ships docs/, which the README links to", () => {
    expect(pkg.files).toContain("docs");
    for (const [, target] of read("README.md").matchAll(/`(docs\/[\w./-]+\.md)`/g)) expect(fs.existsSync(path.join(root, target))).toBe(true);
  });

  it("imports every runtime dependency it declares from shipped code", () => {
    const shipped = ["baseline", "infra", "policies", "cli", "testing"].flatMap(sourceFiles).map((f) => read(f)).join("\n");
    for (const dep of Object.keys(pkg.dependencies)) {
      expect({ dep, imported: shipped.includes(`"${dep}`) }).toEqual({ dep, imported: true });
    }
  });

  it("requires a Node.js at least as new as the installed @pulumi/pulumi does, and one that can require(esm)", () => {
    const pulumi = JSON.parse(read("node_modules/@pulumi/pulumi/package.json")) as { engines: { node: string } };
    const major = (range: string) => Number(/>=\s*(\d+)/.exec(range)?.[1]);
    // secretlint (the pack's credential formats) is ESM only, loaded with require(esm): unflagged from Node 20.19.
    expect(pkg.engines.node).toBe(">=20.19");
    expect(major(pkg.engines.node)).toBeGreaterThanOrEqual(major(pulumi.engines.node));
  });

  it("emits no source maps that would point at TypeScript files it does not ship", () => {
    const build = read("tsconfig.build.json");
    expect(build).toMatch(/"sourceMap":\s*false/);
    expect(build).not.toMatch(/"declarationMap":\s*true/);
    expect(pkg.files.some((f) => /\.ts$|^(infra|cli|policies|baseline|testing)$/.test(f))).toBe(false);
  });
});
