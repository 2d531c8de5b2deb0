import * as path from "path";
import { runProgram, ProgramRun } from "../../../testing/engine/runProgram";
import { startStandIn, StandIn } from "../../../testing/engine/standIn";
import { grpc, resourceProto, engineProto, structPb } from "../../../testing/engine/grpc";

const tiny = path.join(__dirname, "..", "fixtures", "tiny");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK = "urn:pulumi:dev::tiny::pulumi:pulumi:Stack::tiny-dev";

describe("a program run through the launcher and the stand-in", () => {
  let preview: ProgramRun;
  let up: ProgramRun;
  beforeAll(async () => {
    [preview, up] = await Promise.all([
      runProgram({ dir: tiny, mode: "preview", env: { TINY_LOG: "info,warn,error" } }),
      runProgram({ dir: tiny, mode: "up" }),
    ]);
  });

  it("registers the stack as the root, and parents top-level resources to it without its type in their URNs", () => {
    const d = preview.deployment;
    expect(d.rootResource).toBe(STACK);
    const box = d.resources.find((r) => r.type === "tiny:index:Box");
    expect(box).toMatchObject({ urn: "urn:pulumi:dev::tiny::tiny:index:Box::box", parent: STACK, custom: false });
    const vault = d.resources.find((r) => r.name === "box-kv");
    expect(vault?.urn).toBe("urn:pulumi:dev::tiny::tiny:index:Box$azure-native:keyvault:Vault::box-kv");
  });

  it("gives custom resources the default provider of their package and version", () => {
    const vault = preview.deployment.resources.find((r) => r.name === "box-kv");
    expect(vault?.provider).toMatch(/^urn:pulumi:dev::tiny::pulumi:providers:azure-native::default(_\d+_\d+_\d+)?::04da6b54-80e4-46f7-96ec-b56ff0331ba9$/);
    expect([...preview.deployment.providers.keys()]).toHaveLength(1);
  });

  it("leaves ids and computed outputs unknown at preview, and answers ARM ids and names in an update", () => {
    expect(preview.deployment.stackOutputs).toMatchObject({ groupName: UNKNOWN, vaultId: UNKNOWN, greeting: "hello", calls: 3 });
    expect(up.deployment.stackOutputs).toMatchObject({
      groupName: "box-rg",
      vaultId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/box-rg/providers/Microsoft.KeyVault/vaults/kv-tiny",
      subscriptionId: "00000000-0000-0000-0000-000000000000",
    });
  });

  it("hands the program its config, its secret keys and the program directory as the working directory", () => {
    const outputs = up.deployment.stackOutputs;
    expect(outputs.apiKeyIsSecret).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: true });
    expect(outputs.cwd).toBe(path.join(tiny, "program"));
  });

  it("collects log messages with their severity, and counts warnings and errors as problems", () => {
    const logged = preview.deployment.logs.filter((l) => l.message.startsWith("a "));
    expect(logged.map((l) => [l.severity, l.message])).toEqual([
      ["info", "a info message"],
      ["warning", "a warn message"],
      ["error", "a error message"],
    ]);
    expect(preview.problems).toEqual(expect.arrayContaining(["warning: a warn message", "error: a error message"]));
    expect(up.problems).toEqual([]);
  });
});

describe("requests the stand-in does not emulate", () => {
  let standIn: StandIn;
  type Client = Record<string, (req: unknown, cb: (err: { code: number; details: string } | null, res: unknown) => void) => void>;
  let monitor: Client;
  let engine: Client;
  const call = (client: Client, method: string, req: unknown) =>
    new Promise<{ err: { code: number; details: string } | null; res: unknown }>((resolve) => client[method](req, (err, res) => resolve({ err, res })));

  beforeAll(async () => {
    standIn = await startStandIn({ project: "p", stack: "s", preview: true });
    const { ResourceMonitorClient } = require("@pulumi/pulumi/proto/resource_grpc_pb");
    const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb");
    monitor = new ResourceMonitorClient(standIn.monitorAddress, grpc.credentials.createInsecure());
    engine = new EngineClient(standIn.engineAddress, grpc.credentials.createInsecure());
  });
  afterAll(() => standIn.stop());

  it("answers SupportsFeature as the engine does", async () => {
    const ask = async (id: string) => {
      const req = new resourceProto.SupportsFeatureRequest();
      req.setId(id);
      return ((await call(monitor, "supportsFeature", req)).res as { getHassupport(): boolean }).getHassupport();
    };
    expect(await ask("secrets")).toBe(true);
    expect(await ask("outputValues")).toBe(true);
    expect(await ask("no-such-feature")).toBe(false);
  });

  it("refuses an unknown invoke, an unmodelled provider, a remote component and an unemulated method, and records each", async () => {
    const invoke = new resourceProto.ResourceInvokeRequest();
    invoke.setTok("azure-native:network:getVirtualNetwork");
    invoke.setArgs(structPb.Struct.fromJavaScript({}));
    expect((await call(monitor, "invoke", invoke)).err?.code).toBe(grpc.status.UNIMPLEMENTED);

    const aws = new resourceProto.RegisterResourceRequest();
    aws.setType("aws:s3/bucket:Bucket");
    aws.setName("b");
    aws.setCustom(true);
    expect((await call(monitor, "registerResource", aws)).err?.details).toContain("does not model the aws provider");

    const remote = new resourceProto.RegisterResourceRequest();
    remote.setType("x:index:Component");
    remote.setName("c");
    remote.setRemote(true);
    expect((await call(monitor, "registerResource", remote)).err?.details).toContain("remote (multi-language components)");

    const read = new resourceProto.ReadResourceRequest();
    expect((await call(monitor, "readResource", read)).err?.details).toBe("ResourceMonitor.readResource is not emulated by the engine stand-in");
    expect((await call(engine, "startDebugging", new engineProto.StartDebuggingRequest())).err?.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(standIn.deployment.failures).toHaveLength(5);
    expect(standIn.deployment.problems.every((p) => p.startsWith("stand-in: "))).toBe(true);
  });

  it("refuses a second resource with the same URN, as the engine does", async () => {
    const rg = () => {
      const req = new resourceProto.RegisterResourceRequest();
      req.setType("azure-native:resources:ResourceGroup");
      req.setName("twice");
      req.setCustom(true);
      req.setObject(structPb.Struct.fromJavaScript({}));
      return req;
    };
    expect((await call(monitor, "registerResource", rg())).err).toBeNull();
    expect((await call(monitor, "registerResource", rg())).err?.details).toContain("Duplicate resource URN 'urn:pulumi:s::p::azure-native:resources:ResourceGroup::twice'");
  });
});

describe("aliases in a later deployment", () => {
  const { createRequire } = require("module") as typeof import("module");
  const aliasProto = createRequire(require.resolve("@pulumi/pulumi/package.json"))("./proto/alias_pb");
  const U = (qualified: string, name: string) => `urn:pulumi:s::p::${qualified}::${name}`;
  const IDENTITY = "azure-native:managedidentity:UserAssignedIdentity";
  const RG = "azure-native:resources:ResourceGroup";
  const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg";
  const component = (urn: string, name: string, parent: string | null = null) =>
    ({ urn, type: urn.split("::")[2].split("$").pop() as string, name, parent, custom: false, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} });
  const custom = (urn: string, name: string, parent: string, id: string, inputs: Record<string, unknown>) =>
    ({ urn, type: urn.split("::")[2].split("$").pop() as string, name, parent, custom: true, id, inputs, outputs: inputs, dependencies: [], propertyDependencies: {} });
  const identityInputs = { resourceGroupName: "rg", resourceName: "id-srv" };
  const rgInputs = { resourceGroupName: "rg-old" };
  const prior = [
    component(U("x:index:Server", "srv"), "srv"),
    custom(U(`x:index:Server$${IDENTITY}`, "srv-id"), "srv-id", U("x:index:Server", "srv"), `${SUB}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-srv`, identityInputs),
    component(U("x:index:Old", "old"), "old"),
    custom(U(`x:index:Old$${RG}`, "old-rg"), "old-rg", U("x:index:Old", "old"), "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-old", rgInputs),
  ];

  let standIn: StandIn;
  let register: (type: string, name: string, parent: string, inputs: Record<string, unknown> | null, alias?: { parentUrn?: string; type?: string; name?: string }) => Promise<string | undefined>;
  beforeAll(async () => {
    standIn = await startStandIn({ project: "p", stack: "s", preview: false, update: { prior: { project: "p", stack: "s", resources: prior } } });
    const { ResourceMonitorClient } = require("@pulumi/pulumi/proto/resource_grpc_pb");
    const monitor = new ResourceMonitorClient(standIn.monitorAddress, grpc.credentials.createInsecure());
    register = (type, name, parent, inputs, alias) => {
      const req = new resourceProto.RegisterResourceRequest();
      req.setType(type);
      req.setName(name);
      req.setParent(parent);
      req.setCustom(inputs !== null);
      req.setObject(structPb.Struct.fromJavaScript((inputs ?? {}) as Parameters<typeof structPb.Struct.fromJavaScript>[0]));
      if (alias) {
        const spec = new aliasProto.Alias.Spec();
        spec.setName(alias.name ?? "");
        spec.setType(alias.type ?? "");
        if (alias.parentUrn) spec.setParenturn(alias.parentUrn);
        const a = new aliasProto.Alias();
        a.setSpec(spec);
        req.setAliasesList([a]);
      }
      return new Promise((resolve) => monitor.registerResource(req, (err: { details: string } | null) => resolve(err?.details)));
    };
  });
  afterAll(() => standIn.stop());

  it("takes the aliased resource over: same, not created again, and the old URN is not deleted", async () => {
    const server = U("x:index:Server", "srv");
    expect(await register("x:index:Server", "srv", "", null)).toBeUndefined();
    expect(await register("x:index:Identity", "srv", server, null)).toBeUndefined();
    // The identity moved under a new component; its alias names the parent it had.
    expect(await register(IDENTITY, "srv-id", U("x:index:Server$x:index:Identity", "srv"), identityInputs, { parentUrn: server })).toBeUndefined();
    // A renamed component's child inherits its alias (name re-prefixed): no alias of its own needed.
    expect(await register("x:index:New", "new", "", null, { type: "x:index:Old", name: "old" })).toBeUndefined();
    expect(await register(RG, "new-rg", U("x:index:New", "new"), rgInputs)).toBeUndefined();
    const update = standIn.deployment.update!;
    expect(update.finish()).toBeUndefined();
    expect(update.steps).toEqual([
      { op: "same", urn: U(`x:index:Server$x:index:Identity$${IDENTITY}`, "srv-id"), detail: `aliased from ${U(`x:index:Server$${IDENTITY}`, "srv-id")}` },
      { op: "same", urn: U(`x:index:New$${RG}`, "new-rg"), detail: `aliased from ${U(`x:index:Old$${RG}`, "old-rg")}` },
    ]);
  });

  it("refuses a registration of a URN another resource already took over as its alias", async () => {
    expect(await register(IDENTITY, "srv-id", U("x:index:Server", "srv"), identityInputs)).toMatch(/already took it over as an alias/);
  });
});
