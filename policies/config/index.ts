import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { isStackRule, type Rule } from "../rules/types";
import {
  type Exemption,
  type ExemptionSource,
  type RuleExemption,
  exemptResourceValidation,
  copyTypeTag,
  exemptStackValidation,
  validateExemption,
} from "./exemptions";

export type { Exemption, RuleExemption, ExemptedFinding } from "./exemptions";

/** A rule's settings: just a level, or a level plus the rule's own options and exemptions. */
export type RuleSetting =
  | EnforcementLevel
  | {
      readonly enforcementLevel?: EnforcementLevel;
      /** Exemptions for this rule; `rule` may be omitted (it defaults to this rule) or name one finding. */
      readonly exemptions?: readonly RuleExemption[];
      /** The rule's own options (see its `configSchema`), handed to it through `args.getConfig()`. */
      readonly [option: string]: unknown;
    };

/**
 * The pack's settings, AWSGuard style: `all` sets every rule's level, a rule's name sets its level and
 * options, `exemptions` acknowledges findings. The same object, minus the top-level `exemptions`, is what
 * `pulumi preview --policy-pack-config` and `hardened-mcp check --config` read from JSON.
 */
export type HardenedMcpPolicyConfig = {
  /** Level for every rule; a rule's own setting wins. @default each rule's own level */
  readonly all?: EnforcementLevel | { readonly enforcementLevel: EnforcementLevel };
  /** Acknowledged findings, each with a reason. @default [] */
  readonly exemptions?: readonly Exemption[];
  /**
   * Strict mode: a secure value that Azure applies by default (the property is unset) is still reported, as
   * an advisory finding `<rule>[Implicit:<path>]`. Rules otherwise judge the value Azure will apply.
   * @default false
   */
  readonly strict?: boolean;
} & { readonly [ruleName: string]: RuleSetting | { readonly enforcementLevel: EnforcementLevel } | readonly Exemption[] | boolean | undefined };

export interface ConfigureOptions {
  /** The clock exemption expiry is judged by. @default () => new Date() */
  readonly now?: () => Date;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

function levelOf(where: string, setting: unknown): EnforcementLevel | undefined {
  const level = typeof setting === "object" && setting !== null ? (setting as { enforcementLevel?: unknown }).enforcementLevel : setting;
  if (level === undefined) return undefined;
  if (!isLevel(level)) throw new Error(`${where}: enforcement level ${JSON.stringify(level)} is not one of ${LEVELS.join(", ")}.`);
  return level;
}

function closestName(name: string, names: readonly string[]): string | undefined {
  const score = (candidate: string) => {
    const a = new Set(name.split(/[-_]/));
    return candidate.split(/[-_]/).filter((w) => a.has(w)).length;
  };
  const best = [...names].sort((x, y) => score(y) - score(x))[0];
  return best !== undefined && score(best) > 1 ? best : undefined;
}

/** Exemption entries under `exemptions` in JSON-schema form, added to every rule's `configSchema`. */
const exemptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description: "Acknowledged findings of this rule: { rule?: \"<rule>[<qualifier>]\", resource: urn | name | glob, reason, expires?: YYYY-MM-DD }.",
  items: {
    type: "object",
    properties: {
      rule: { type: "string" },
      resource: { type: "string", minLength: 1 },
      reason: { type: "string", minLength: 10 },
      expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
    },
    required: ["resource", "reason"],
    additionalProperties: false,
  },
};

const strictSchema: PolicyConfigJSONSchema = {
  type: "boolean",
  description: "Strict mode: report secure values Azure applies by default (unset properties) as advisory findings.",
};

function withExemptionsSchema(schema: PolicyConfigSchema | undefined): PolicyConfigSchema {
  return {
    ...schema,
    properties: { ...schema?.properties, exemptions: exemptionsSchema, strict: strictSchema },
  };
}

/** Splits a rule's object setting into its level, its exemptions and its own options. */
function splitSetting(
  rule: string,
  setting: unknown,
  known: ReadonlySet<string>,
): { level?: EnforcementLevel; exemptions: Exemption[]; options: Record<string, unknown> } {
  const level = levelOf(`Setting for rule "${rule}"`, setting);
  if (typeof setting !== "object" || setting === null) return { level, exemptions: [], options: {} };
  if (Array.isArray(setting)) throw new Error(`Setting for rule "${rule}" must be an enforcement level or an object, not an array.`);
  const { enforcementLevel: _level, exemptions, ...options } = setting as Record<string, unknown>;
  void _level;
  return { level, exemptions: readRuleExemptions(rule, exemptions, known), options };
}

function readRuleExemptions(rule: string, value: unknown, known: ReadonlySet<string>): Exemption[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`"${rule}".exemptions must be an array of { rule?, resource, reason, expires? }.`);
  return value.map((entry, i) => validateExemption(entry, `"${rule}".exemptions[${i}]`, known, rule));
}

/**
 * Applies settings to the rules: levels (`all`, then the rule's own setting), options (merged under any the
 * engine passes, so `args.getConfig()` sees both) and exemptions (fixed ones plus any in the rule's engine
 * config). Returns the rules ready for `new PolicyPack(...)` or the offline check, metadata intact.
 * Throws on an unknown rule name, a bad level or a malformed exemption.
 */
export function configurePolicies(rules: readonly Rule[], config: HardenedMcpPolicyConfig = {}, options: ConfigureOptions = {}): Rule[] {
  const now = options.now ?? (() => new Date());
  const names = rules.map((r) => r.name);
  const known = new Set(names);
  const allLevel = levelOf('Setting "all"', config.all);
  if (config.strict !== undefined && typeof config.strict !== "boolean") {
    throw new Error(`"strict" must be true or false, not ${JSON.stringify(config.strict)}.`);
  }
  const packOptions: Record<string, unknown> = config.strict === true ? { strict: true } : {};
  const fixedExemptions = new Map<string, Exemption[]>();
  const addExemption = (e: Exemption) => {
    const rule = e.rule.replace(/\[.*$/, "");
    fixedExemptions.set(rule, [...(fixedExemptions.get(rule) ?? []), e]);
  };
  const topLevel = config.exemptions ?? [];
  if (!Array.isArray(topLevel)) throw new Error("exemptions must be an array of { rule, resource, reason, expires? }.");
  topLevel.forEach((entry, i) => addExemption(validateExemption(entry, `exemptions[${i}]`, known)));

  const settings = new Map<string, ReturnType<typeof splitSetting>>();
  for (const [key, value] of Object.entries(config)) {
    if (key === "all" || key === "exemptions" || key === "strict" || value === undefined) continue;
    if (!known.has(key)) {
      const hint = closestName(key, names);
      throw new Error(`Unknown rule "${key}" in the policy pack config${hint ? ` (did you mean "${hint}"?)` : ""}; \`hardened-mcp check --list-rules\` lists them.`);
    }
    const split = splitSetting(key, value, known);
    split.exemptions.forEach(addExemption);
    settings.set(key, split);
  }

  return rules.map((rule): Rule => {
    const setting = settings.get(rule.name);
    const enforcementLevel = setting?.level ?? allLevel ?? rule.enforcementLevel;
    const fixedOptions = { ...packOptions, ...setting?.options };
    const fixed = fixedExemptions.get(rule.name) ?? [];
    const exemptionsOf: ExemptionSource = (args) => {
      const fromEngine = (args.getConfig() as { exemptions?: unknown }).exemptions;
      return [...fixed, ...readRuleExemptions(rule.name, fromEngine, known)];
    };
    // The rule sees its fixed options under whatever the engine passes (the engine's config wins).
    // A view over args (its prototype) rather than a spread copy: a spread reads every property, and the
    // offline runner copies a resource's props on first read, which most rules (other types) never do.
    const withOptions = <A extends { getConfig<T extends object>(): T }>(args: A): A =>
      Object.assign(Object.create(args) as A, {
        getConfig: <T extends object>() => {
          const { exemptions: _e, ...engine } = args.getConfig<Record<string, unknown>>();
          void _e;
          return { ...fixedOptions, ...engine } as T;
        },
      });
    const configSchema = withExemptionsSchema(rule.configSchema);
    if (isStackRule(rule)) {
      const validate = exemptStackValidation(rule.name, (args, report) => rule.validateStack(withOptions(args), report), exemptionsOf, now);
      return { ...rule, enforcementLevel, configSchema, validateStack: copyTypeTag(rule.validateStack, validate) };
    }
    const validations = rule.validateResource === undefined ? [] : Array.isArray(rule.validateResource) ? rule.validateResource : [rule.validateResource];
    const wrapped = validations.map((v) =>
      exemptResourceValidation(rule.name, copyTypeTag(v, (args, report) => v(withOptions(args), report)), exemptionsOf, now),
    );
    return { ...rule, enforcementLevel, configSchema, validateResource: wrapped.length === 1 ? wrapped[0] : wrapped };
  });
}

/**
 * Reads the JSON `pulumi preview --policy-pack-config` takes (and `hardened-mcp check --config`): the same
 * shape as {@link HardenedMcpPolicyConfig} except that exemptions live under the rule they exempt, because
 * the engine only hands each policy its own entry. Throws with a one-line message on anything else.
 */
export function parsePolicyPackConfig(json: unknown, rules: readonly Rule[]): HardenedMcpPolicyConfig {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error('policy pack config must be a JSON object: { "all"?: level, "<rule>": level | { enforcementLevel?, ...options, exemptions? } }.');
  }
  const record = json as Record<string, unknown>;
  // Every entry is checked on its own, so one run lists every problem (not one per attempt).
  const problems: string[] = [];
  if ("exemptions" in record) {
    problems.push('put exemptions under the rule they exempt: { "<rule>": { "exemptions": [ { "resource": ..., "reason": ... } ] } } (the engine gives each policy only its own entry).');
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === "exemptions" || (key === "strict" && typeof value === "boolean")) continue;
    if (typeof value !== "string" && (typeof value !== "object" || value === null || Array.isArray(value))) {
      problems.push(`"${key}" must be an enforcement level or an object, not ${JSON.stringify(value)}.`);
      continue;
    }
    try {
      configurePolicies(rules, { [key]: value } as HardenedMcpPolicyConfig); // names, levels and exemptions, now
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length === 1) throw new Error(problems[0]);
  if (problems.length > 1) throw new Error(`${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return record as HardenedMcpPolicyConfig;
}
