/**
 * What the SAM variants added in 2026-12 share on top of `FloodOptimizer`:
 * the `perturb` filter (which variables a probe moves), and rule state that
 * only a committed (finite) step replaces and that is saved with the optimizer.
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
 * The optimizer a wrapper with rule state commits through: runs `onCommit`
 * (which keeps the state the step proposed), then the real optimizer's
 * `applyGradients`. The wrapper calls it only for a step it commits (finite),
 * so a refused step leaves the rule state as it was with no device select and
 * no read-back of its own. Everything else passes through to `target`.
 */
export class CommitHook extends tf.Optimizer {
  /**
   * @param target - the optimizer that makes the step.
   * @param onCommit - called just before each committed step.
   */
  constructor(
    readonly target: tf.Optimizer,
    private readonly onCommit: () => void,
  ) {
    super();
  }
  /** Commits the pending state, then steps. */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.onCommit();
    this.target.applyGradients(variableGradients);
  }
  /** The target's iteration count. */
  override get iterations(): number {
    return this.target.iterations;
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
  /** Nothing of its own to free (the wrapper owns the target). */
  override dispose(): void {}
}

/**
 * Rule state (LookSAM's `g_v`, Friendly SAM's `m`) as named tensors
 * `flood/<owner>/<key>`: a step proposes the next state ({@link RuleState.propose}),
 * the wrapper's commit keeps it ({@link RuleState.commit}), and a refused step's
 * proposal is freed at the next step. Saved after the optimizer's other weights.
 */
export class RuleState {
  private current: tf.Variable[] | undefined;
  private pending: tf.Tensor[] | undefined;

  /**
   * @param owner - the optimizer's class name.
   * @param key - the state's name.
   */
  constructor(
    private readonly owner: string,
    private readonly key: string,
  ) {}

  private get prefix(): string {
    return `flood/${this.owner}/${this.key}/`;
  }

  /** The committed state (variables owned here), or undefined before the first commit. */
  read(shapes?: readonly (readonly number[])[]): tf.Tensor[] | undefined {
    if (shapes && this.current) {
      const n = shapes.length;
      if (
        this.current.length < n ||
        shapes.some((s, i) => !tf.util.arraysEqual([...s], this.current![i]!.shape))
      ) {
        throw new RangeError(
          `${this.owner}: the variables differ from those its ${this.key} state was made for`,
        );
      }
    }
    return this.current;
  }

  /** Holds `next` (taken over, kept past the step's tidy) until the step commits. */
  propose(next: tf.Tensor[]): void {
    this.drop();
    this.pending = next.map((t) => tf.keep(t));
  }

  /** Keeps the proposed state (called by the {@link CommitHook}). */
  commit(): void {
    if (!this.pending) return;
    const next = this.pending;
    this.pending = undefined;
    if (this.current && this.current.length === next.length) {
      // assign takes the new value's buffer (no copy).
      this.current.forEach((v, i) => {
        v.assign(next[i]!);
      });
    } else {
      if (this.current) tf.dispose(this.current);
      this.current = next.map((t, i) => tf.variable(t, false, this.variableName(i)));
    }
    tf.dispose(next);
  }

  private variableName(i: number): string {
    return `${this.prefix}${i}-${stateIds++}`;
  }

  /** Frees a proposal no commit took. */
  drop(): void {
    if (this.pending) tf.dispose(this.pending);
    this.pending = undefined;
  }

  /** The state as named weights (empty before the first commit). */
  weights(): NamedTensor[] {
    return (this.current ?? []).map((t, i) => ({ name: `${this.prefix}${i}`, tensor: t }));
  }

  /** Takes this state's weights off the end of `weights` (copying them); returns the rest. */
  restore(weights: NamedTensor[]): NamedTensor[] {
    let start = weights.length;
    while (start > 0 && weights[start - 1]!.name.startsWith(this.prefix)) start--;
    const own = weights.slice(start);
    if (own.length > 0) {
      this.dispose();
      this.current = own.map((w, i) => tf.variable(w.tensor, false, this.variableName(i)));
    }
    return weights.slice(0, start);
  }

  /** Frees the state. */
  dispose(): void {
    this.drop();
    if (this.current) tf.dispose(this.current);
    this.current = undefined;
  }
}
