/**
 * The gradient-norm penalty as a `tf.Optimizer`.
 *
 * @module
 */
import type { ScheduleLike } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from './factory.js';
import type { PerturbFilter } from './perturb.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Options of {@link gradientPenalty}. */
export interface GradientPenaltyOptions extends WrapperOptions {
  /** λ >= 0, the weight of the penalty. */
  coefficient: ScheduleLike;
  /** 1: `λ‖∇L‖` (Zhao et al. 2022); 2: `λ‖∇L‖²` (the seed). Default 2. */
  power?: 1 | 2;
  /** r > 0, the finite-difference step along the gradient, in parameter units (default 0.01). */
  radius?: number;
  /**
   * `'finite-difference'` (default): two gradient evaluations, any loss.
   * `'exact'`: double backprop, `g + λ·p·‖g‖^(p−2)·∇²L·g`, with
   * `withSecondOrderGradients` installed, for losses built from
   * `SECOND_ORDER_SAFE_OPS` (the tfjs-layers Dense, Conv, pooling, Flatten,
   * BatchNormalization-inference and Embedding layers with the usual
   * activations, the compiled cross-entropies and mean squared error, plain `tf`
   * arithmetic, `logSumExp`); any other op (`tf.losses.softmaxCrossEntropy`,
   * `logSoftmax`, other `customGrad` ops, `pow`, …) makes the step throw a
   * `SecondOrderUnsupportedError` naming it, with weights and state unchanged,
   * instead of returning a silently wrong gradient (tfjs#3252).
   */
  method?: 'finite-difference' | 'exact';
  /**
   * Which variables the probe moves (default all): e.g. kernels only for ASAM
   * as its authors run it. A function is resolved at the first step; the
   * config saves the booleans it chose (see {@link PerturbFilter}).
   */
  perturb?: PerturbFilter;
}

/**
 * An explicit gradient-norm penalty `L + λ‖∇L‖^p` around any base optimizer,
 * by a finite difference along the gradient (no second-order autodiff):
 *
 * ```text
 * g0 = ∇L(θ),  δ = r·g0/‖g0‖,  g1 = ∇L(θ + δ)              (θ restored bit for bit)
 * p = 1:  g = g0 + (λ/r)(g1 − g0)        ≈ ∇(L + λ‖∇L‖)    (Zhao, Zhang, Hu, ICML 2022)
 * p = 2:  g = g0 + 2λ‖g0‖(g1 − g0)/r     ≈ ∇(L + λ‖∇L‖²)   (the seed; Barrett & Dherin 2021)
 * ```
 *
 * `method: 'exact'` uses double backprop instead, where tfjs computes it
 * correctly (see {@link GradientPenaltyOptions.method}; other losses throw).
 * Exact on quadratic losses for any `r` (`g0 + 2λAg0` for `p = 2`). With `p = 1`
 * and `λ = r` it is SAM with `ρ = r`. Zhao et al.'s recipes use `r = 0.1`,
 * `λ/r = 0.8`. The returned optimizer owns `base`.
 *
 * @param base - a `tf.train.*` optimizer.
 * @param options - `coefficient` (λ >= 0), `power` (1 or 2, default 2), `radius`
 *   (r > 0, default 0.01), `method` (`'finite-difference'` default, or `'exact'`).
 * @throws RangeError naming the invalid option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { gradientPenalty } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.01 });
 * opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export function gradientPenalty(
  base: tf.Optimizer,
  options: GradientPenaltyOptions,
): FloodOptimizer {
  return makeOptimizer('gradientPenalty', base, options);
}
