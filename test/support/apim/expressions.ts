/**
 * Finds every C# policy expression in APIM policy documents and compiles them with mono's `mcs` against the
 * documented context model (ApimContext.cs), all in ONE compiler run. Errors map back to the document and
 * XPath of the expression. Compiled assemblies are cached by content hash in os.tmpdir(), so repeated test
 * runs start at once. Test support only.
 *
 * Syntax follows "API Management policy expressions": `@(expression)` is one C# expression, `@{ ... }` a
 * block whose every code path returns. An attribute value or element text is an expression only when it is
 * one as a whole (after trimming), as on the gateway.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Document, Element } from "@xmldom/xmldom";
import { childElements, parsePolicyXml, substituteNamedValues, textOf, xpathOf } from "./xml";

export type ExpressionKind = "expression" | "block";

export interface PolicyExpression {
  /** Document name given to the extractor (e.g. "global", "api"). */
  document: string;
  /** `/policies[1]/inbound[1]/choose[1]/when[1]/@condition` or `.../set-body[1]/text()`. */
  location: string;
  kind: ExpressionKind;
  /** The C# inside `@( )` or `@{ }`, named values already substituted. */
  code: string;
  /** The static type the policy needs; only `bool` (conditions) is enforced at compile time. */
  expectedType?: "bool";
}

export interface ExtractOptions {
  /** Name used in locations and errors. @default "policy" */
  document?: string;
  /** Values for `{{name}}` references; a reference without a value throws. @default {} */
  namedValues?: Readonly<Record<string, string>>;
}

/** An expression's text if the whole value is `@( )` or `@{ }`, else undefined. */
export function asExpression(value: string): { kind: ExpressionKind; code: string } | undefined {
  const v = value.trim();
  if (v.startsWith("@(") && v.endsWith(")")) return { kind: "expression", code: v.slice(2, -1) };
  if (v.startsWith("@{") && v.endsWith("}")) return { kind: "block", code: v.slice(2, -1) };
  return undefined;
}

/** Attributes that are conditions: their expression must be `bool`. */
const BOOL_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = { when: ["condition"] };

export function expressionsOfDocument(doc: Document, document = "policy"): PolicyExpression[] {
  const found: PolicyExpression[] = [];
  const visit = (el: Element): void => {
    const xp = xpathOf(el);
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i)!;
      const e = asExpression(a.value);
      if (!e) continue;
      const isBool = BOOL_ATTRIBUTES[el.tagName]?.includes(a.name) ?? false;
      found.push({ document, location: `${xp}/@${a.name}`, ...e, ...(isBool ? { expectedType: "bool" as const } : {}) });
    }
    const children = childElements(el);
    if (children.length === 0) {
      const e = asExpression(textOf(el));
      if (e) found.push({ document, location: `${xp}/text()`, ...e });
    }
    children.forEach(visit);
  };
  visit(doc.documentElement!);
  return found;
}

/** Every policy expression of one document, named values substituted first. */
export function extractExpressions(xml: string, options: ExtractOptions = {}): PolicyExpression[] {
  const document = options.document ?? "policy";
  const doc = parsePolicyXml(xml, document);
  substituteNamedValues(doc, options.namedValues ?? {}, document);
  return expressionsOfDocument(doc, document);
}

export interface ExpressionError {
  /** Index of the expression in the array given to compileExpressions. */
  index: number;
  document: string;
  location: string;
  /** Line and column inside the expression's code (1-based). */
  line: number;
  column: number;
  code: string;
  message: string;
}

export interface CompileResult {
  ok: boolean;
  errors: ExpressionError[];
  /** The executable (context model + expressions + evaluation host) when ok. */
  assemblyPath?: string;
  /** For each input expression, the index n of its compiled method `E<n>` (identical expressions share one). */
  methodOf: number[];
}

/** Expressions compiled into one assembly, looked up by content (shared by several document sets). */
export interface ExpressionPool {
  assemblyPath: string;
  /** Method index of an expression with this kind, expected type and code; undefined if not in the pool. */
  methodFor(e: PolicyExpression): number | undefined;
}

const contentKey = (e: PolicyExpression): string => `${e.kind}\u0000${e.expectedType ?? ""}\u0000${e.code}`;

export const MODEL_DIR = __dirname;
const MODEL_SOURCES = ["ApimContext.cs", "ExpressionHost.cs"].map((f) => path.join(MODEL_DIR, f));

/** Newtonsoft.Json as installed by Debian's libnewtonsoft-json-cil-dev (GAC) or the cli path. */
export function newtonsoftPath(): string {
  // Debian's libnewtonsoft-json-cil-dev installs into the GAC (versioned folder) and /usr/lib/cli.
  const inDir = (dir: string, pattern: RegExp) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => pattern.test(d)).sort().reverse().map((d) => path.join(dir, d, "Newtonsoft.Json.dll")) : [];
  const candidates = [
    process.env.NEWTONSOFT_JSON_DLL,
    ...inDir("/usr/lib/mono/gac/Newtonsoft.Json", /^\d/),
    ...inDir("/usr/lib/cli", /^Newtonsoft\.Json/),
  ];
  const found = candidates.find((c): c is string => !!c && fs.existsSync(c));
  if (!found) throw new Error("Newtonsoft.Json.dll not found: apt-get install libnewtonsoft-json-cil-dev (or set NEWTONSOFT_JSON_DLL)");
  return found;
}

/** Namespaces the gateway allows in expressions (the documented type list), plus the model. */
const USINGS = [
  "System",
  "System.Collections.Generic",
  "System.Linq",
  "System.Net",
  "System.Security.Cryptography",
  "System.Text",
  "System.Text.RegularExpressions",
  "System.Xml",
  "System.Xml.Linq",
  "Newtonsoft.Json",
  "Newtonsoft.Json.Linq",
  "Apim.Model",
];

const fileTag = (i: number): string => `expr-${i}`;

/** The C# source: one static method `object E<n>(IContext context)` per expression, with #line mapping. */
export function expressionSource(exprs: readonly PolicyExpression[]): string {
  return generateSource(exprs).source;
}

/** Source plus, per expression, the first line of its method in the generated file (for errors mcs reports there). */
function generateSource(exprs: readonly PolicyExpression[]): { source: string; methodStartLines: number[] } {
  const methods = exprs.map((e, i) => {
    const mapped = `\n#line 1 "${fileTag(i)}"\n${e.code}\n#line default\n`;
    let body: string;
    if (e.kind === "expression") {
      body = e.expectedType === "bool" ? `bool __v = (${mapped}); return __v;` : `return (${mapped});`;
    } else {
      body = e.expectedType === "bool" ? `System.Func<bool> __f = () => {${mapped}}; return __f();` : `{${mapped}}`;
    }
    return `    // ${e.document} ${e.location}\n    public static object E${i}(IContext context)\n    {\n${body}\n    }`;
  });
  const header = `${USINGS.map((u) => `using ${u};`).join("\n")}\n\npublic static class PolicyExpressions\n{\n`;
  const methodStartLines: number[] = [];
  let line = header.split("\n").length;
  for (const m of methods) {
    methodStartLines.push(line);
    line += m.split("\n").length + 1; // methods are joined by a blank line
  }
  return { source: `${header}${methods.join("\n\n")}\n}\n`, methodStartLines };
}

export function cacheDir(): string {
  const dir = path.join(os.tmpdir(), "hardened-mcp-apim-expr-cache");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const ERROR_LINE = /^(.+?)\((\d+),(\d+)\): error (CS\d+): (.*)$/;

interface McsRun {
  errors: { file: string; line: number; column: number; code: string; message: string }[];
  output: string;
}

function runMcs(source: string, out: string): McsRun {
  const dir = fs.mkdtempSync(path.join(cacheDir(), "build-"));
  const src = path.join(dir, "PolicyExpressions.cs");
  fs.writeFileSync(src, source);
  const args = [
    "-target:exe",
    "-nologo",
    "-debug-",
    "-optimize+",
    "-nowarn:162,168,219,414,649,1998",
    `-out:${out}`,
    "-r:System.Core",
    "-r:System.Xml",
    "-r:System.Xml.Linq",
    `-r:${newtonsoftPath()}`,
    ...MODEL_SOURCES,
    src,
  ];
  let output: string;
  try {
    output = execFileSync("mcs", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    output = `${e.stdout ?? ""}${e.stderr ?? ""}` || e.message;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const errors = output
    .split(/\r?\n/)
    .map((l) => ERROR_LINE.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: path.basename(m[1]!), line: Number(m[2]), column: Number(m[3]), code: m[4]!, message: m[5]! }));
  return { errors, output };
}

function hashOf(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 32);
}

/**
 * Compiles all expressions in one mcs run (retrying without the failing ones, so that a syntax error in one
 * expression does not hide errors in others). Identical expressions (the same audit trace in 30 places)
 * compile once. Cached by content hash of model + expressions.
 */
export function compileExpressions(exprs: readonly PolicyExpression[]): CompileResult {
  const unique: PolicyExpression[] = [];
  const byKey = new Map<string, number>();
  const methodOf = exprs.map((e) => {
    const k = contentKey(e);
    let i = byKey.get(k);
    if (i === undefined) {
      i = unique.length;
      byKey.set(k, i);
      unique.push(e);
    }
    return i;
  });
  const compiled = compileUnique(unique);
  const errors: ExpressionError[] = [];
  for (const err of compiled.errors) {
    methodOf.forEach((m, i) => {
      if (m === err.index) errors.push({ ...err, index: i, document: exprs[i]!.document, location: exprs[i]!.location });
    });
  }
  return { ...compiled, errors, methodOf };
}

/** Compiles expressions (e.g. of several mutated document sets) into one assembly; throws on any error. */
export function compileExpressionPool(exprs: readonly PolicyExpression[]): ExpressionPool {
  const result = compileExpressions(exprs);
  if (!result.ok) throw new Error(`policy expressions do not compile:\n${formatErrors(result.errors)}`);
  const byKey = new Map<string, number>();
  exprs.forEach((e, i) => byKey.set(contentKey(e), result.methodOf[i]!));
  return { assemblyPath: result.assemblyPath!, methodFor: (e) => byKey.get(contentKey(e)) };
}

function compileUnique(exprs: readonly PolicyExpression[]): Omit<CompileResult, "methodOf"> {
  const modelText = MODEL_SOURCES.map((f) => fs.readFileSync(f, "utf8"));
  const key = hashOf([...modelText, expressionSource(exprs)]);
  const dir = cacheDir();
  const exe = path.join(dir, `${key}.exe`);
  const errorsFile = path.join(dir, `${key}.errors.json`);
  if (fs.existsSync(exe)) return { ok: true, errors: [], assemblyPath: exe };
  if (fs.existsSync(errorsFile)) return { ok: false, errors: JSON.parse(fs.readFileSync(errorsFile, "utf8")) as ExpressionError[] };

  const errors: ExpressionError[] = [];
  const failed = new Set<number>();
  for (let attempt = 0; attempt < 10; attempt++) {
    const stub = exprs.map((e, i) => (failed.has(i) ? { ...e, kind: "expression" as const, code: "null", expectedType: undefined } : e));
    const tmpOut = path.join(dir, `${key}.${process.pid}.${attempt}.exe`);
    const generated = generateSource(stub);
    const run = runMcs(generated.source, tmpOut);
    if (run.errors.length === 0 && fs.existsSync(tmpOut)) {
      if (errors.length === 0) {
        fs.renameSync(tmpOut, exe); // atomic: parallel jest workers may race to the same key
        return { ok: true, errors: [], assemblyPath: exe };
      }
      fs.rmSync(tmpOut, { force: true });
      break;
    }
    const before = failed.size;
    for (const e of run.errors) {
      const index = expressionIndexOf(e, generated.methodStartLines);
      if (index === undefined) throw new Error(`mcs failed outside any policy expression (context model or harness):\n${run.output}`);
      failed.add(index);
      const x = exprs[index]!;
      errors.push({ index, document: x.document, location: x.location, line: e.line, column: e.column, code: e.code, message: e.message });
    }
    if (failed.size === before) throw new Error(`mcs did not converge:\n${run.output}`);
  }
  fs.writeFileSync(errorsFile, JSON.stringify(errors));
  return { ok: false, errors };
}

/** The expression an error belongs to: by #line file name, or (e.g. "not all code paths return") by method. */
function expressionIndexOf(e: { file: string; line: number }, methodStartLines: readonly number[]): number | undefined {
  const m = /^expr-(\d+)$/.exec(e.file);
  if (m) return Number(m[1]);
  if (e.file !== "PolicyExpressions.cs") return undefined;
  let index: number | undefined;
  methodStartLines.forEach((start, i) => {
    if (e.line >= start) index = i;
  });
  return index;
}

/** One line per error: `api /policies[1]/inbound[1]/...@condition (1,5): CS0103 The name 'x' ...`. */
export function formatErrors(errors: readonly ExpressionError[]): string {
  return errors.map((e) => `${e.document} ${e.location} (${e.line},${e.column}): ${e.code} ${e.message}`).join("\n");
}
