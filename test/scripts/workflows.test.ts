/**
 * The pipelines users copy: every command they run must exist in this package (a verb of the table with
 * the flags its --help documents, an npm script), every action pinned by a full commit SHA, and the
 * security shape of each workflow (OIDC, least permissions, an approval environment for deploy).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../cli/main";
import { verbs } from "../../cli/verbs";

const root = path.resolve(__dirname, "..", "..");
const workflowDir = path.join(root, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };

interface Step {
  uses?: string;
  run?: string;
  script?: string;
  with?: Record<string, unknown>;
  inputs?: { inlineScript?: string };
}
interface Job {
  permissions?: Record<string, string>;
  environment?: string;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflows = new Map(workflowFiles.map((f) => [f, parse(fs.readFileSync(path.join(workflowDir, f), "utf8")) as Workflow]));
const adoPipeline = fs.readFileSync(path.join(root, "azure-pipelines.yml"), "utf8");

/** Every shell line the pipelines run (GitHub `run`, Azure DevOps `script` and inline scripts). */
function shellLines(): { where: string; line: string }[] {
  const lines: { where: string; line: string }[] = [];
  const collect = (where: string, node: unknown): void => {
    if (Array.isArray(node)) node.forEach((n) => collect(where, n));
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if ((key === "run" || key === "script" || key === "inlineScript") && typeof value === "string") {
          for (const line of value.split("\n")) lines.push({ where, line });
        } else collect(where, value);
      }
    }
  };
  for (const [file, wf] of workflows) collect(file, wf);
  collect("azure-pipelines.yml", parse(adoPipeline));
  return lines;
}

const lines = shellLines();

const helpTexts = new Map<string, string>();

/** A verb's --help text (verbs print it with console.log or straight to stdout), once per verb. */
async function helpOf(verb: string): Promise<string> {
  const cached = helpTexts.get(verb);
  if (cached !== undefined) return cached;
  const printed: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((text: unknown) => void printed.push(String(text)));
  const write = jest.spyOn(process.stdout, "write").mockImplementation((text: string | Uint8Array) => printed.push(String(text)) > 0);
  try {
    expect(await main([verb, "--help"])).toBe(0);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  helpTexts.set(verb, printed.join("\n"));
  return printed.join("\n");
}

describe("the pipelines", () => {
  it("has the three GitHub workflows and the Azure DevOps twin", () => {
    expect(workflowFiles.sort()).toEqual(["deploy.yml", "drift.yml", "pull-request.yml"]);
    expect(Object.keys(parse(adoPipeline) as Record<string, unknown>)).toEqual(expect.arrayContaining(["trigger", "pr", "schedules", "stages"]));
  });

  it("runs only hardened-mcp verbs that exist, with flags their --help documents", async () => {
    const calls = lines.filter((l) => /\bhardened-mcp\s/.test(l.line));
    expect(calls.length).toBeGreaterThanOrEqual(8);
    for (const { where, line } of calls) {
      const [, verb, rest] = /\bhardened-mcp\s+([a-z-]+)(.*)$/.exec(line) ?? [];
      expect({ where, line, verb: Object.prototype.hasOwnProperty.call(verbs, verb) }).toEqual({ where, line, verb: true });
      const help = await helpOf(verb);
      for (const flag of rest.match(/--[a-z-]+/g) ?? []) {
        expect({ where, flag, documented: help.includes(flag) }).toEqual({ where, flag, documented: true });
      }
    }
  });

  it("runs only npm scripts the package defines", () => {
    const scripts = lines.flatMap(({ where, line }) => [...line.matchAll(/\bnpm (?:run )?(test|run \S+)/g)].map((m) => ({ where, name: m[1].replace(/^run /, "") })));
    expect(scripts.map((s) => s.name)).toContain("test");
    for (const s of scripts) expect({ ...s, defined: s.name in pkg.scripts }).toEqual({ ...s, defined: true });
  });

  it("pins every action by a full commit SHA", () => {
    const uses = [...workflows.values()].flatMap((wf) => Object.values(wf.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.uses).filter((u): u is string => !!u)));
    expect(uses.length).toBeGreaterThan(10);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it("grants least privilege: read-only by default, id-token only where Azure is reached, deploy behind an approval environment", () => {
    for (const [file, wf] of workflows) expect({ file, permissions: wf.permissions }).toEqual({ file, permissions: { contents: "read" } });
    const deploy = workflows.get("deploy.yml")!.jobs.deploy;
    expect(deploy.environment).toBe("production");
    expect(deploy.permissions).toEqual({ contents: "read", "id-token": "write" });
    const pr = workflows.get("pull-request.yml")!;
    expect(pr.jobs.verify.permissions).toEqual({ contents: "read", "security-events": "write" });
    expect(pr.jobs.preview.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
  });

  it("previews with the policy pack and its config, comments on the PR, and checks drift expecting no changes", () => {
    const pulumiStep = (file: string, job: string) => workflows.get(file)!.jobs[job].steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    expect(pulumiStep("pull-request.yml", "preview").with).toMatchObject({
      command: "preview",
      policyPacks: "./policies",
      policyPackConfigs: "policies/config/example.json",
      "comment-on-pr": true,
    });
    expect(pulumiStep("deploy.yml", "deploy").with).toMatchObject({ command: "up", policyPacks: "./policies" });
    expect(pulumiStep("drift.yml", "drift").with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true });
    expect(Object.keys(workflows.get("drift.yml")!.on)).toContain("schedule");
    expect(fs.existsSync(path.join(root, "policies", "config", "example.json"))).toBe(true);
  });

  it("deploys in the order preflight, up, smoke", () => {
    const steps = workflows.get("deploy.yml")!.jobs.deploy.steps!.map((s) => s.run ?? s.uses ?? "");
    const at = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s));
    expect(at(/^azure\/login@/)).toBeGreaterThan(-1);
    expect(at(/^azure\/login@/)).toBeLessThan(at(/hardened-mcp preflight/));
    expect(at(/hardened-mcp preflight/)).toBeLessThan(at(/^pulumi\/actions@/));
    expect(at(/^pulumi\/actions@/)).toBeLessThan(at(/hardened-mcp smoke/));
  });
});
