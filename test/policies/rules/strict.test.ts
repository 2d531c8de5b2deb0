import { configurePolicies, parsePolicyPackConfig } from "../../../policies/config";
import { allRules, rulesByName } from "../../../policies/rules";
import type { ResourceRule } from "../../../policies/rules/types";
import { resourceArgs } from "./harness";

/**
 * Strict mode is one pack-wide option: rules judge the value Azure applies, and with `strict: true` a secure
 * value that is only the API default is still reported, as an advisory finding with its own id.
 */
const registry = { sku: { name: "Premium" }, publicNetworkAccess: "Disabled" }; // admin user and anonymous pull unset
const TYPE = "azure-native:containerregistry:Registry";

async function run(config: Parameters<typeof configurePolicies>[1]) {
  const rule = configurePolicies(allRules, config).find((r) => r.name === "azure-acr-admin-user-disabled") as ResourceRule;
  const found: { message: string; level?: string }[] = [];
  const validate = rule.validateResource as (a: unknown, r: unknown) => Promise<void>;
  await validate(resourceArgs(TYPE, registry), (m: string | { message: string; enforcementLevel?: string }) =>
    found.push(typeof m === "string" ? { message: m } : { message: m.message, level: m.enforcementLevel }),
  );
  return found;
}

it("judges the API default: an unset adminUserEnabled is false, so nothing is reported", async () => {
  expect(await run({})).toEqual([]);
});

it("in strict mode reports the implicit value as advisory, through the configured pack", async () => {
  const found = await run({ strict: true });
  expect(found).toHaveLength(1);
  expect(found[0]!.level).toBe("advisory");
  expect(found[0]!.message).toMatch(/^\[Implicit:adminUserEnabled\] adminUserEnabled is not set; Azure applies false/);
});

it("reads strict from the JSON config, and rejects a non-boolean", () => {
  expect(parsePolicyPackConfig({ strict: true }, allRules).strict).toBe(true);
  expect(() => parsePolicyPackConfig({ strict: "yes" }, allRules)).toThrow(/strict/);
});

it("declares strict in every rule's schema, so the engine's config validation accepts it per rule", () => {
  for (const rule of configurePolicies([rulesByName.get("azure-acr-admin-user-disabled")!])) {
    expect(rule.configSchema?.properties?.["strict"]).toEqual(expect.objectContaining({ type: "boolean" }));
  }
});
