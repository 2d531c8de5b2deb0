/**
 * One compiled expression pool for many document sets (the unmutated policy, every mutant, the variants), found
 * again on later runs WITHOUT parsing the documents: finding the expressions means parsing every set's XML, which
 * cost more than any other step of the mutation test once the compile itself is cached. The pool's method table
 * is kept beside the compiled assembly (test/support/apim/expressions.ts's cache folder), keyed by the documents'
 * text, the named values and the compiler's own sources. Test support only.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir, compileExpressions, formatErrors, MODEL_DIR, type ExpressionPool, type PolicyExpression } from "../support/apim/expressions";
import { GatewayEmulator, type EmulatorDocuments } from "./gateway";

export interface DocumentSet {
  documents: EmulatorDocuments;
  namedValues: Record<string, string>;
}

interface SavedPool {
  assemblyPath: string;
  /** Expression content -> compiled method index. */
  methods: Record<string, number>;
}

/** What makes two expressions one compiled method (as in expressions.ts: kind, expected type, code). */
const methodKey = (e: PolicyExpression): string => `${e.kind}\u0000${e.expectedType ?? ""}\u0000${e.code}`;

/** The compiler's inputs besides the expressions: the context model, the host and the compile step itself. */
function compilerSources(): string[] {
  return fs
    .readdirSync(MODEL_DIR)
    .filter((f) => /\.(cs|ts)$/.test(f) && !f.endsWith(".test.ts"))
    .sort()
    .map((f) => `${f}\u0000${fs.readFileSync(path.join(MODEL_DIR, f), "utf8")}`);
}

function asPool(saved: SavedPool): ExpressionPool {
  return { assemblyPath: saved.assemblyPath, methodFor: (e) => saved.methods[methodKey(e)] };
}

function readSaved(file: string): SavedPool | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as SavedPool;
    return fs.existsSync(saved.assemblyPath) ? saved : undefined;
  } catch {
    return undefined; // not there yet (or half-cleaned by the OS): compile
  }
}

/** Compiles every expression of the sets in one mcs run (or finds the earlier run's pool); throws on any error. */
export function documentSetsPool(sets: readonly DocumentSet[]): ExpressionPool {
  const hash = createHash("sha256");
  for (const part of [...compilerSources(), JSON.stringify(sets)]) hash.update(part).update("\0");
  const file = path.join(cacheDir(), `pool-${hash.digest("hex").slice(0, 32)}.json`);
  const saved = readSaved(file);
  if (saved) return asPool(saved);

  const exprs = sets.flatMap((s) => GatewayEmulator.expressionsOf(s.documents, s.namedValues));
  const result = compileExpressions(exprs);
  if (!result.ok) throw new Error(`policy expressions do not compile:\n${formatErrors(result.errors)}`);
  const fresh: SavedPool = { assemblyPath: result.assemblyPath!, methods: {} };
  exprs.forEach((e, i) => (fresh.methods[methodKey(e)] = result.methodOf[i]!));
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(fresh));
  fs.renameSync(tmp, file); // atomic: two jest workers may write the same pool
  return asPool(fresh);
}
