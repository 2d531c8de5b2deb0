/**
 * Holds every compiled policy expression against the gateway's allowed .NET types (allowedTypes.ts): TypeRefs.cs
 * reads the IL of the expressions assembly and lists, per expression method, the types and members it
 * references; `checkAllowedTypes` maps them back to expressions. The tool is compiled once and its output cached
 * per assembly (both by content hash), like the expressions harness. Test support only.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { allowedTypeTable, EXCLUDED_MEMBERS, type AllowedMembers } from "./allowedTypes";
import { cacheDir, MODEL_DIR, newtonsoftPath, type CompileResult, type PolicyExpression } from "./expressions";

/** One reference from an expression's IL: a type, or a member (`.ctor`, `get_Now`, `Parse`) of it. */
export interface TypeRef {
  type: string;
  member?: string;
}

const TOOL_SOURCE = path.join(MODEL_DIR, "TypeRefs.cs");

function toolPath(): string {
  const newtonsoft = newtonsoftPath();
  const key = createHash("sha256").update(fs.readFileSync(TOOL_SOURCE)).update(newtonsoft).digest("hex").slice(0, 32);
  const exe = path.join(cacheDir(), `typerefs-${key}.exe`);
  if (fs.existsSync(exe)) return exe;
  const tmp = `${exe}.${process.pid}.tmp.exe`;
  execFileSync("mcs", ["-target:exe", "-nologo", "-optimize+", `-out:${tmp}`, `-r:${newtonsoft}`, TOOL_SOURCE], { stdio: ["ignore", "pipe", "pipe"] });
  fs.renameSync(tmp, exe); // atomic: parallel jest workers may race to the same key
  return exe;
}

/** Method index `n` of `E<n>` -> the types and members its IL references (lambdas and closures included). */
export function typeRefsOf(assemblyPath: string): ReadonlyMap<number, readonly TypeRef[]> {
  const tool = toolPath();
  const out = `${assemblyPath}.${path.basename(tool, ".exe")}.jsonl`;
  if (!fs.existsSync(out)) {
    const text = execFileSync("mono", [tool, assemblyPath, newtonsoftPath()], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
    const tmp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, out);
  }
  const refs = new Map<number, TypeRef[]>();
  for (const line of fs.readFileSync(out, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { method: number; refs: TypeRef[] };
    refs.set(row.method, row.refs);
  }
  return refs;
}

export interface AllowedTypeViolation {
  document: string;
  location: string;
  /** CLR name as TypeRefs.cs prints it (`System.IO.File`, `System.Collections.Generic.List\`1`). */
  type: string;
  /** The member outside the type's listed members; absent when the type itself is not allowed. */
  member?: string;
  code: string;
}

/** `.ctor` -> `(Constructor)`, `get_Now` -> `Now`: the doc's spelling of a member. */
export function docMemberName(member: string): string {
  if (member === ".ctor") return "(Constructor)";
  const accessor = /^get_(.+)$/.exec(member);
  return accessor ? accessor[1]! : member;
}

/** Why a reference is outside the list, or undefined when it is allowed. */
export function violationOf(ref: TypeRef, table: ReadonlyMap<string, AllowedMembers> = allowedTypeTable()): Pick<AllowedTypeViolation, "type" | "member"> | undefined {
  let members = table.get(ref.type);
  // A type nested in an "All" type (List<T>.Enumerator, Dictionary<K,V>.KeyCollection) is part of its members.
  const outer = ref.type.includes("+") ? table.get(ref.type.slice(0, ref.type.lastIndexOf("+"))) : undefined;
  if (members === undefined && outer === "All") members = "All";
  if (members === undefined) return { type: ref.type };
  if (ref.member === undefined) return undefined;
  const name = docMemberName(ref.member);
  const allowed = members === "All" ? !(EXCLUDED_MEMBERS[ref.type]?.includes(name) ?? false) : members.includes(name);
  return allowed ? undefined : { type: ref.type, member: ref.member };
}

/** Violations of the allowed type list by the compiled expressions, one per expression and offending type/member. */
export function checkAllowedTypes(exprs: readonly PolicyExpression[], result: CompileResult): AllowedTypeViolation[] {
  if (!result.ok || !result.assemblyPath) throw new Error("checkAllowedTypes needs a successful compileExpressions result");
  if (result.methodOf.length !== exprs.length) throw new Error("checkAllowedTypes: the expressions are not the ones compiled");
  const refs = typeRefsOf(result.assemblyPath);
  const table = allowedTypeTable();
  const violations: AllowedTypeViolation[] = [];
  exprs.forEach((e, i) => {
    const method = result.methodOf[i]!;
    const own = refs.get(method);
    if (own === undefined) throw new Error(`TypeRefs found no method E${method} for ${e.document} ${e.location}`);
    const seen = new Set<string>();
    for (const ref of own) {
      const v = violationOf(ref, table);
      if (!v) continue;
      const key = `${v.type}\u0000${v.member ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push({ document: e.document, location: e.location, ...v, code: e.code });
    }
  });
  return violations;
}

/** One line per violation: `api /policies[1]/...@value: System.IO.File` or `...: System.DateTime::FromBinary`. */
export function formatViolations(violations: readonly AllowedTypeViolation[]): string {
  return violations.map((v) => `${v.document} ${v.location}: ${v.type}${v.member ? `::${v.member}` : ""}`).join("\n");
}
