/**
 * What the engine stand-in records of a registration, and what a stack's state keeps of it.
 */

/** The resource options the engine reads again when it updates, replaces or deletes the resource. */
export interface RecordedOptions {
  readonly deleteBeforeReplace?: boolean;
  /** The engine drops the resource from state without calling the provider's Delete. */
  readonly retainOnDelete?: boolean;
  /** Input paths the engine leaves as they are in state. */
  readonly ignoreChanges?: readonly string[];
  readonly replaceOnChanges?: readonly string[];
  readonly protect?: boolean;
}

export interface EngineResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN; null only for the stack itself (the SDK parents everything else to it). */
  readonly parent: string | null;
  /** False for component resources. */
  readonly custom: boolean;
  /** `urn::id` of the provider (a default provider unless the program chose one); custom resources only. */
  readonly provider?: string;
  /** The id the engine returned: "" at preview for a new resource. */
  readonly id?: string;
  /** Inputs as the provider receives them; secrets stay in wire form (see wire.ts). */
  readonly inputs: Record<string, unknown>;
  /** What the engine answered (custom resources) or the outputs registered later (components). */
  outputs: Record<string, unknown>;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  /** The options a later update reads again (only those set). */
  readonly options?: RecordedOptions;
}
