import * as pulumi from "@pulumi/pulumi";
import { armResourceIdProblem } from "../../baseline/armResourceId";
import { GUID } from "../../baseline/identifiers";
import { SettingError, SettingField, SettingProblem } from "./settingError";

/**
 * Checking what a caller brings instead of letting a component create it (an existing vault, workspace, network
 * or identity), the way the components check their own arguments: a plain value now, before anything registers
 * (every problem at once, as one `SettingError` in the component's argument vocabulary); a value that is an
 * Output (another stack's, say) when it resolves, failing the deployment with the same message.
 */

/** One brought value and the rule it must follow. */
export interface BroughtValue {
  readonly field: SettingField;
  readonly value: pulumi.Input<string>;
  /** `Microsoft.KeyVault/vaults` for an ARM id of that type; "guid" for an Entra object or client id. */
  readonly kind: string;
  readonly fix: string;
}

function problemOf(v: BroughtValue, value: string): SettingProblem | undefined {
  if (v.kind === "guid") return GUID.test(value) ? undefined : { field: v.field, problem: `${JSON.stringify(value)} is not a GUID`, fix: v.fix };
  const problem = armResourceIdProblem(value, v.kind);
  return problem === undefined ? undefined : { field: v.field, problem, fix: v.fix };
}

/** The problems of the plain values among `values` (Outputs are checked by `checkedBrought` when they resolve). */
export function broughtProblems(values: readonly BroughtValue[]): SettingProblem[] {
  return values.flatMap((v) => (typeof v.value === "string" ? [problemOf(v, v.value)].filter((p): p is SettingProblem => p !== undefined) : []));
}

/** Throws one `SettingError` for the plain values' problems; returns each value as an Output, checked when it resolves. */
export function checkedBrought(values: readonly BroughtValue[], what: string): pulumi.Output<string>[] {
  const now = broughtProblems(values);
  if (now.length > 0) throw new SettingError(now, what);
  return values.map((v) =>
    pulumi.output(v.value).apply((value) => {
      const problem = problemOf(v, value);
      if (problem) throw new SettingError([problem], what);
      return value;
    }),
  );
}
