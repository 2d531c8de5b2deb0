// ESLint flat config: the recommended JavaScript and TypeScript rules, and no `any` where a type exists.
// Formatting is Prettier's job (`npm run format`), not ESLint's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "dist/**", "coverage/**", "**/*.js", "**/*.cjs", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      // tsc's noUnusedLocals/noUnusedParameters already report these, with `_` for intended ones.
      "@typescript-eslint/no-unused-vars": "off",
    },
  },
  {
    // Verbs load lazily so `hardened-mcp --help` does not load Pulumi and the rules.
    files: ["cli/verbs.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The policy builders refuse control characters in spliced values on purpose.
    files: ["infra/gateway/policy/**/*.ts"],
    rules: { "no-control-regex": "off" },
  },
  {
    // Tests feed deliberately malformed raw config and reach SDK internals (protobuf messages, the analyzer server).
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
  },
);
