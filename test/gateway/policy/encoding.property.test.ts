/**
 * Properties of the two encoders that put configured values into the gateway's policies: `csString` (a value
 * spliced into a C# policy expression) and the named-value list encoders (data the expressions search with
 * `IndexOf(";" + x + ...)`). The C# literals are also compiled and run with mono once, as a batch.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { csString, encodeList, encodeToolPermissions, encodeToolPins } from "../../../infra/gateway/policy";

const RUNS = { numRuns: 200 };

/** Strings that stress an escaper: quotes, backslashes, braces, controls, non-ASCII, astral code points. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "\\", "{", "}", "@", "\n", "\r", "\t", "\0", "\u2028", "\u007f", "\u00e9", "\ud83d\ude00", "\ud800"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 24,
});

/**
 * Reads a C# regular string literal the way the C# specification defines it (written here, independently of the
 * encoder), accepting only the escapes the encoder may use, and only printable ASCII otherwise.
 */
function readCsLiteral(literal: string): string {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2) throw new Error(`not a literal: ${literal}`);
  const body = literal.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') throw new Error(`unescaped quote at ${i}`);
    if (ch < " " || ch > "~") throw new Error(`raw character U+${ch.charCodeAt(0).toString(16)} at ${i}`);
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const kind = body[++i];
    if (kind === '"' || kind === "\\") out += kind;
    else if (kind === "u" || kind === "U") {
      const digits = kind === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new Error(`bad \\${kind} escape at ${i}`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += digits;
    } else throw new Error(`escape \\${kind} at ${i}`);
  }
  return out;
}

describe("csString (property)", () => {
  // Would catch: an unescaped quote or backslash (a configured value ending the literal early and injecting C#
  // into the policy), a raw control or non-ASCII character in the policy XML, or a lossy escape (a value that
  // reaches the expression changed, e.g. an astral character cut into a broken \u escape).
  it("is a C# literal of printable ASCII that reads back as the same string", () => {
    fc.assert(
      fc.property(tricky, (value) => {
        expect(readCsLiteral(csString(value))).toBe(value);
      }),
      RUNS,
    );
  });

  // The C# compiler is the real reader: every sampled literal, compiled with mcs and run with mono, prints the
  // UTF-16 code units of the original string. Would catch an escape the hand-written reader above misjudges.
  it("compiles with mcs to the same UTF-16 string", () => {
    const values = fc.sample(tricky, { numRuns: 150, seed: 9 });
    values.push("", '"', "\\", "\\u0041", "{{name}}", "\ud83d\ude00");
    const dir = mkdtempSync(path.join(os.tmpdir(), "cs-string-"));
    try {
      writeFileSync(
        path.join(dir, "p.cs"),
        [
          "class P { static void Main() {",
          `  string[] xs = new string[] { ${values.map(csString).join(", ")} };`,
          '  foreach (var x in xs) { var sb = new System.Text.StringBuilder("="); foreach (char c in x) sb.Append(((int)c).ToString("x4")); System.Console.WriteLine(sb.ToString()); }',
          "} }",
        ].join("\n"),
      );
      const compiled = spawnSync("mcs", ["-nologo", "-out:p.exe", "p.cs"], { cwd: dir, encoding: "utf8" });
      expect(compiled.stdout + compiled.stderr).toBe("");
      const run = spawnSync("mono", ["p.exe"], { cwd: dir, encoding: "utf8" });
      const units = (s: string): string =>
        "=" + [...Array(s.length).keys()].map((i) => s.charCodeAt(i).toString(16).padStart(4, "0")).join("");
      expect(run.stdout.trim().split("\n")).toEqual(values.map(units));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Element grammars as settings validation admits them (baseline/identifiers: MCP_TOOL_NAME, ENTRA_CLAIM_VALUE),
// written out here so the test does not import the rule it relies on.
const toolName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
const claimValue = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,8}$/);
const sha = fc.stringMatching(/^[0-9a-f]{64}$/);
const tools = fc.uniqueArray(
  fc.record({
    name: toolName,
    scopes: fc.array(claimValue, { maxLength: 3 }),
    roles: fc.array(claimValue, { maxLength: 3 }),
    definitionSha256: fc.oneof(fc.constant(""), sha),
  }),
  { selector: (t) => t.name, maxLength: 6 },
);

/** The gateway's lookup (authorize.ts, toolList.ts): the entry after `;name=` up to the next `;`, or none. */
function entryOf(encoded: string, name: string): string | undefined {
  const at = encoded.indexOf(`;${name}=`);
  if (at < 0) return undefined;
  const start = at + name.length + 2;
  return encoded.slice(start, encoded.indexOf(";", start));
}

describe("named-value encoders (property)", () => {
  // Would catch: a list without its outer separators (the first or last element no longer matches, or "read"
  // matches inside "do_read"), or an empty list encoded as "" (APIM refuses an empty named value).
  it("encodeList: ';' + x + ';' occurs exactly when x is an element", () => {
    const element = fc.stringMatching(/^[A-Za-z0-9_.:/-]{0,10}$/);
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), element, (values, probe) => {
        const encoded = encodeList(values);
        expect(encoded.length).toBeGreaterThan(0);
        for (const v of values) expect(encoded.includes(`;${v};`)).toBe(true);
        expect(encoded.includes(`;${probe};`)).toBe(values.includes(probe));
      }),
      RUNS,
    );
  });

  // Would catch: scopes and roles swapped or merged, a tool matched by another tool's name as prefix or suffix,
  // or an unknown tool finding an entry (a tool nobody approved getting some tool's permissions).
  it("encodeToolPermissions: the gateway's lookup finds each tool's own scopes and roles, and nothing for others", () => {
    fc.assert(
      fc.property(tools, toolName, (list, probe) => {
        const encoded = encodeToolPermissions(list);
        for (const t of list) {
          const [scopes, roles, ...rest] = entryOf(encoded, t.name)!.split("|");
          expect([scopes.split(",").filter(Boolean), roles.split(",").filter(Boolean), rest]).toEqual([t.scopes, t.roles, []]);
        }
        if (!list.some((t) => t.name === probe)) expect(entryOf(encoded, probe)).toBeUndefined();
      }),
      RUNS,
    );
  });

  // Would catch: an unpinned tool getting an entry (every definition of it would then count as drift), or a pin
  // found under the wrong tool.
  it("encodeToolPins: each pinned tool's own hash, and no entry for an unpinned tool", () => {
    fc.assert(
      fc.property(tools, (list) => {
        const encoded = encodeToolPins(list);
        for (const t of list) expect(entryOf(encoded, t.name)).toBe(t.definitionSha256 === "" ? undefined : t.definitionSha256);
      }),
      RUNS,
    );
  });
});
