import { readFileSync } from "fs";
import { join } from "path";
import { allRules, isStackRule, rulesByName } from "../../../policies/rules";

const SERVICES = ["apim", "keyvault", "cognitive", "containerapps", "appservice", "acr", "storage", "network", "monitor", "rbac"];

describe("rule metadata", () => {
  it("has at least 60 rules with unique names", () => {
    expect(allRules.length).toBeGreaterThanOrEqual(60);
    expect(new Set(allRules.map((r) => r.name)).size).toBe(allRules.length);
    expect(rulesByName.size).toBe(allRules.length);
  });

  it.each(allRules.map((r) => [r.name, r] as const))("%s has complete metadata", (name, rule) => {
    expect(name).not.toBe("all");
    expect(name).toMatch(/^azure-[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(SERVICES.some((s) => name.startsWith(`azure-${s}-`))).toBe(true);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(rule.description).toMatch(/^[A-Z].*\.$/s);
    expect(rule.remediation).toMatch(/^[A-Z].*[.)]$/s);
    expect(["critical", "high", "medium", "low"]).toContain(rule.severity);
    expect(rule.risks.length).toBeGreaterThan(0);
    expect(["advisory", "mandatory"]).toContain(rule.enforcementLevel);
    for (const id of rule.checkov ?? []) expect(id).toMatch(/^CKV2?_AZURE_\d+$/);
    for (const p of rule.azurePolicy ?? []) {
      expect(p.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(p.name.length).toBeGreaterThan(0);
    }
    expect(isStackRule(rule) ? typeof rule.validateStack : typeof rule.validateResource).toBe("function");
  });

  it("never declares enforcementLevel in a configSchema (the SDK's serve() exits the process)", () => {
    for (const rule of allRules) expect(Object.keys(rule.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
  });

  it("makes every critical rule mandatory", () => {
    expect(allRules.filter((r) => r.severity === "critical" && r.enforcementLevel !== "mandatory").map((r) => r.name)).toEqual([]);
  });
});

it("lists every rule in policies/rules/README.md", () => {
  const readme = readFileSync(join(__dirname, "../../../policies/rules/README.md"), "utf8");
  expect(allRules.filter((r) => !readme.includes(`\`${r.name}\``)).map((r) => r.name)).toEqual([]);
});
