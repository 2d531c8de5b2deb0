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

/**
 * Component validators start their messages with their own name for the setting
 * (`gateway.sku "Basic" is refused...`); after our path that is a stutter, so it is dropped when it
 * names the same setting.
 */
function withoutSettingPrefix(message: string, path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  const match = /^([A-Za-z][\w.[\]/-]*):? (.*)$/s.exec(message);
  if (!match || typeof last !== "string") return message;
  const token = match[1];
  return token === last || token.endsWith(`.${last}`) ? match[2] : message;
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
   * Runs a validation function from a component (they throw Errors that say what is wrong and how
   * to fix it) and records its message against the setting it checked.
   */
  check(path: readonly PropertyKey[], validate: () => void, fix = ""): void {
    try {
      validate();
    } catch (err) {
      this.add(path, withoutSettingPrefix(err instanceof Error ? err.message : String(err), path), fix);
    }
  }

  get problems(): readonly ConfigProblem[] {
    return this.items;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new ConfigError(this.items);
  }
}
