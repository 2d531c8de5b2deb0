import * as fs from "fs";
import * as path from "path";
import { parsePolicyPackConfig } from "../../../policies/config";
import { allRules } from "../../../policies/rules";
import { mcpApis } from "../../../policies/rules/apimPolicy";
import { stackValidationArgs } from "../../../policies/offline/args";
import { readPlan } from "../../../policies/offline/readers";
import { Report, runCheck } from "../../../policies/offline/run";
import { kitPlanJson } from "../../support/plans";

/**
 * The pack against the kit itself: the default program's plan (Pulumi.dev.yaml) must pass every mandatory
 * rule without errors or deferrals. The accepted advisory findings are the gateway's public endpoint
 * (StandardV2 with outbound VNet integration: the gateway is the public entry, the MCP servers stay private)
 * and the placeholder secret without expiry (its real value is seeded out of band, with one).
 */
let report: Report;
let withShippedConfig: Report;
let mcpApiNames: string[];

beforeAll(async () => {
  const snapshot = readPlan(await kitPlanJson());
  report = await runCheck(snapshot, allRules);
  const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../policies/config/example.json"), "utf8")) as unknown;
  withShippedConfig = await runCheck(snapshot, allRules, parsePolicyPackConfig(shipped, allRules));
  mcpApiNames = mcpApis(stackValidationArgs(snapshot).resources, {}).map((a) => a.name);
});

it("finds no mandatory violation, rule error or deferral in the kit's default plan", () => {
  expect(report.errors).toEqual([]);
  expect(report.deferred).toEqual([]);
  expect(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.id}: ${v.message}`)).toEqual([]);
});

it("accepts only the documented advisory findings: the public gateway, and the placeholder secret without expiry", () => {
  expect(report.violations.map((v) => v.id).sort()).toEqual(["azure-apim-public-network-disabled", "azure-keyvault-secret-expiry"]);
  expect(report.violations.every((v) => v.enforcementLevel === "advisory")).toBe(true);
});

it("is clean under the shipped policy config, which exempts both with their reasons", () => {
  expect(withShippedConfig.violations).toEqual([]);
  expect(withShippedConfig.exempted.map((e) => [e.id, e.reason]).sort()).toEqual([
    ["azure-apim-public-network-disabled", expect.stringContaining("public front door")],
    ["azure-keyvault-secret-expiry", expect.stringContaining("seeded out of band")],
  ]);
});

it("recognises the kit's MCP APIs (so the policy-XML rules do not pass vacuously)", () => {
  expect(mcpApiNames.length).toBeGreaterThanOrEqual(1);
  expect(mcpApiNames.every((n) => !n.endsWith("-prm"))).toBe(true);
});

it("actually ran the rules over the stack", () => {
  expect(report.summary.rules).toBe(allRules.length);
  expect(report.summary.resources).toBeGreaterThan(50);
});
