/**
 * Friendly SAM as a `tf.Optimizer`.
 *
 * @module
 */
import type { ScheduleLike } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from './factory.js';
import type { PerturbFilter } from './perturb.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Options of {@link friendlySam}. */
export interface FriendlySamOptions extends WrapperOptions {
  /** ρ >= 0, the neighbourhood radius (a number or a schedule; Li et al.'s CIFAR script: 0.2). */
  rho: ScheduleLike;
  /** σ >= 0: how much of the gradient average the probe direction drops (default 1). */
  sigma?: number;
  /** λ in [0, 1): the decay of the gradient average (default 0.9; their CIFAR-100 script: 0.6). */
  momentum?: number;
  /**
   * Which variables the probe moves (default all): e.g. kernels only for ASAM
   * as its authors run it. A function is resolved at the first step; the
   * config saves the booleans it chose (see {@link PerturbFilter}).
   */
  perturb?: PerturbFilter;
}

/**
 * Friendly SAM (Li et al., CVPR 2024): SAM whose probe follows the batch's
 * gradient noise. With `g = ∇L(θ)` and `m` an average of past gradients, in the
 * order of the authors' code (nblt/F-SAM):
 *
 * ```text
 * d = g − σ·m;   m ← λ·m + (1 − λ)·g          (first step: d = g, m = g)
 * the base optimizer steps at θ with ∇L(θ + ρ·d/(‖d‖ + 1e-12))
 * ```
 *
 * Two forward/backward passes per step. `m` is saved with the optimizer
 * (`includeOptimizer: true`) and changes only on committed (finite) steps; if
 * the very first step is refused, the average starts from zero instead of
 * that step's gradient.
 *
 * @param base - a `tf.train.*` optimizer (or `scheduled`).
 * @param options - `rho`, `sigma` (default 1), `momentum` (λ, default 0.9),
 *   `perturb` and the shared options.
 * @throws RangeError naming the invalid option.
 * @see Li, Zhou, He, Cheng, Huang, "Friendly Sharpness-Aware Minimization", CVPR 2024.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { friendlySam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = friendlySam(tf.train.sgd(0.1), { rho: 0.2, sigma: 1, momentum: 0.6 });
 * for (let i = 0; i < 3; i++) opt.minimize(() => tf.sum(tf.pow(w, 4)));
 * ```
 */
export function friendlySam(base: tf.Optimizer, options: FriendlySamOptions): FloodOptimizer {
  return makeOptimizer('friendlySam', base, options);
}
