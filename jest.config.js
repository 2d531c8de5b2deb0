/** Transpile-only (swc): `npm run typecheck` does the type checking once, for the whole tree. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The package name, as examples/ import it (tsconfig "paths" does the same for the type check).
  moduleNameMapper: { "^hardened-mcp-azure$": "<rootDir>/infra/index.ts" },
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
    // secretlint ships ESM only; Node loads it with require(esm), jest's module runtime needs it as CommonJS.
    "/node_modules/(@secretlint|structured-source|boundary)/.+\\.m?js$": ["@swc/jest", { jsc: { parser: { syntax: "ecmascript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(@secretlint|structured-source|boundary)/)"],
  // The emulator's first mono compile of a document set can take a while on a cold cache.
  testTimeout: 60000,
  // Two cores on CI: the default (cores - 1) would leave one idle while test files wait.
  maxWorkers: 2,
};
