import * as path from "node:path";
import { InputError, readPlan, readPreview, readSnapshotFile, readStackExport } from "../../../policies/offline/readers";
import { isCheckable, SECRET_PLACEHOLDER, UNKNOWN_STRING } from "../../../policies/offline/snapshot";

const FIXTURES = path.join(__dirname, "../../fixtures");
const stackUrn = "urn:pulumi:dev::mcp::pulumi:pulumi:Stack::mcp-dev";
const urn = (type: string, name: string) => `urn:pulumi:dev::mcp::${type}::${name}`;
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };

describe("readers", () => {
  it("reads the kit's plan file; components are recognised with or without the custom flag", () => {
    const component = urn("hardened-mcp:azure:SecureVault", "vault");
    const vault = urn("hardened-mcp:azure:SecureVault$azure-native:keyvault:Vault", "vault-kv");
    const snapshot = readPlan({
      version: 1,
      project: "mcp",
      stack: "dev",
      resources: [
        { urn: component, type: "hardened-mcp:azure:SecureVault", name: "vault", parent: null, inputs: {}, dependencies: [], propertyDependencies: {} },
        {
          urn: vault,
          type: "azure-native:keyvault:Vault",
          name: "vault-kv",
          parent: component,
          inputs: { properties: { enablePurgeProtection: true }, tags: "[secret]" },
          dependencies: [],
          propertyDependencies: { resourceGroupName: [component] },
        },
      ],
    });
    expect(snapshot).toMatchObject({ format: "plan", project: "mcp", stack: "dev" });
    expect(snapshot.resources.map((r) => [r.name, r.custom])).toEqual([["vault", false], ["vault-kv", true]]);
    expect(snapshot.resources[1]).toMatchObject({ parent: component, propertyDependencies: { resourceGroupName: [component] } });
    expect(snapshot.resources.filter(isCheckable).map((r) => r.name)).toEqual(["vault-kv"]);
  });

  it("reads a preview: new states of every step but deletions, the last state per URN, unknowns kept as sentinels", () => {
    const vault = urn("azure-native:keyvault:Vault", "kv");
    const state = (props: Record<string, unknown>) => ({ urn: vault, custom: true, type: "azure-native:keyvault:Vault", inputs: props, outputs: props, parent: stackUrn });
    const snapshot = readPreview({
      steps: [
        { op: "same", urn: stackUrn, newState: { urn: stackUrn, type: "pulumi:pulumi:Stack" } },
        { op: "create-replacement", urn: vault, newState: state({ v: 1 }) },
        { op: "replace", urn: vault, newState: state({ v: UNKNOWN_STRING, secret: "[secret]" }) },
        { op: "delete-replaced", urn: vault, oldState: state({ v: 0 }) },
        { op: "delete", urn: urn("azure-native:storage:StorageAccount", "old"), oldState: { urn: "x", type: "azure-native:storage:StorageAccount", custom: true } },
      ],
    });
    expect(snapshot).toMatchObject({ format: "preview", stack: "dev", project: "mcp" });
    expect(snapshot.resources.map((r) => r.urn)).toEqual([stackUrn, vault]);
    expect(snapshot.resources[1].inputs).toEqual({ v: UNKNOWN_STRING, secret: SECRET_PLACEHOLDER });
    expect(snapshot.resources[0].custom).toBe(false);
  });

  it("reads a stack export: secrets become [secret], pending deletes and the stack are not checked", () => {
    const vault = urn("azure-native:keyvault:Vault", "kv");
    const snapshot = readStackExport({
      version: 3,
      deployment: {
        manifest: {},
        resources: [
          { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" },
          { urn: urn("pulumi:providers:azure-native", "default"), custom: true, id: "p1", type: "pulumi:providers:azure-native" },
          { urn: vault, custom: true, id: "/x", type: "azure-native:keyvault:Vault", inputs: { properties: { value: SECRET } }, outputs: { id: "/x" }, provider: `${urn("pulumi:providers:azure-native", "default")}::p1` },
          { urn: urn("azure-native:keyvault:Vault", "gone"), custom: true, delete: true, type: "azure-native:keyvault:Vault" },
        ],
      },
    });
    expect(snapshot.resources.map((r) => r.name)).toEqual(["mcp-dev", "default", "kv"]);
    expect(snapshot.resources.filter(isCheckable).map((r) => r.name)).toEqual(["kv"]);
    expect(snapshot.resources[2]).toMatchObject({ inputs: { properties: { value: SECRET_PLACEHOLDER } }, outputs: { id: "/x" } });
    expect(JSON.stringify(snapshot)).not.toContain("v1:abc");
  });

  it("reads the committed fixtures", () => {
    const exported = readSnapshotFile("stack-export", path.join(FIXTURES, "insecure-stack-export.json"));
    expect(exported.resources.filter(isCheckable).length).toBeGreaterThanOrEqual(10);
    const preview = readSnapshotFile("preview", path.join(FIXTURES, "preview-unknowns.json"));
    expect(preview.resources.some((r) => r.type === "azure-native:storage:StorageAccount")).toBe(false);
  });

  it("names the file and the first problem for unreadable or misshapen input", () => {
    expect(() => readSnapshotFile("plan", path.join(FIXTURES, "does-not-exist.json"))).toThrow(/cannot read --plan file .*does-not-exist.json: no such file/);
    expect(() => readStackExport({ version: 2, deployment: {} })).toThrow(InputError);
    expect(() => readStackExport({ version: 3, deployment: { resources: [{ type: "x" }] } })).toThrow(/deployment\.resources\[0\]\.urn/);
    expect(() => readPlan({ version: 1, resources: [{ urn: 3 }] })).toThrow(/resources\[0\]\.urn/);
    expect(() => readPreview({ config: {} })).toThrow(/no steps/);
    // A digest without --show-sames hides unchanged resources a stack rule needs to see.
    const withoutSames = { steps: [{ op: "update", urn: "urn:pulumi:dev::p::azure-native:keyvault:Vault::kv" }], changeSummary: { update: 1, same: 4 } };
    expect(() => readPreview(withoutSames)).toThrow(/leaves out its 4 unchanged resource\(s\).*--show-sames/);
    expect(() => readSnapshotFile("preview", path.join(FIXTURES, "insecure-stack-export.json"))).toThrow(/insecure-stack-export.json: not a `pulumi preview --json` document/);
  });
});
