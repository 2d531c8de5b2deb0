/**
 * The layering rule (docs: design.md): baseline/ is a leaf; infra/ (the library) and policies/ (the pack)
 * share only baseline/; cli/ and testing/ sit above the library and nothing in it imports them; no cycles.
 * `npm run lint` runs this with ESLint; a violation fails `npm test`.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle ties modules into one unit that cannot be loaded, tested or split on its own.",
      from: {},
      to: { circular: true },
    },
    {
      name: "baseline-is-a-leaf",
      severity: "error",
      comment: "baseline/ holds facts both sides enforce; it imports nothing outside itself (not even node: builtins or npm packages).",
      from: { path: "^baseline/" },
      to: { pathNot: "^baseline/" },
    },
    {
      name: "library-below-pack-and-tools",
      severity: "error",
      comment: "infra/ is the library: it may use baseline/ but never the pack (policies/), the CLI, testing/ or tests.",
      from: { path: "^infra/" },
      to: { path: "^(policies|cli|testing|test|examples|scripts)/" },
    },
    {
      name: "pack-beside-library",
      severity: "error",
      comment: "policies/ is the pack: it shares only baseline/ with the library and never imports the CLI, testing/ or tests.",
      from: { path: "^policies/" },
      to: { path: "^(infra|cli|testing|test|examples|scripts)/" },
    },
    {
      name: "tools-not-from-tests",
      severity: "error",
      comment: "cli/ and testing/ ship in the package; they must not import the test suite.",
      from: { path: "^(cli|testing)/" },
      to: { path: "^(test|scripts)/" },
    },
  ],
  options: {
    includeOnly: "^(baseline|infra|policies|cli|testing|test|examples|scripts)/",
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
