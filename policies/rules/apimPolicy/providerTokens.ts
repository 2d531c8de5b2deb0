import { lintSource } from "@secretlint/core";
import { secretLintProfiler } from "@secretlint/profiler";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";

/**
 * Provider token formats (GitHub, Slack, AWS, GCP, npm, SendGrid, Shopify, private keys, basic auth in URLs,
 * ...) found by secretlint's recommended preset (MIT, maintained by the secretlint project; runs offline, no
 * network), instead of a hand-kept list. Version 11 is the newest line that supports Node 20, which the kit
 * and the Pulumi language host run on; it is ESM, loaded through Node's require(esm) (Node >= 20.19).
 */

/**
 * secretlint's core marks the start and end of every rule on a process-wide profiler, whose observer keeps every
 * mark it sees and searches them all on each new one: quadratic and unbounded in a long-lived process (the pack
 * analyzing a whole preview, `npm run bench`), about a third of a check's time on a 50-server plan. The kit never
 * reads that profile, so marking is turned off. package.json pins @secretlint/profiler to the exact version
 * @secretlint/core depends on, so this is the instance core marks on; should core move to another, npm installs
 * a second profiler and core keeps marking: slower, never wrong.
 */
secretLintProfiler.mark = () => undefined;

const CONFIG = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

/** The provider token kinds (secretlint message ids, e.g. `GITHUB_TOKEN`) a text contains. */
export async function providerTokensIn(text: string): Promise<string[]> {
  if (text.trim() === "") return [];
  const result = await lintSource({ source: { filePath: "policy.xml", content: text, contentType: "text" }, options: { config: CONFIG } });
  return [...new Set(result.messages.map((m) => m.messageId))];
}
