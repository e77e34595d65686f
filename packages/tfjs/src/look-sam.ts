/**
 * LookSAM, SAM once every `k` steps, as a `tf.Optimizer`.
 *
 * @module
 */
import type { ScheduleLike } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from './factory.js';
import type { PerturbFilter } from './perturb.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Options of {@link lookSam}. */
export interface LookSamOptions extends WrapperOptions {
  /** ρ >= 0, SAM's radius (a number or a schedule). */
  rho: ScheduleLike;
  /** k >= 1: a SAM step on every step `t` with `t mod k = 0` (Liu et al.: 5 or 10). */
  every: number;
  /** α in [0, 1]: the weight of the reused direction (default 0.7). */
  alpha?: number;
  /**
   * Which variables the probe moves (default all): e.g. kernels only for ASAM
   * as its authors run it. A function is resolved at the first step; the
   * config saves the booleans it chose (see {@link PerturbFilter}).
   */
  perturb?: PerturbFilter;
}

/**
 * LookSAM (Liu et al., CVPR 2022): SAM's two passes only once every `every`
 * steps; the steps in between take one pass and reuse the direction in which
 * SAM's gradient differed from the plain one. With `g = ∇L(θ)`:
 *
 * ```text
 * t mod k = 0:  g_s = ∇L(θ + ρ·g/(‖g‖ + 1e-12));   g_v = g_s − (⟨g, g_s⟩/‖g‖²)·g   (kept);   step with g_s
 * otherwise:    step with g + α·(‖g‖/‖g_v‖)·g_v
 * ```
 *
 * Norms are over all variables (the paper's Algorithm 1). `g_v` is saved with
 * the optimizer (`includeOptimizer: true`) and changes only on finite steps.
 * Costs about `(k + 1)/k` plain steps per step.
 *
 * @param base - a `tf.train.*` optimizer (or `scheduled`).
 * @param options - `rho`, `every` (k), `alpha` (default 0.7), `perturb` and the shared options.
 * @throws RangeError naming the invalid option.
 * @see Liu, Mai, Chen, Hsieh, You, "Towards Efficient and Scalable
 *   Sharpness-Aware Minimization", CVPR 2022.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lookSam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = lookSam(tf.train.adam(0.01), { rho: 0.05, every: 5 });
 * for (let i = 0; i < 10; i++) opt.minimize(() => tf.sum(tf.pow(w, 4)));
 * ```
 */
export function lookSam(base: tf.Optimizer, options: LookSamOptions): FloodOptimizer {
  return makeOptimizer('lookSam', base, options);
}
