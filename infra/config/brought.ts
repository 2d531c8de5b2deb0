import type { PlatformSettings } from "./settings";

/**
 * The resources the stack brings instead of letting the kit create them (the `existing` settings), stated once.
 * Bringing one is no weakening by itself, but the kit neither sets nor checks it: this stack's pack sees only
 * what the stack registers, so a brought resource's own settings are its owner's to keep. The plan lists each
 * one (cli/planSummary.ts) with what its owner must guarantee, named by the setting that brings it.
 */
export interface BroughtResource {
  /** The setting that brings it, as a config path (`["monitoring", "existing"]`). */
  readonly setting: readonly string[];
  /** What it is, e.g. "Log Analytics workspace". */
  readonly kind: string;
  /** Its ARM id, as given. */
  readonly id: string;
  /** What its owner must guarantee, since this stack's pack cannot check it. */
  readonly guarantees: string;
}

/** Every resource the settings bring, in the order the platform builds them. */
export function broughtResources(s: PlatformSettings): BroughtResource[] {
  const out: BroughtResource[] = [];
  if (s.monitoring.existing) {
    out.push({
      setting: ["monitoring", "existing"],
      kind: "Log Analytics workspace",
      id: s.monitoring.existing.workspaceId,
      guarantees:
        "local auth disabled (Entra only), resource-context access, retention long enough for investigations; the deployer may add diagnostic settings that send to it",
    });
  }
  if (s.gateway.identity) {
    out.push({
      setting: ["gateway", "identity", "existing"],
      kind: "user-assigned identity (gateway)",
      id: s.gateway.identity.existing.id,
      guarantees:
        "no role assignments or app role grants other than the ones this stack makes (the gateway acts with all of them), and no federated credentials",
    });
  }
  return out;
}
