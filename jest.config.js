/** Transpile-only (swc): `npm run typecheck` does the type checking once, for the whole tree. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The package name, as examples/ import it (tsconfig "paths" does the same for the type check).
  moduleNameMapper: {
    "^hardened-mcp-azure$": "<rootDir>/infra/index.ts",
    // Two modules @pulumi/pulumi requires at load time for closure serialization, loaded on first use instead:
    // jest loads every module afresh for each test file (scripts/runtime/lazyModule.cjs says more).
    "typescript-shim$": "<rootDir>/test/support/lazy/typescript.js",
    "^@npmcli/arborist$": "<rootDir>/test/support/lazy/arborist.js",
  },
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
    // secretlint ships ESM only; Node loads it with require(esm), jest's module runtime needs it as CommonJS.
    "/node_modules/(@secretlint|structured-source|boundary)/.+\\.m?js$": ["@swc/jest", { jsc: { parser: { syntax: "ecmascript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(@secretlint|structured-source|boundary)/)"],
  // A hang detector, not a speed check (speed targets live in `npm run bench`): generous enough that a loaded
  // machine (load average 6+ on two cores) never fails a test for being slow.
  testTimeout: 600_000,
  // Whole-platform plans are synthesized once per run and shared through files (test/support/plans.ts).
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  globalTeardown: "<rootDir>/test/support/globalTeardown.ts",
  // Two cores on CI: the default (cores - 1) would leave one idle while test files wait.
  maxWorkers: 2,
};
