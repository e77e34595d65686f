/**
 * Flooding as a `tf.Optimizer`.
 *
 * @module
 */
import type { ScheduleLike } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from './factory.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Options of {@link flooding}. */
export interface FloodingOptions extends WrapperOptions {
  /**
   * The flood level `b >= 0`, in loss units: a number, a schedule of the step, or
   * an adaptive schedule (fed by `floodCallback`).
   */
  level: ScheduleLike;
}

/**
 * Flooding (Ishida et al., ICML 2020): minimise `|L − b| + b` with any base
 * optimizer. One SGD step is
 *
 * ```text
 * θ ← θ − lr · sign(L(θ) − b) · ∇L(θ)     (descent above the level b, ascent below)
 * ```
 *
 * The level may be a number, a `Schedule` of the optimizer's iteration count, or
 * an adaptive schedule from `@flood/schedulers` (driven by `floodCallback`).
 * Around the level, flooding alternates descent and ascent and so acts like a
 * gradient-norm penalty (see `floodingEquivalent` in `@flood/core`).
 * Composition: `flooding(sam(base))`, `flooding(gradientPenalty(base, …))` and
 * `flooding(backstitch(base, …))` flood the estimator's gradient by the sign of
 * the raw loss; `flooding(flooding(…))` throws. `lastStep.ascended` and the
 * `floodProp` of `floodCallback` report how often a step ascended.
 *
 * The returned optimizer owns `base` (its `dispose()` disposes `base`).
 *
 * @param base - any `tf.train.*` optimizer or a gradient-estimator wrapper.
 * @param options - `level` (b >= 0, loss units) and the shared {@link WrapperOptions}.
 * @throws RangeError naming `level` (or another option) when it is invalid.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { flooding } from '@flood/tfjs';
 * const w = tf.variable(tf.scalar(1));
 * const opt = flooding(tf.train.sgd(0.1), { level: 0.5 });
 * // L = w² = 1 > 0.5: descends, w = 1 − 0.1·2 = 0.8
 * opt.minimize(() => tf.sum(tf.square(w)));
 * console.log(w.dataSync()[0]); // 0.8
 * ```
 */
export function flooding(base: tf.Optimizer, options: FloodingOptions): FloodOptimizer {
  return makeOptimizer('flooding', base, options);
}
