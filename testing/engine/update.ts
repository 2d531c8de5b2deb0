/**
 * A later `pulumi up` (or preview) against a stack with state: each registration becomes the engine's
 * step (same, create, update, replace), applied to Azure as it goes, and the resources the program no
 * longer registers are deleted when it finishes. The order is the engine's (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go and deployment_executor.go):
 * - creates, updates and replacements happen as the program registers them;
 * - a delete-before-replace first deletes the dependents that the replacement forces to be replaced
 *   (calculateDependentReplacements: a dependent whose input from the replaced resource is a replace key),
 *   dependents first, then the resource, then creates it;
 * - removed resources, and the old halves of create-before-delete replacements, are deleted after the
 *   program finishes, in reverse dependency order (the state's order, reversed);
 * - `--exclude` leaves a resource as it is in state, or does not create it; `retainOnDelete` drops a
 *   resource from state without asking the provider; a protected resource is never deleted;
 * - a registration whose URN is not in the state but one of its aliases is takes that resource over
 *   (step_generator.go, the `aliased` map): it is diffed against it as if the URN had never changed, and
 *   the old URN is not deleted. An alias URN two registrations claim is refused, as the engine does.
 */
import type { Checkpoint, CheckpointResource, RecordedOptions } from "./checkpoint";
import { decideGoal, replaceKeysOf } from "./diffGoal";
import { DeployerReach, LiveAzure } from "./liveAzure";

type Props = Record<string, unknown>;

export interface UpdateOptions {
  /** The state the previous `pulumi up` left. */
  readonly prior: Checkpoint;
  /** `pulumi up --replace <urn>`. */
  readonly replace?: readonly string[];
  /** `pulumi up --exclude <urn>`. */
  readonly exclude?: readonly string[];
  /** Where the deployer stands (what the data planes let it do). */
  readonly deployer?: DeployerReach;
}

export type StepOp = "same" | "create" | "update" | "replace" | "delete" | "delete-replaced" | "skip-create";

export interface Step {
  readonly op: StepOp;
  readonly urn: string;
  /** Why, for a replacement (the replace keys, or "--replace") or a retained delete. */
  readonly detail?: string;
}

/** What Azure or the engine refused: the update stops there, as `pulumi up` does. */
export class UpdateRefusal extends Error {}

export interface Answer {
  readonly id: string;
  readonly outputs: Props;
}

export class UpdateRun {
  readonly steps: Step[] = [];
  private readonly prior = new Map<string, CheckpointResource>();
  private readonly order: string[];
  private readonly azure: LiveAzure;
  /** Prior resources already deleted (the first half of a delete-before-replace). */
  private readonly deletedEarly = new Set<string>();
  /** Old halves of create-before-delete replacements, deleted at the end. */
  private readonly replacedLater: CheckpointResource[] = [];
  private readonly registered = new Set<string>();
  /** Prior URNs taken over through an alias, with the URN that took each. */
  private readonly aliased = new Map<string, string>();
  private generation = 0;

  constructor(
    private readonly options: UpdateOptions,
    private readonly preview: boolean,
  ) {
    for (const r of options.prior.resources) this.prior.set(r.urn, r);
    this.order = options.prior.resources.map((r) => r.urn);
    this.azure = new LiveAzure(options.prior.resources, options.deployer);
  }

  /** A component or provider registration: no provider call, but it is in the new state. */
  registerComponent(urn: string, aliases: readonly string[] = []): void {
    this.registered.add(urn);
    this.priorOf(urn, aliases);
  }

  /** The prior state of a registration: its own URN's, or the first alias's the state holds (claimed for it). */
  private priorOf(urn: string, aliases: readonly string[]): CheckpointResource | undefined {
    const taker = this.aliased.get(urn);
    if (taker !== undefined) throw new UpdateRefusal(`${urn} is registered, but ${taker} already took it over as an alias`);
    const own = this.prior.get(urn);
    if (own) return own;
    for (const alias of aliases) {
      const old = this.prior.get(alias);
      if (!old || alias === urn) continue;
      const claimant = this.aliased.get(alias);
      if (claimant !== undefined && claimant !== urn) throw new UpdateRefusal(`${urn} and ${claimant} both alias ${alias}`);
      if (this.registered.has(alias) && alias !== urn) throw new UpdateRefusal(`${urn} aliases ${alias}, which is also registered`);
      this.aliased.set(alias, urn);
      return old;
    }
    return undefined;
  }

  /**
   * One custom resource's goal. `create(generation)` is the provider's answer for a new object (a new
   * generation gets new computed ids). Throws UpdateRefusal with Azure's or the engine's error.
   */
  register(urn: string, type: string, inputs: Props, options: RecordedOptions, create: (generation: number) => Answer, aliases: readonly string[] = []): Answer {
    this.registered.add(urn);
    const old = this.priorOf(urn, aliases);
    if (this.options.exclude?.includes(urn)) {
      if (old && !this.deletedEarly.has(old.urn)) return this.step("same", urn, old);
      this.steps.push({ op: "skip-create", urn });
      return { id: "", outputs: inputs };
    }
    if (!old || this.deletedEarly.has(old.urn)) {
      const answer = create(old ? ++this.generation : 0);
      this.apply(() => this.azure.create({ urn, type, id: answer.id, inputs }));
      this.steps.push({ op: old ? "replace" : "create", urn, ...(old ? { detail: "created after its delete" } : {}) });
      return answer;
    }
    const forced = (this.options.replace?.includes(urn) || this.options.replace?.includes(old.urn)) ?? false;
    const decision = decideGoal(type, old.inputs, inputs, { ...(old.options ?? {}), ...options }, forced);
    if (decision.kind === "same") return this.step("same", urn, old);
    if (decision.kind === "update") {
      const kept = Object.fromEntries((options.ignoreChanges ?? []).filter((k) => k in old.inputs).map((k) => [k, old.inputs[k]]));
      const merged = { ...inputs, ...kept };
      this.apply(() => (this.azure.update({ urn, type, id: old.id ?? "", inputs: merged }), undefined));
      this.steps.push({ op: "update", urn, detail: decision.changed.join(", ") });
      return { id: old.id ?? "", outputs: { ...old.outputs, ...merged } };
    }
    const why = decision.replaceKeys.length > 0 ? decision.replaceKeys.join(", ") : "--replace";
    if (decision.deleteBeforeReplace) {
      for (const dependent of this.dependentReplacements(old.urn)) this.deleteNow(dependent, "delete-replaced", `replaced with ${urn}`);
      this.deleteNow(old, "delete-replaced", why);
    } else {
      this.replacedLater.push(old);
    }
    const answer = create(++this.generation);
    this.apply(() => this.azure.create({ urn, type, id: answer.id, inputs }));
    this.steps.push({ op: "replace", urn, detail: `${why}${decision.deleteBeforeReplace ? " (delete before replace)" : " (create before delete)"}` });
    return answer;
  }

  /**
   * After the program: deletes what it no longer registers and the old halves of create-before-delete
   * replacements, in reverse dependency order. Returns the first refusal, as the engine stops there.
   */
  finish(): string | undefined {
    const leftOver = new Set(this.replacedLater.map((r) => r.urn));
    const removed = this.order.filter(
      (urn) =>
        !this.deletedEarly.has(urn) && !this.options.exclude?.includes(urn) && (!(this.registered.has(urn) || this.aliased.has(urn)) || leftOver.has(urn)),
    );
    try {
      for (const urn of removed.reverse()) {
        const r = this.prior.get(urn) as CheckpointResource;
        this.deleteNow(r, leftOver.has(urn) ? "delete-replaced" : "delete", "");
      }
    } catch (err) {
      if (err instanceof UpdateRefusal) return err.message;
      throw err;
    }
    return undefined;
  }

  /** The URNs in the state this run leaves. */
  liveUrns(): string[] {
    const deleted = new Set(this.steps.filter((s) => s.op === "delete").map((s) => s.urn));
    return [...this.registered].filter((urn) => !deleted.has(urn) && !this.steps.some((s) => s.op === "skip-create" && s.urn === urn));
  }

  private step(op: StepOp, urn: string, old: CheckpointResource): Answer {
    this.steps.push({ op, urn, ...(old.urn !== urn ? { detail: `aliased from ${old.urn}` } : {}) });
    return { id: old.id ?? "", outputs: old.outputs };
  }

  private apply(call: () => string | undefined): void {
    if (this.preview) return;
    const refusal = call();
    if (refusal) throw new UpdateRefusal(refusal);
  }

  private deleteNow(r: CheckpointResource, op: StepOp, why: string): void {
    if (r.options?.protect) throw new UpdateRefusal(`${r.urn} is protected and cannot be deleted (\`protect: true\`)`);
    this.deletedEarly.add(r.urn);
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return;
    if (r.options?.retainOnDelete) {
      this.steps.push({ op, urn: r.urn, detail: `${why ? `${why}; ` : ""}retained in Azure (retainOnDelete)` });
      return;
    }
    this.apply(() => this.azure.delete({ urn: r.urn, type: r.type, id: r.id ?? "", inputs: r.inputs }));
    this.steps.push({ op, urn: r.urn, ...(why ? { detail: why } : {}) });
  }

  /**
   * The prior resources a delete-before-replace of `urn` must delete first: those whose inputs taken
   * from it are replace keys of their own type, transitively, dependents first.
   */
  private dependentReplacements(urn: string): CheckpointResource[] {
    const out: CheckpointResource[] = [];
    const visit = (target: string) => {
      for (const candidate of [...this.prior.values()].reverse()) {
        if (this.deletedEarly.has(candidate.urn) || out.includes(candidate) || candidate.urn === urn) continue;
        const keys = Object.entries(candidate.propertyDependencies)
          .filter(([, deps]) => deps.includes(target))
          .map(([k]) => k);
        if (keys.length === 0) continue;
        const replaceKeys = replaceKeysOf(candidate.type);
        // The engine asks the provider; guessing "not replaced" for a type the stand-in cannot answer for
        // could hide a delete that Azure refuses.
        if (!replaceKeys) throw new UpdateRefusal(`the engine stand-in does not know whether ${candidate.type} is replaced with ${target} (inputs ${keys.join(", ")})`);
        if (keys.some((k) => replaceKeys.has(k))) {
          visit(candidate.urn);
          out.push(candidate);
        }
      }
    };
    visit(urn);
    return out;
  }
}
