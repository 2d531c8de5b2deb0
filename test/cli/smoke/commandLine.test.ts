import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../cli/main";
import { packageVersion } from "../../../cli/version";

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const code = await main(argv);
    return { code, out: log.mock.calls.map((c) => String(c[0])).join("\n") };
  } finally {
    log.mockRestore();
  }
}

describe("the command line around the verbs", () => {
  it("prints the package version with --version and -V", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string };
    expect(await capture(["--version"])).toEqual({ code: 0, out: `hardened-mcp ${version}` });
    expect((await capture(["-V"])).out).toBe(`hardened-mcp ${version}`);
  });

  it("finds the version from the compiled layout (dist/cli), and only in this package's package.json", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pkg-"));
    fs.mkdirSync(path.join(root, "dist", "cli"), { recursive: true });
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "hardened-mcp-azure", version: "9.8.7" }));
    fs.writeFileSync(path.join(root, "dist", "package.json"), JSON.stringify({ name: "something-else", version: "0.0.1" }));
    expect(packageVersion(path.join(root, "dist", "cli"))).toBe("9.8.7");
  });

  it.each(["secrets", "smoke"])("lists %s in the usage and answers its --help with 0", async (verb) => {
    expect((await capture(["--help"])).out).toMatch(new RegExp(`^\\s+${verb}\\s+\\S`, "m"));
    const help = await capture([verb, "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(new RegExp(`^usage: hardened-mcp ${verb}`));
  });
});
