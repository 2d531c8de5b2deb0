import { readFileSync, existsSync } from "node:fs";
import * as path from "node:path";
import type { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { parsePolicyPackConfig } from "../../../policies/config";
import { hardenedMcpPolicies } from "../../../policies/config/pack";
import { allRules } from "../../../policies/rules";
import { isStackRule, type ResourceRule } from "../../../policies/rules/types";

const PACK = path.join(__dirname, "../../../policies");
const read = (file: string) => readFileSync(path.join(PACK, file), "utf8");

/** Non-type imports of a TypeScript file: relative ones to follow, bare ones the pack must install. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?"([^"]+)"/gm)) {
    if (!match[1]) specifiers.push(match[2]);
  }
  return specifiers;
}

function resolveTs(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

/** Every package the pack loads at run time, following relative imports from index.ts. */
function packagesLoadedByPack(): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith(".")) visit(resolveTs(file, spec));
      else if (!spec.startsWith("node:")) packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
    }
  };
  visit(path.join(PACK, "index.ts"));
  return packages;
}

describe("the policy pack", () => {
  it("is a nodejs pack whose package.json has a version and declares every package its modules load", () => {
    expect(read("PulumiPolicy.yaml")).toMatch(/^runtime: nodejs$/m);
    const pkg = JSON.parse(read("package.json")) as { name: string; version: string; dependencies: Record<string, string> };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(["@pulumi/policy", "@pulumi/pulumi"]));
    const missing = [...packagesLoadedByPack()].filter((p) => !(p in pkg.dependencies));
    expect(missing).toEqual([]);
  });

  it("index.ts only constructs the PolicyPack, from hardenedMcpPolicies", () => {
    const index = read("index.ts");
    expect(importsOf(path.join(PACK, "index.ts")).sort()).toEqual(["./config/pack", "@pulumi/policy"]);
    expect(index.match(/new PolicyPack\(/g)).toHaveLength(1);
    expect(index).toMatch(/new PolicyPack\("hardened-mcp-azure", \{[\s\S]*policies: hardenedMcpPolicies\(\)/);
    expect("hardened-mcp-azure").toMatch(/^[a-zA-Z0-9-_.]{1,100}$/); // the SDK's pack name pattern
  });

  it("passes the checks the SDK's serve() makes before it starts (which would exit the process)", () => {
    const policies = hardenedMcpPolicies();
    expect(policies).toHaveLength(allRules.length);
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain("all");
    for (const p of policies) {
      expect(p.configSchema?.properties.enforcementLevel).toBeUndefined();
      expect(p.configSchema?.required ?? []).not.toContain("enforcementLevel");
      expect(p.configSchema?.properties.exemptions).toBeDefined();
      expect(["advisory", "mandatory", "remediate", "disabled"]).toContain(p.enforcementLevel);
      expect(isStackRule(p) ? typeof p.validateStack : typeof p.validateResource).toBe("function");
    }
  });

  it("takes AWSGuard-style typed settings: all, per-rule level, options and exemptions", () => {
    const policies = hardenedMcpPolicies({
      all: "advisory",
      "azure-keyvault-purge-protection": "mandatory",
      "azure-storage-no-shared-key": { enforcementLevel: "disabled" },
      exemptions: [{ rule: "azure-storage-no-blob-public-access", resource: "st*", reason: "Public static site assets, reviewed by security." }],
    });
    const level = (name: string) => policies.find((p) => p.name === name)?.enforcementLevel;
    expect(level("azure-keyvault-purge-protection")).toBe("mandatory");
    expect(level("azure-storage-no-shared-key")).toBe("disabled");
    expect(level("azure-storage-https-only")).toBe("advisory");
    expect(() => hardenedMcpPolicies({ "azure-keyvault-purge": "mandatory" })).toThrow(/Unknown rule "azure-keyvault-purge".*did you mean "azure-keyvault-purge-protection"/);
  });

  it("ships an example --policy-pack-config that is valid for the current rules", () => {
    const config = parsePolicyPackConfig(JSON.parse(read("config/example.json")), allRules);
    expect(Object.keys(config).length).toBeGreaterThan(0);
  });

  it("under the engine, options from --policy-pack-config win over typed ones and reach the rule through getConfig", async () => {
    const [rule] = hardenedMcpPolicies({ "azure-rbac-no-privileged-roles": { allowedRoles: ["Owner"] } }).filter(
      (p): p is ResourceRule => p.name === "azure-rbac-no-privileged-roles" && !isStackRule(p),
    );
    const owner = "/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    const run = async (engineConfig: Record<string, unknown>) => {
      const messages: string[] = [];
      const args = {
        type: "azure-native:authorization:RoleAssignment",
        urn: "urn:pulumi:dev::mcp::azure-native:authorization:RoleAssignment::ra",
        name: "ra",
        props: { roleDefinitionId: owner, scope: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv" },
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => engineConfig,
        notApplicable: (reason?: string): never => {
          throw new Error(`not applicable: ${reason}`);
        },
      } as unknown as ResourceValidationArgs;
      await (rule.validateResource as ResourceValidation)(args, (m) => void messages.push(m));
      return messages;
    };
    expect(await run({})).toEqual([]);
    expect(await run({ allowedRoles: [] })).toEqual([expect.stringContaining("[Owner]")]);
  });
});
