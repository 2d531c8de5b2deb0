import { readFileSync } from "node:fs";
import { z } from "zod";
import { nameFromUrn } from "../config/exemptions";
import { countEncryptedSecrets, normalizeValue, type Snapshot, type SnapshotFormat, type SnapshotResource } from "./snapshot";

/** Bad input (unreadable file, wrong shape): the CLI prints the message on one line and exits 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

const props = z.record(z.string(), z.unknown());
const urnList = z.array(z.string());
const propertyDependencies = z.record(z.string(), z.array(z.string()).nullable());

const planFile = z.object({
  version: z.literal(1),
  project: z.string().optional(),
  stack: z.string().optional(),
  resources: z.array(
    z.object({
      urn: z.string(),
      type: z.string(),
      name: z.string().optional(),
      parent: z.string().nullable().optional(),
      custom: z.boolean().optional(),
      provider: z.string().nullable().optional(),
      inputs: props.nullable().optional(),
      outputs: props.nullable().optional(),
      dependencies: urnList.nullable().optional(),
      propertyDependencies: propertyDependencies.nullable().optional(),
    }),
  ),
});

/** `apitype.ResourceV3`, the shape of a resource in a stack export and in a preview's step states. */
const resourceV3 = z.object({
  urn: z.string(),
  type: z.string(),
  custom: z.boolean().optional(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  parent: z.string().optional(),
  provider: z.string().optional(),
  protect: z.boolean().optional(),
  inputs: props.nullable().optional(),
  outputs: props.nullable().optional(),
  dependencies: urnList.nullable().optional(),
  propertyDependencies: propertyDependencies.nullable().optional(),
});

const stackExport = z.object({
  version: z.literal(3),
  deployment: z.object({ resources: z.array(resourceV3).nullable().optional() }),
});

const previewDigest = z.object({
  steps: z
    .array(
      z.object({
        op: z.string(),
        urn: z.string(),
        newState: resourceV3.nullable().optional(),
        oldState: resourceV3.nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
  changeSummary: z.record(z.string(), z.number()).nullable().optional(),
});

/** Step ops whose resource is not in the stack afterwards; the rest (same, create, update, replace...) are. */
const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

/** What each input is and how to produce it: the fix every "not a ..." message ends with. */
const PRODUCE: Record<SnapshotFormat, string> = {
  plan: "write it with `hardened-mcp plan --out FILE`",
  preview: "write it with `pulumi preview --json --show-sames > FILE`",
  "stack-export": "write it with `pulumi stack export > FILE`",
};

/** The JSON type of a value, as a reader says it. */
function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

/** The value at a zod issue's path in the parsed JSON. */
function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let cursor = json;
  for (const key of path) cursor = cursor !== null && typeof cursor === "object" ? (cursor as Record<PropertyKey, unknown>)[key] : undefined;
  return cursor;
}

const EXPECTED: Record<string, string> = { string: "a string", number: "a number", boolean: "true or false", array: "a list", object: "an object", record: "an object" };

/**
 * One schema problem in our own words: where (a JSON path), what was expected and what was found. Zod's
 * wording is never shown: it names zod's types, not the file's.
 */
function describeIssue(error: z.ZodError, json: unknown): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") : "the document";
  const found = kindOf(valueAt(json, issue.path));
  let expected = "something else";
  if (issue.code === "invalid_type") expected = EXPECTED[String(issue.expected)] ?? String(issue.expected);
  else if (issue.code === "invalid_value") expected = issue.values.map((v) => JSON.stringify(v)).join(" or ");
  else if (issue.code === "unrecognized_keys") return `${where} has unexpected keys ${issue.keys.join(", ")}`;
  return `${where} should be ${expected} but is ${found}`;
}

function parse<T>(schema: z.ZodType<T>, json: unknown, what: string, format: SnapshotFormat): T {
  const result = schema.safeParse(json);
  if (!result.success) throw new InputError(`not a ${what}: ${describeIssue(result.error, json)}; ${PRODUCE[format]}.`);
  return result.data;
}

function normalizeProps(value: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return normalizeValue(value ?? {}) as Record<string, unknown>;
}

function dependencyMap(value: Record<string, string[] | null> | null | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(value ?? {})) if (v && v.length > 0) out[k] = v;
  return out;
}

type V3 = z.infer<typeof resourceV3>;
type Recorded = Pick<V3, "urn" | "type" | "inputs" | "outputs" | "dependencies" | "propertyDependencies"> & {
  parent?: string | null;
  provider?: string | null;
  protect?: boolean;
};

/** The fields every source records the same way. */
function snapshotResource(r: Recorded, name: string, custom: boolean): SnapshotResource {
  return {
    urn: r.urn,
    type: r.type,
    name,
    custom,
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    inputs: normalizeProps(r.inputs),
    ...(r.outputs && Object.keys(r.outputs).length > 0 ? { outputs: normalizeProps(r.outputs) } : {}),
    dependencies: r.dependencies ?? [],
    propertyDependencies: dependencyMap(r.propertyDependencies),
    ...(r.protect ? { protect: true } : {}),
  };
}

/** The V3 `custom` flag is omitted when false (components, the stack). */
function fromResourceV3(r: V3): SnapshotResource {
  return snapshotResource(r, nameFromUrn(r.urn), r.custom === true);
}

/** The kit's plan file (`hardened-mcp plan --out`). */
export function readPlan(json: unknown, file?: string): Snapshot {
  const plan = parse(planFile, json, "hardened-mcp plan file (version 1)", "plan");
  const parents = new Set(plan.resources.map((r) => r.parent).filter((p): p is string => typeof p === "string"));
  return {
    format: "plan",
    file,
    project: plan.project,
    stack: plan.stack,
    // Plans from the mock runtime record `custom`; without it, a resource others hang off is a component.
    resources: plan.resources.map((r) =>
      snapshotResource(r, r.name ?? nameFromUrn(r.urn), r.custom ?? !(r.type.startsWith("pulumi:") || parents.has(r.urn))),
    ),
  };
}

/** `pulumi preview --json`: each step's new state, except for resources the preview deletes. */
export function readPreview(json: unknown, file?: string): Snapshot {
  const digest = parse(previewDigest, json, "`pulumi preview --json` document", "preview");
  if (!digest.steps) throw new InputError(`not a \`pulumi preview --json\` document: it has no steps[]; ${PRODUCE.preview}.`);
  // Without --show-sames the digest lists changed resources only: a stack rule would then miss the
  // unchanged private endpoint or diagnostic setting of a changed vault and report it missing.
  const unchanged = digest.changeSummary?.["same"] ?? 0;
  if (unchanged > 0 && !digest.steps.some((s) => s.op === "same")) {
    throw new InputError(
      `the preview leaves out its ${unchanged} unchanged resource(s), so cross-resource rules cannot see them; run \`pulumi preview --json --show-sames\`.`,
    );
  }
  const byUrn = new Map<string, SnapshotResource>();
  for (const step of digest.steps) {
    if (GONE.has(step.op) || !step.newState) continue;
    // A replacement shows up as several steps for one URN; the last new state is the one that stays.
    byUrn.delete(step.urn);
    byUrn.set(step.urn, fromResourceV3(step.newState));
  }
  const stackUrn = [...byUrn.keys()].find((u) => u.includes("::pulumi:pulumi:Stack::"));
  return { format: "preview", file, ...stackAndProject(stackUrn), resources: [...byUrn.values()] };
}

/** `pulumi stack export` (deployment version 3); pending deletions are skipped. */
export function readStackExport(json: unknown, file?: string): Snapshot {
  const exported = parse(stackExport, json, "`pulumi stack export` document (version 3)", "stack-export");
  const kept = (exported.deployment.resources ?? []).filter((r) => !r.delete);
  const resources = kept.map(fromResourceV3);
  // Every URN names the stack and project; the Stack resource's is the canonical one.
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? resources[0]?.urn;
  // The engine hands policies secrets in plaintext; an export carries them encrypted, so rules see only "[secret]".
  const encrypted = kept.reduce((n, r) => n + countEncryptedSecrets(r.inputs) + countEncryptedSecrets(r.outputs), 0);
  const warnings =
    encrypted > 0
      ? [
          `${encrypted} secret value${encrypted === 1 ? " is" : "s are"} encrypted in this export (the stack's secrets provider cannot be read here): ` +
            "rules see them only as set, never their content, while `pulumi preview --policy-pack` sees the values. " +
            "Run the pack in the engine for a full check; do not export with --show-secrets just for this (it writes every secret in clear).",
        ]
      : [];
  return { format: "stack-export", file, ...stackAndProject(stackUrn), resources, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** `urn:pulumi:<stack>::<project>::...` */
function stackAndProject(urn: string | undefined): { stack?: string; project?: string } {
  const match = urn ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn) : null;
  return match ? { stack: match[1], project: match[2] } : {};
}

const READERS: Record<SnapshotFormat, (json: unknown, file?: string) => Snapshot> = {
  plan: readPlan,
  preview: readPreview,
  "stack-export": readStackExport,
};

/** Reads and parses a JSON file; every failure becomes an InputError naming the file. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${file}${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}.`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new InputError(`${what} ${file} is not valid JSON: ${(err as Error).message}.`);
  }
}

/** Reads a snapshot from a file in the given format. */
export function readSnapshotFile(format: SnapshotFormat, file: string): Snapshot {
  const json = readJsonFile(file, `--${format} file`);
  try {
    return READERS[format](json, file);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
}
