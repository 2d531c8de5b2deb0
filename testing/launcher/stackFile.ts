import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { REDACTED } from "../engine/wire";

/** A stack's config as the engine hands it to the program, and which keys are secret. */
export interface StackFileConfig {
  /** `{ "project:key": value }`: strings as written, everything else as JSON text (as Pulumi passes them). */
  readonly config: Record<string, string>;
  /** Keys whose value is (or contains) a `secure:` value; their values read `[secret]`. */
  readonly secretKeys: string[];
}

function isSecure(value: unknown): value is { secure: string } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces every `{ secure: ... }` (at any depth) with `[secret]`; reports whether one was found. */
function redactSecure(value: unknown, found: { secret: boolean }): unknown {
  if (isSecure(value)) {
    found.secret = true;
    return REDACTED;
  }
  if (Array.isArray(value)) return value.map((v) => redactSecure(v, found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecure(v, found)]));
  }
  return value;
}

/**
 * Reads the `config:` block of a `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program:
 * strings stay strings, numbers, booleans, lists and objects become JSON text, and encrypted
 * (`secure:`) values, which only the CLI can decrypt, become `[secret]`. A key without a namespace
 * belongs to the project, as in Pulumi.
 */
export function parseStackFile(text: string, project: string, file = "stack file"): StackFileConfig {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid YAML (${err instanceof Error ? err.message.split("\n")[0] : String(err)}).`);
  }
  if (doc === null || doc === undefined) return { config: {}, secretKeys: [] };
  if (typeof doc !== "object" || Array.isArray(doc)) throw new Error(`${file}: expected a mapping with a "config" key.`);
  const block = (doc as Record<string, unknown>).config ?? {};
  if (block === null || typeof block !== "object" || Array.isArray(block)) throw new Error(`${file}: "config" must be a mapping of key: value.`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(block as Record<string, unknown>)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    const found = { secret: false };
    const value = redactSecure(rawValue, found);
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
    if (found.secret) secretKeys.push(key);
  }
  return { config, secretKeys: secretKeys.sort() };
}

/** `parseStackFile` on `Pulumi.<stack>.yaml` in `dir`. */
export function readStackFile(dir: string, stack: string, project: string): StackFileConfig & { file: string } {
  const file = `${dir.replace(/\/$/, "")}/Pulumi.${stack}.yaml`;
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found. Create it (pulumi stack init ${stack}; pulumi config set ...) or pass --stack <name> of an existing stack file.`);
  }
  return { ...parseStackFile(fs.readFileSync(file, "utf8"), project, file), file };
}

/** The project name from Pulumi.yaml (`name:`), which is also the config namespace. */
export function projectName(dir: string): string {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) return "hardened-mcp";
  return /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(file, "utf8"))?.[1] ?? "hardened-mcp";
}
