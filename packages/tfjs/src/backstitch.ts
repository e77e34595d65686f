/**
 * Backstitch (the seed's ε1/ε2 scheme) as a `tf.Optimizer`.
 *
 * @module
 */
import type { ScheduleLike } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from './factory.js';
import type { PerturbFilter } from './perturb.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Options of {@link backstitch}: exactly one of `ascentRate` and `ratio`. */
export interface BackstitchOptions extends WrapperOptions {
  /** ε2 >= 0, the rate of the ascent step, in the base learning rate's units. */
  ascentRate?: ScheduleLike;
  /**
   * ε2 / η >= 0 (Kaldi's α): the ascent rate as a multiple of the base
   * optimizer's `learningRate` (read every step). Kaldi recipes use 0.2–0.3.
   */
  ratio?: ScheduleLike;
  /** Backstitch every `interval`-th step (steps with `iteration % interval == 0`), plain steps otherwise. Default 1. */
  interval?: number;
  /**
   * Which variables the probe moves (default all): e.g. kernels only for ASAM
   * as its authors run it. A function is resolved at the first step; the
   * config saves the booleans it chose (see {@link PerturbFilter}).
   */
  perturb?: PerturbFilter;
}

/**
 * Backstitch (Wang et al., Interspeech 2017), the seed's ε1/ε2 scheme: per
 * `minimize` call, on the same batch,
 *
 * ```text
 * θ' = θ + ε2·∇L(θ)                    (a plain ascent step of rate ε2, kept)
 * the base optimizer steps from θ' with ∇L(θ')          (for SGD(ε1): θ'' = θ' − ε1·∇L(θ'))
 * ```
 *
 * For SGD this is, to second order, gradient descent with rate `ε1 − ε2` on
 * `L + ε1ε2/(2(ε1 − ε2))·‖∇L‖²` (`backstitchEquivalent` in `@flood/core`).
 * Give `ascentRate` (ε2) or `ratio` (ε2 = ratio × the base's `learningRate`,
 * Kaldi's α; then SGD(η) gives ε1 = η, not Kaldi's (1 + α)η). `interval: n`
 * backstitches every n-th step and takes plain steps otherwise. Two passes per
 * backstitch step; Kaldi uses no momentum. The returned optimizer owns `base`.
 *
 * @param base - a `tf.train.*` optimizer (with a `learningRate` when `ratio` is used).
 * @param options - exactly one of `ascentRate` (ε2 >= 0) and `ratio` (>= 0),
 *   `interval` (integer >= 1, default 1) and the shared options.
 * @throws RangeError naming the invalid option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { backstitch } from '@flood/tfjs';
 * const w = tf.variable(tf.scalar(1));
 * const opt = backstitch(tf.train.sgd(0.1), { ascentRate: 0.05 });
 * // L = w²: θ' = 1 + 0.05·2 = 1.1, then θ'' = 1.1 − 0.1·2.2 = 0.88
 * opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export function backstitch(base: tf.Optimizer, options: BackstitchOptions): FloodOptimizer {
  return makeOptimizer('backstitch', base, options);
}
