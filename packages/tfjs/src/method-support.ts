/**
 * What the SAM variants added in 2026-12 share on top of {@link FloodOptimizer}:
 * the `perturb` filter (which variables a probe moves), a finite-step test for
 * their own proposal, and rule state kept in variables that is updated only by
 * a finite step and saved with the optimizer.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { sumAll } from './reduce.js';
import type { TensorVector } from './tensor-space.js';
import type { Config, NamedTensor, Proposal } from './wrapper.js';

/** Makes state variable names unique across optimizers. */
let id = 0;

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

/**
 * `true` when a proposal is safe to commit, as a boolean device scalar: the
 * loss, `‖g0‖`, the probe loss and `Σ` of every gradient block are finite (NaN
 * and ±∞ survive a sum). The same test the wrapper applies before it commits.
 */
export function proposalFinite(p: Proposal): tf.Scalar {
  return tf.tidy(() => {
    const terms: tf.Tensor[] = [p.loss, ...p.gradient.map(sumAll)];
    if (p.gradientNorm) terms.push(p.gradientNorm);
    if (p.probeLoss) terms.push(p.probeLoss);
    return tf.isFinite(tf.addN(terms)) as tf.Scalar;
  });
}

/**
 * A parameter-shaped vector of rule state (LookSAM's `g_v`, Friendly SAM's
 * `m`) in variables named `flood/<owner>/<key>/<i>`: created by the first
 * commit, updated only where the step is finite (selected on the device, no
 * read-back), saved after the optimizer's other weights.
 */
export class StateVector {
  private values: tf.Variable[] | undefined;

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

  /** The state for these variables (not to be disposed), or undefined before the first commit. */
  read(variables: readonly tf.Variable[]): TensorVector | undefined {
    if (!this.values) return undefined;
    if (
      this.values.length !== variables.length ||
      this.values.some((s, i) => !tf.util.arraysEqual(s.shape, variables[i]!.shape))
    ) {
      throw new RangeError(
        `${this.owner}: the variables differ from those its ${this.key} state was made for`,
      );
    }
    return this.values;
  }

  /** Keeps `next` where `finite` is true (else the old value; zeros before the first commit). */
  commit(next: TensorVector, finite: tf.Scalar): void {
    tf.tidy(() => {
      if (!this.values) {
        this.values = next.map((t, i) =>
          tf.variable(tf.where(finite, t, tf.zerosLike(t)), false, `${this.prefix}${i}-${id++}`),
        );
        return;
      }
      this.values.forEach((v, i) => {
        if (next[i] !== v) v.assign(tf.where(finite, next[i]!, v));
      });
    });
  }

  /** The state as named weights (empty before the first commit). */
  weights(): NamedTensor[] {
    return (this.values ?? []).map((v, i) => ({ name: `${this.prefix}${i}`, tensor: v }));
  }

  /**
   * Takes this state's weights off the end of `weights` (copying them) and
   * returns the rest.
   */
  restore(weights: NamedTensor[]): NamedTensor[] {
    let start = weights.length;
    while (start > 0 && weights[start - 1]!.name.startsWith(this.prefix)) start--;
    const own = weights.slice(start);
    if (own.length > 0) {
      this.dispose();
      this.values = own.map((w, i) =>
        tf.variable(w.tensor.clone(), false, `${this.prefix}${i}-${id++}`),
      );
    }
    return weights.slice(0, start);
  }

  /** Frees the state. */
  dispose(): void {
    if (this.values) tf.dispose(this.values);
    this.values = undefined;
  }
}
