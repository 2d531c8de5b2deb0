import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { encodeConfig, prepareLaunch } from "../../../testing/launcher/launch";
import { pwdAndMain, readProject, splitArgs } from "../../../testing/launcher/project";

const tiny = path.join(__dirname, "..", "fixtures", "tiny");
const repo = path.join(__dirname, "..", "..", "..");

function project(yaml: string, files: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), "");
  }
  return dir;
}

describe("the pwd/main rule (pkg/engine/project.go getPwdMain)", () => {
  it("runs a file main from its own directory, by base name", () => {
    const dir = project("name: p\nruntime: nodejs\n", ["infra/main.ts"]);
    expect(pwdAndMain(dir, "infra/main.ts")).toEqual({ pwd: path.join(dir, "infra"), main: "main.ts" });
  });
  it("runs a directory main as '.' inside it, and no main as '.' in the root", () => {
    const dir = project("name: p\nruntime: nodejs\n", ["app/index.ts"]);
    expect(pwdAndMain(dir, "app")).toEqual({ pwd: path.join(dir, "app"), main: "." });
    expect(pwdAndMain(dir, undefined)).toEqual({ pwd: dir, main: "." });
  });
  it("refuses a main that does not exist", () => {
    const dir = project("name: p\nruntime: nodejs\n");
    expect(() => pwdAndMain(dir, "missing.ts")).toThrow("project 'main' could not be read");
  });
});

describe("Pulumi.yaml runtime options (main.go parseOptions)", () => {
  it("defaults typescript to true and reads tsconfig and nodeargs", () => {
    expect(readProject(project("name: p\nruntime: nodejs\n")).options).toEqual({ typescript: true });
    const dir = project('name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    tsconfig: tsconfig.pulumi.json\n    nodeargs: "--require tsx/cjs"\n');
    expect(readProject(dir).options).toEqual({ typescript: false, tsconfig: "tsconfig.pulumi.json", nodeargs: "--require tsx/cjs" });
  });
  it("refuses options of the wrong type and other runtimes, with the host's messages", () => {
    expect(() => readProject(project('name: p\nruntime:\n  name: nodejs\n  options:\n    typescript: "yes"\n'))).toThrow("typescript option must be a boolean");
    expect(() => readProject(project("name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: 3\n"))).toThrow("nodeargs option must be a string");
    expect(() => readProject(project("name: p\nruntime: python\n"))).toThrow('runtime "python" is not nodejs');
  });
  it("splits nodeargs like a shell", () => {
    expect(splitArgs(`--require tsx/cjs  --max-old-space-size=4096 "--title=a b" 'c d' e\\ f`)).toEqual([
      "--require",
      "tsx/cjs",
      "--max-old-space-size=4096",
      "--title=a b",
      "c d",
      "e f",
    ]);
    expect(() => splitArgs(`"open`)).toThrow("unclosed");
  });
});

describe("the command line and environment (main.go constructArguments, execRuntime)", () => {
  const base = { stack: "dev", monitorAddress: "127.0.0.1:1", engineAddress: "127.0.0.1:2", parallel: 8 };

  it("passes the host's flags in the host's order, ending with the entry point", () => {
    const launch = prepareLaunch({ ...base, dir: tiny, preview: true });
    const syncDir = launch.args[launch.args.indexOf("--sync") + 1];
    // The sync folder is a fresh temp folder; the checkout itself may live under the temp folder too (CI clones).
    expect(path.dirname(syncDir)).toBe(os.tmpdir());
    const args = launch.args.map((a) => (a === syncDir ? "<sync>" : a));
    expect(args).toEqual([
      path.join(repo, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js"),
      "--monitor", "127.0.0.1:1",
      "--engine", "127.0.0.1:2",
      "--sync", "<sync>",
      "--organization", "organization",
      "--project", "tiny",
      "--root-directory", tiny,
      "--stack", "dev",
      "--pwd", path.join(tiny, "program"),
      "--dry-run",
      "--parallel", "8",
      "index.js",
    ]);
    expect(launch.cwd).toBe(path.join(tiny, "program"));
  });

  it("leaves out --dry-run for an update", () => {
    expect(prepareLaunch({ ...base, dir: tiny, preview: false }).args).not.toContain("--dry-run");
  });

  it("puts nodeargs before the run module", () => {
    const dir = project('name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: "--require tsx/cjs"\n');
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
    const launch = prepareLaunch({ ...base, dir, preview: true, config: { config: {}, secretKeys: [] } });
    expect(launch.args.slice(0, 2)).toEqual(["--require", "tsx/cjs"]);
    expect(launch.args[2]).toMatch(/@pulumi\/pulumi\/cmd\/run\/index\.js$/);
    expect(launch.args.at(-1)).toBe(".");
  });

  it("encodes config as namespace:config:name JSON, secret keys as given, TypeScript flags from the options", () => {
    const launch = prepareLaunch({ ...base, dir: tiny, preview: true });
    expect(JSON.parse(launch.env.PULUMI_CONFIG)).toEqual({
      "tiny:config:greeting": "hello",
      "tiny:config:limits": '{"calls":3}',
      "tiny:config:apiKey": "[secret]",
    });
    expect(JSON.parse(launch.env.PULUMI_CONFIG_SECRET_KEYS)).toEqual(["tiny:apiKey"]);
    expect(launch.env.PULUMI_NODEJS_TYPESCRIPT).toBeUndefined();
    const ts = project('name: p\nruntime:\n  name: nodejs\n  options:\n    tsconfig: tsconfig.pulumi.json\n');
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(ts, "node_modules"));
    const env = prepareLaunch({ ...base, dir: ts, preview: true, config: { config: {}, secretKeys: [] } }).env;
    expect(env).toEqual({ PULUMI_CONFIG: "{}", PULUMI_CONFIG_SECRET_KEYS: "[]", PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" });
  });

  it("refuses a config key without a namespace", () => {
    expect(() => encodeConfig({ plain: "x" })).toThrow('config key "plain" has no namespace');
  });

  it("fails like the host when @pulumi/pulumi is not installed for the program", () => {
    const dir = fs.mkdtempSync(path.join("/", "tmp", "nosdk-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    expect(() => prepareLaunch({ ...base, dir, preview: true, config: { config: {}, secretKeys: [] } })).toThrow("It looks like the Pulumi SDK has not been installed");
  });
});
