import { SettingError, SettingField } from "../shared/settingError";

/** The stack-config namespace: Pulumi.yaml's project name. */
export const CONFIG_NAMESPACE = "hardened-mcp";

/** One thing wrong with the stack config. */
export interface ConfigProblem {
  /** The setting as the user writes it, e.g. `hardened-mcp:servers[1].image`. */
  readonly path: string;
  /** What is wrong, with the offending value when that helps. */
  readonly problem: string;
  /** How to fix it; empty when `problem` already says (messages from component validators do). */
  readonly fix: string;
}

/** `["servers", 1, "image"]` -> `hardened-mcp:servers[1].image`. */
export function settingPath(path: readonly PropertyKey[], namespace = CONFIG_NAMESPACE): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return `${namespace}:${out}`;
}

function describe(problem: ConfigProblem): string {
  const what = problem.problem.replace(/\.$/, "");
  const fix = problem.fix.replace(/\.$/, "");
  return fix ? `  - ${problem.path}: ${what}. Fix: ${fix}.` : `  - ${problem.path}: ${what}.`;
}

/**
 * Every problem found in a stack config, thrown together before any resource is created, so one
 * `pulumi up` shows the whole list instead of one error per attempt.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`Invalid stack configuration (${count}); nothing was deployed:\n${problems.map(describe).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Collects problems; `throwIfAny()` raises them as one `ConfigError`. */
export class ProblemList {
  private readonly items: ConfigProblem[] = [];

  /** @param namespace the project name, which is the stack config's namespace (Pulumi.yaml `name`) */
  constructor(private readonly namespace = CONFIG_NAMESPACE) {}

  add(path: readonly PropertyKey[], problem: string, fix: string): void {
    // Fixes name settings in the kit's own namespace; a project with another name sets them under its own.
    const own = (text: string) => (this.namespace === CONFIG_NAMESPACE ? text : text.replace(/\bhardened-mcp:(?=[A-Za-z*])/g, `${this.namespace}:`));
    this.items.push({ path: settingPath(path, this.namespace), problem: own(problem), fix: own(fix) });
  }

  /**
   * Runs a component's validation on the arguments built from the settings at `path`. A `SettingError` names
   * each field in the component's own argument vocabulary, so the setting is `path` followed by that field; any
   * other error is reported against `path` as it is. `fix` adds advice that only makes sense in the stack config;
   * `settingOf` renames the component's fields whose setting has another name (the compose module knows which).
   */
  check(path: readonly PropertyKey[], validate: () => void, fix = "", settingOf: (field: SettingField) => readonly PropertyKey[] = (f) => f): void {
    try {
      validate();
    } catch (err) {
      if (err instanceof SettingError) {
        for (const p of err.problems) this.add([...path, ...settingOf(p.field)], p.problem, [p.fix, fix].filter(Boolean).join(", "));
      } else this.add(path, err instanceof Error ? err.message : String(err), fix);
    }
  }

  get problems(): readonly ConfigProblem[] {
    return this.items;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new ConfigError(this.items);
  }
}
