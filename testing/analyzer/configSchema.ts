/**
 * What the engine does with each policy's config before Configure: it validates the reconciled properties
 * against the policy's `configSchema` (an object schema of `properties` and `required`) and stops the
 * preview with every error, each prefixed by the policy's name (pulumi/pulumi pkg/resource/analyzer/config.go:
 * ValidatePolicyPackConfig, validatePolicyConfig, with gojsonschema). This covers the JSON-schema keywords the
 * kit's pack uses (type, enum, items, properties, required, additionalProperties, minLength, pattern, minimum,
 * maximum); a schema using another keyword is refused rather than passed unchecked.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

const KNOWN = new Set([
  "type", "enum", "items", "properties", "required", "additionalProperties", "minLength", "pattern", "minimum", "maximum", "default", "description", "title", "$schema",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** Every way `value` breaks `schema`, each as `<path>: <problem>` (`(root)` for the value itself, as gojsonschema says). */
export function schemaErrors(schema: JsonSchema, value: unknown, path = "(root)"): string[] {
  const unknownKeyword = Object.keys(schema).find((k) => !KNOWN.has(k));
  if (unknownKeyword) throw new Error(`config schema keyword "${unknownKeyword}" at ${path} is not emulated by this harness`);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as string[]) : [String(schema.type)];
  if (types.length > 0 && !types.some((t) => matchesType(value, t))) return [`${path}: Invalid type. Expected: ${types.join(", ")}, given: ${typeOf(value)}`];
  const errors: string[] = [];
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${path}: ${path} must be one of the following: ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) errors.push(`${path}: String length must be greater than or equal to ${schema.minLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${path}: Does not match pattern '${schema.pattern}'`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: Must be greater than or equal to ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: Must be less than or equal to ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items !== undefined && typeof schema.items === "object") {
    value.forEach((item, i) => errors.push(...schemaErrors(schema.items as JsonSchema, item, `${path === "(root)" ? "" : `${path}.`}${i}`)));
  }
  if (typeOf(value) === "object") {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in record)) errors.push(`${path}: ${key} is required`);
    for (const [key, v] of Object.entries(record)) {
      const child = path === "(root)" ? key : `${path}.${key}`;
      if (properties[key]) errors.push(...schemaErrors(properties[key], v, child));
      else if (schema.additionalProperties === false) errors.push(`${path}: Additional property ${key} is not allowed`);
      else if (typeof schema.additionalProperties === "object") errors.push(...schemaErrors(schema.additionalProperties as JsonSchema, v, child));
    }
  }
  return errors;
}
