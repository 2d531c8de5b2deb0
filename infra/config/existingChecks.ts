import { validateExistingWorkloadIdentity } from "../identity/workloadIdentity";
import { validateExistingWorkspace } from "../monitoring/monitoring";
import type { PartialConfig } from "./schema";
import { monitoringSettingOf } from "./derive";
import { ProblemList } from "./errors";

/**
 * The settings that bring an existing resource instead of letting the kit create it, checked with the components'
 * own rules on the values as written (so a setting that only a created resource takes is refused next to a
 * brought one). A component names its own argument; the mapping below puts it under the setting it came from.
 */
export function existingChecks(problems: ProblemList, c: PartialConfig): void {
  const workspace = c.monitoring?.existing;
  if (workspace && c.monitoring) {
    const retentionInDays = c.monitoring.retentionInDays;
    problems.check(
      ["monitoring"],
      () => validateExistingWorkspace({ ...(retentionInDays !== undefined ? { retentionInDays } : {}) }, { id: workspace.workspaceId }),
      "",
      monitoringSettingOf,
    );
  }
  const identity = c.gateway?.identity?.existing;
  if (identity) problems.check(["gateway", "identity", "existing"], () => validateExistingWorkloadIdentity(identity));
}
