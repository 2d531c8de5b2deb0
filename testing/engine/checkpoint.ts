/**
 * What the engine keeps between deployments: the state file's resources (URN, id, inputs, outputs,
 * dependencies and the options the engine acts on later: retainOnDelete, deleteBeforeReplace,
 * ignoreChanges). A stand-in run given a checkpoint (`Deployment.checkpoint()` of an update) is a second
 * `pulumi up` against a stack that exists.
 */
import type { EngineResource } from "./records";

export type { RecordedOptions } from "./records";

export type CheckpointResource = EngineResource;

export interface Checkpoint {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly CheckpointResource[];
}

/**
 * The state after a resource was deleted outside Pulumi and `pulumi refresh` ran: the refresh finds it
 * gone (the provider's Read answers an empty id) and drops it from the checkpoint.
 */
export function refreshedWithout(checkpoint: Checkpoint, gone: (r: CheckpointResource) => boolean): Checkpoint {
  return { ...checkpoint, resources: checkpoint.resources.filter((r) => !gone(r)) };
}
