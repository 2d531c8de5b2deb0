/**
 * The one error type for bad arguments. A component reports the field in ITS OWN argument vocabulary
 * (`["subnets", "gateway"]` for `McpNetworkArgs.subnets.gateway`), so a library user reads the name they
 * wrote; the config layer prefixes the field with where those arguments came from in the stack config
 * (`network`), so a stack user reads `hardened-mcp:network.subnets.gateway`. No message is parsed.
 */

/** A field inside a component's arguments: keys, and indexes into lists. */
export type SettingField = readonly (string | number)[];

/** One thing wrong with one argument. */
export interface SettingProblem {
  /** The argument, in the reporting component's vocabulary; `[]` for the arguments as a whole. */
  readonly field: SettingField;
  /** What is wrong, with the offending value when that helps (no trailing period needed). */
  readonly problem: string;
  /** How to fix it, worded so it reads the same whoever supplied the value. */
  readonly fix: string;
}

/** `["subnets", "gateway"]` -> `subnets.gateway`; `["tools", 0, "name"]` -> `tools[0].name`. */
export function fieldName(field: SettingField): string {
  let out = "";
  for (const part of field) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}

function sentence(text: string): string {
  return text.replace(/\.$/, "");
}

/** `subnets.gateway: 10.9.0.0/24 is outside the address space 10.20.0.0/16. Pick a block inside it ...` */
export function describeProblem(p: SettingProblem): string {
  const head = p.field.length > 0 ? `${fieldName(p.field)}: ` : "";
  const fix = sentence(p.fix);
  return fix ? `${head}${sentence(p.problem)}. ${fix[0].toUpperCase()}${fix.slice(1)}.` : `${head}${sentence(p.problem)}.`;
}

/** Bad arguments, every problem found at once; `problems` keeps them structured for whoever maps the fields. */
export class SettingError extends Error {
  readonly problems: readonly SettingProblem[];

  constructor(problems: SettingProblem | readonly SettingProblem[], what?: string) {
    const list: readonly SettingProblem[] = Array.isArray(problems) ? problems : [problems as SettingProblem];
    const lines = list.map(describeProblem);
    super(lines.length === 1 && !what ? lines[0] : `${what ?? "Invalid arguments"}:\n  - ${lines.join("\n  - ")}`);
    this.name = "SettingError";
    this.problems = list;
  }
}

/** Throws one `SettingError` with every problem, or returns when there is none. */
export function throwIfProblems(problems: readonly SettingProblem[], what?: string): void {
  if (problems.length > 0) throw new SettingError(problems, what);
}

/**
 * Runs a component's checks and names the component in what they throw (`McpServer "github":\n  - image: ...`), so a
 * library user reads which component and which argument; the fields stay as they were, for whoever maps them.
 */
export function inComponent<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof SettingError) throw new SettingError(err.problems, what);
    throw err;
  }
}
