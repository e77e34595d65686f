/**
 * What the SAM variants added in 2026-12 share on top of `FloodOptimizer`:
 * the `perturb` filter (which variables a probe moves), and rule state that
 * only a committed (finite) step replaces and that is saved with the optimizer
 * ({@link StateCommit}).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorVector } from './tensor-space.js';
import type { Config, NamedTensor } from './wrapper.js';

/** Which variables a probe moves: a predicate, or one boolean per variable in step order. */
export type PerturbFilter = ((variable: tf.Variable) => boolean) | readonly boolean[];

/** Checks a `perturb` option: a function or a boolean array. */
export function requirePerturb(value: unknown): PerturbFilter | undefined {
  if (value === undefined || typeof value === 'function') return value as PerturbFilter;
  if (Array.isArray(value) && value.every((b) => typeof b === 'boolean')) return [...value];
  throw new RangeError('perturb must be a function (variable) => boolean or an array of booleans');
}

/**
 * The probe mask of a `perturb` filter over `variables`: one 0/1 device scalar
 * per variable (broadcast by the space's `mul`), or undefined when every
 * variable is perturbed. Also returns the resolved booleans (saved in the config).
 */
export function probeMask(
  filter: PerturbFilter | undefined,
  variables: readonly tf.Variable[],
): { mask: TensorVector | undefined; chosen: boolean[] | undefined } {
  if (filter === undefined) return { mask: undefined, chosen: undefined };
  const chosen = variables.map((v, i) => {
    const pick = typeof filter === 'function' ? filter(v) : filter[i];
    if (typeof pick !== 'boolean') {
      throw new RangeError(
        typeof filter === 'function'
          ? `perturb must return a boolean, got ${typeof pick} for ${v.name}`
          : `perturb has ${filter.length} entries but the step has ${variables.length} variables`,
      );
    }
    return pick;
  });
  if (typeof filter !== 'function' && filter.length !== variables.length) {
    throw new RangeError(
      `perturb has ${filter.length} entries but the step has ${variables.length} variables`,
    );
  }
  if (!chosen.includes(true)) {
    throw new RangeError('perturb must choose at least one variable');
  }
  const mask = chosen.every(Boolean) ? undefined : chosen.map((c) => tf.scalar(c ? 1 : 0));
  return { mask, chosen };
}

/** Resolves `perturb` on the first step and keeps the booleans for the config. */
export class PerturbOption {
  private chosen: boolean[] | undefined;
  /** @param filter - the option as given. */
  constructor(readonly filter: PerturbFilter | undefined) {}
  /** The probe mask for this step's variables (see {@link probeMask}). */
  mask(variables: readonly tf.Variable[]) {
    const { mask, chosen } = probeMask(this.filter, variables);
    this.chosen = chosen;
    return mask;
  }
  /** The option for a config: the booleans of the last step (a function cannot be saved). */
  toConfig(owner: string): Config {
    if (this.filter === undefined) return {};
    const saved = typeof this.filter === 'function' ? this.chosen : [...this.filter];
    if (!saved) {
      throw new Error(
        `${owner}: a perturb function is resolved at the first step; take a step before saving ` +
          '(or pass perturb as one boolean per variable)',
      );
    }
    return { perturb: saved };
  }
}

/** Keeps state variable names unique across optimizers. */
let stateIds = 0;

/**
 * The optimizer a wrapper with rule state (LookSAM's `g_v`, Friendly SAM's `m`)
 * commits through. The state lives here, in variables `flood/<owner>/<key>/<i>`;
 * a step proposes the next value ({@link StateCommit.propose}) and
 * `applyGradients` assigns it just before the real optimizer's step. So the
 * state changes exactly when the step is committed: a wrapper that refuses a
 * non-finite step before committing never calls it, and one that selects the
 * old values back on the device after the step finds these variables among the
 * committing optimizer's own. Everything else passes through to `target`.
 */
export class StateCommit extends tf.Optimizer {
  /** The state variables (a field of this optimizer, so its state). */
  state: tf.Variable[] | undefined;
  private pending: tf.Tensor[] | undefined;

  /**
   * @param target - the optimizer that makes the step.
   * @param owner - the wrapper's class name.
   * @param key - the state's name.
   */
  constructor(
    readonly target: tf.Optimizer,
    private readonly owner: string,
    private readonly key: string,
  ) {
    super();
  }

  private get prefix(): string {
    return `flood/${this.owner}/${this.key}/`;
  }

  /**
   * The state for variables of these shapes: `undefined` on the first call,
   * which creates it as zeros (before the step, so the first commit is an
   * assignment like every other).
   */
  read(shapes: readonly (readonly number[])[]): tf.Variable[] | undefined {
    if (!this.state) {
      this.state = shapes.map((shape, i) =>
        tf.variable(tf.zeros([...shape]), false, `${this.prefix}${i}-${stateIds++}`),
      );
      return undefined;
    }
    if (
      this.state.length !== shapes.length ||
      shapes.some((s, i) => !tf.util.arraysEqual([...s], this.state![i]!.shape))
    ) {
      throw new RangeError(
        `${this.owner}: the variables differ from those its ${this.key} state was made for`,
      );
    }
    return this.state;
  }

  /** Holds `next` (taken over) for the commit of this step; `undefined` keeps the state. */
  propose(next: tf.Tensor[] | undefined): void {
    if (this.pending) tf.dispose(this.pending);
    this.pending = next?.map((t) => tf.keep(t));
  }

  /** Assigns the proposed state (no copy), then steps the target. */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const next = this.pending;
    this.pending = undefined;
    if (next && this.state) {
      this.state.forEach((v, i) => {
        v.assign(next[i]!);
      });
      tf.dispose(next);
    }
    this.target.applyGradients(variableGradients);
  }

  /** The target's iteration count. */
  override get iterations(): number {
    return this.target.iterations;
  }

  /** The state as named weights (empty before the first step). */
  stateWeights(): NamedTensor[] {
    return (this.state ?? []).map((v, i) => ({ name: `${this.prefix}${i}`, tensor: v }));
  }

  /** Takes the state's weights off the end of `weights`; returns the rest. */
  restoreState(weights: NamedTensor[]): NamedTensor[] {
    let start = weights.length;
    while (start > 0 && weights[start - 1]!.name.startsWith(this.prefix)) start--;
    const own = weights.slice(start);
    if (own.length > 0) {
      this.disposeState();
      this.state = own.map((w, i) =>
        tf.variable(w.tensor, false, `${this.prefix}${i}-${stateIds++}`),
      );
    }
    return weights.slice(0, start);
  }

  /** The target's weights. */
  override getWeights(): Promise<NamedTensor[]> {
    return this.target.getWeights();
  }

  /** Sets the target's weights. */
  override setWeights(weights: NamedTensor[]): Promise<void> {
    return this.target.setWeights(weights);
  }

  /** The target's config. */
  override getConfig(): Config {
    return this.target.getConfig();
  }

  /** Frees the state (the wrapper owns and disposes the target). */
  disposeState(): void {
    this.propose(undefined);
    if (this.state) tf.dispose(this.state);
    this.state = undefined;
  }

  /** Frees the state only. */
  override dispose(): void {
    this.disposeState();
  }
}
