import { allRules } from "../../../policies/rules";
import { parseFinding } from "../../../policies/rules/types";
import { Case, RuleCases, runStack, UnknownValueError, violationsOf } from "./harness";
import { apimCases } from "./cases/apim";
import { apimPolicyCases } from "./cases/apimPolicy";
import { containerAppsCases } from "./cases/containerapps";
import { coverageCases } from "./cases/coverage";
import { keyvaultCases } from "./cases/keyvault";
import { platformCases } from "./cases/platform";
import { smallServiceCases } from "./cases/small";
import { stackCases } from "./cases/stack";
import { toolPinCases } from "./cases/toolPins";

/** Every rule's table: compliant, violating and preview-unknown cases (and config cases where it has config). */
const tables: Record<string, RuleCases> = {
  ...apimCases,
  ...apimPolicyCases,
  ...keyvaultCases,
  ...smallServiceCases,
  ...containerAppsCases,
  ...platformCases,
  ...stackCases,
  ...coverageCases,
  ...toolPinCases,
};

const label = (c: Case, i: number) => `#${i}${c.config ? ` config=${JSON.stringify(c.config)}` : ""}`;

describe.each(allRules.map((r) => [r.name, r] as const))("%s", (name, rule) => {
  const table = tables[name];

  it("has compliant, violating and preview-unknown cases (and a config case when configurable)", () => {
    expect(table).toBeDefined();
    expect(table.pass.length).toBeGreaterThan(0);
    expect(table.fail.length).toBeGreaterThan(0);
    expect(table.unknown.length + (table.unlinkedUnknown ?? []).length).toBeGreaterThan(0);
    if (rule.configSchema) expect([...table.pass, ...table.fail].some((c) => c.config !== undefined)).toBe(true);
  });

  it.each((table?.pass ?? []).map((c, i) => [label(c, i), c] as const))("passes %s", async (_l, c) => {
    expect(await violationsOf(rule, c)).toEqual([]);
  });

  it.each((table?.fail ?? []).map((c, i) => [label(c, i), c] as const))("reports %s", async (_l, c) => {
    const messages = await violationsOf(rule, c);
    expect(messages.length).toBeGreaterThan(0);
    for (const e of c.expect ?? []) expect(messages.join("\n")).toContain(e);
    // A qualified message yields a granular id `<rule>[<qualifier>]`; stack findings name the resource they are about.
    for (const m of messages) expect(parseFinding(name, m).text.length).toBeGreaterThan(0);
    if ("stack" in c) for (const v of await runStack(rule, c.stack, c.config)) expect(v.urn).toMatch(/^urn:pulumi:/);
  });

  const unknown = (table?.unknown ?? []).map((c, i) => [label(c, i), c] as const);
  if (unknown.length > 0) {
    it.each(unknown)("defers unknowns %s", async (_l, c) => {
      await expect(violationsOf(rule, c)).rejects.toBeInstanceOf(UnknownValueError);
    });
  }

  const unlinked = (table?.unlinkedUnknown ?? []).map((c, i) => [label(c, i), c] as const);
  if (unlinked.length > 0) {
    it.each(unlinked)("reports unlinked unknowns %s", async (_l, c) => {
      expect((await violationsOf(rule, c)).length).toBeGreaterThan(0);
    });
  }
});

it("has no table for a rule that does not exist", () => {
  const names = new Set(allRules.map((r) => r.name));
  expect(Object.keys(tables).filter((n) => !names.has(n))).toEqual([]);
});
