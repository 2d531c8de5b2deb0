import { readFileSync } from "fs";
import { join } from "path";
import { allRules, isStackRule } from "../../../policies/rules";
import { readStackExport } from "../../../policies/offline/readers";
import { runCheck } from "../../../policies/offline/run";
import { LabelledResource, toStackExport } from "../../fixtures/benchmark/arm";

/**
 * Recall and false alarms per rule family, on resources written the way other tools' users write them (ARM
 * exports and templates, converted to a stack export as azure-native records it). Each resource names the
 * resource rules of its family that must report it; any other finding of the family is a false alarm.
 * Stack rules (private endpoints, diagnostic settings, locks) need partner resources and are not measured
 * here. The figures are pinned in policies/README.md, so the README cannot drift from what the suite measures.
 */
const FAMILIES = ["keyvault", "storage", "acr", "appservice", "network", "apim"] as const;
const DIR = join(__dirname, "../../fixtures/benchmark");

interface Figures {
  family: string;
  resources: number;
  expected: number;
  found: number;
  falseAlarms: number;
  misses: string[];
  alarms: string[];
}

async function measure(family: string): Promise<Figures> {
  const fixture = JSON.parse(readFileSync(join(DIR, `${family}.json`), "utf8")) as { resources: LabelledResource[] };
  const rules = allRules.filter((r) => !isStackRule(r) && r.name.startsWith(`azure-${family}-`));
  const exported = toStackExport(fixture.resources);
  const report = await runCheck(readStackExport(exported), rules);
  expect(report.errors).toEqual([]);
  expect(report.deferred).toEqual([]);
  const urns = exported.deployment.resources.slice(1).map((r) => String(r["urn"]));
  const figures: Figures = { family, resources: urns.length, expected: 0, found: 0, falseAlarms: 0, misses: [], alarms: [] };
  fixture.resources.forEach((r, i) => {
    const fired = new Set(report.violations.filter((v) => v.urn === urns[i]).map((v) => v.policy));
    for (const rule of r.expect) {
      figures.expected++;
      if (fired.has(rule)) figures.found++;
      else figures.misses.push(`${urns[i]}: ${rule}`);
    }
    const unexpected = [...fired].filter((f) => !r.expect.includes(f));
    if (unexpected.length > 0) {
      figures.falseAlarms++;
      figures.alarms.push(`${urns[i]}: ${unexpected.join(", ")}`);
    }
  });
  return figures;
}

const pct = (n: number, d: number) => `${d === 0 ? 100 : Math.round((100 * n) / d)}%`;
const row = (f: Figures) => `| ${f.family} | ${f.resources} | ${f.expected} | ${pct(f.found, f.expected)} | ${pct(f.falseAlarms, f.resources)} |`;

const results = new Map<string, Figures>();
beforeAll(async () => {
  for (const family of FAMILIES) results.set(family, await measure(family));
});

it.each(FAMILIES)("%s: every labelled finding is reported and nothing else", (family) => {
  const f = results.get(family)!;
  expect(f.resources).toBeGreaterThanOrEqual(4);
  expect(f.misses).toEqual([]);
  expect(f.alarms).toEqual([]);
});

it("has clean and violating resources in every family (a fixture that cannot fail is no measurement)", () => {
  for (const family of FAMILIES) {
    const fixture = JSON.parse(readFileSync(join(DIR, `${family}.json`), "utf8")) as { resources: LabelledResource[] };
    expect(fixture.resources.some((r) => r.expect.length === 0)).toBe(true);
    expect(fixture.resources.some((r) => r.expect.length > 0)).toBe(true);
  }
});

it("pins the measured figures in policies/README.md", () => {
  const readme = readFileSync(join(__dirname, "../../../policies/README.md"), "utf8");
  for (const family of FAMILIES) expect(readme).toContain(row(results.get(family)!));
});
