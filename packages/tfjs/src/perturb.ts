/**
 * The `perturb` option of the probing methods (`sam`, `gsam`, `lookSam`,
 * `friendlySam`, `gradientPenalty`, `backstitch`): which variables a probe
 * moves, as the 0/1 mask `@flood/core`'s rules take in their context.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorVector } from './tensor-space.js';

/**
 * Which variables a probe moves: a predicate on the variable (api.md's
 * `perturb?: (variable: tf.Variable) => boolean`), or one boolean per variable
 * in step order (what a saved config holds).
 */
export type PerturbFilter = ((variable: tf.Variable) => boolean) | readonly boolean[];

/** Checks a `perturb` option: a function or a boolean array (copied). */
export function requirePerturb(value: unknown): PerturbFilter | undefined {
  if (value === undefined || typeof value === 'function') return value as PerturbFilter;
  if (Array.isArray(value) && value.every((b) => typeof b === 'boolean')) return [...value];
  throw new RangeError('perturb must be a function (variable) => boolean or an array of booleans');
}

/** The booleans a filter gives `variables` (RangeError for a bad answer or length). */
function choose(filter: PerturbFilter, variables: readonly tf.Variable[]): boolean[] {
  if (typeof filter !== 'function' && filter.length !== variables.length) {
    throw new RangeError(
      `perturb has ${filter.length} entries but the step has ${variables.length} variables`,
    );
  }
  const chosen = variables.map((v, i) => {
    const pick = typeof filter === 'function' ? filter(v) : filter[i];
    if (typeof pick !== 'boolean') {
      throw new RangeError(`perturb must return a boolean, got ${typeof pick} for ${v.name}`);
    }
    return pick;
  });
  if (!chosen.includes(true)) throw new RangeError('perturb must choose at least one variable');
  return chosen;
}

/**
 * A `perturb` filter resolved against the step's variables: one 0/1 device
 * scalar per variable (the space's `mul` broadcasts it), made once per
 * variable list and kept until the list changes or {@link PerturbOption.dispose}.
 */
export class PerturbOption {
  private chosen: boolean[] | undefined;
  private names: string | undefined;
  private cached: TensorVector | undefined;

  /** @param filter - the option as given (validated by {@link requirePerturb}). */
  constructor(readonly filter: PerturbFilter) {}

  /** The probe mask for these variables, or undefined when every one is perturbed. */
  mask(variables: readonly tf.Variable[]): TensorVector | undefined {
    const names = variables.map((v) => v.name).join('\n');
    if (names !== this.names) {
      const chosen = choose(this.filter, variables);
      this.dispose();
      this.chosen = chosen;
      this.names = names;
      this.cached = chosen.every(Boolean)
        ? undefined
        : chosen.map((c) => tf.keep(tf.scalar(c ? 1 : 0)));
    }
    return this.cached;
  }

  /**
   * The option for a config: the booleans (as given, or as the function chose
   * at the last step). A function not yet applied cannot be saved and is left
   * out: a model saved before its first step, once loaded, probes every
   * variable unless `perturb` is given again.
   */
  toConfig(): { perturb?: boolean[] } {
    const saved = typeof this.filter === 'function' ? this.chosen : [...this.filter];
    return saved ? { perturb: saved } : {};
  }

  /** Frees the cached mask. */
  dispose(): void {
    if (this.cached) tf.dispose(this.cached);
    this.cached = undefined;
    this.names = undefined;
  }
}
