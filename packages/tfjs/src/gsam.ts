/**
 * GSAM, surrogate-gap guided sharpness-aware minimisation, as a `tf.Optimizer`.
 *
 * @module
 */
import type { ScheduleLike } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from './factory.js';
import type { PerturbFilter } from './perturb.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Options of {@link gsam}. */
export interface GsamOptions extends WrapperOptions {
  /** ρ >= 0, the neighbourhood radius (a number or a schedule; see {@link gsam} for tying it to the learning rate). */
  rho: ScheduleLike;
  /** α in [0, 1]: the descent along `g⊥` (Zhuang et al.: 0.01–0.3 on ImageNet; 0.4 in their CIFAR example). */
  alpha: number;
  /** ASAM's offset, `T = |θ| + η` (default false). */
  adaptive?: boolean;
  /** η >= 0 of ASAM's `T` (default 0.01; Zhuang et al.'s code: 0). */
  eta?: number;
  /**
   * Which variables the probe moves (default all): e.g. kernels only for ASAM
   * as its authors run it. A function is resolved at the first step; the
   * config saves the booleans it chose (see {@link PerturbFilter}).
   */
  perturb?: PerturbFilter;
}

/**
 * GSAM (Zhuang et al., ICLR 2022) around any base optimizer. Per step:
 *
 * ```text
 * g = ∇L(θ),   g_p = ∇L(θ + ρ·g/(‖g‖ + 1e-12))      (ASAM's offset with adaptive: true)
 * g⊥ = g − (⟨g, g_p⟩/‖g_p‖²)·g_p                      (the part of g orthogonal to g_p)
 * the base optimizer steps at θ with g_p − α·g⊥
 * ```
 *
 * Two forward/backward passes per step; α = 0 is SAM. The paper moves ρ with
 * the learning rate, `(ρ − ρ_min)/(ρ_max − ρ_min) = (η − η_min)/(η_max − η_min)`:
 * give ρ the same `@flood/schedulers` schedule as the learning rate with ρ's
 * end points, e.g. `rho: cosine({ from: 0.1, to: 0.01, steps })` beside
 * `scheduled(sgd, { learningRate: cosine({ from: 0.1, to: 0.001, steps }) })`
 * (an affine image of a cosine, linear or warm-up schedule is the same schedule
 * with mapped end points). `perturb` restricts the probe to some variables,
 * normalised over them. Wrap in `flooding(...)` to flood it.
 *
 * @param base - a `tf.train.*` optimizer (or `scheduled`).
 * @param options - `rho`, `alpha`, `adaptive`, `eta`, `perturb` and the shared options.
 * @throws RangeError naming the invalid option.
 * @see Zhuang et al., "Surrogate Gap Minimization Improves Sharpness-Aware
 *   Training", ICLR 2022.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { gsam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = gsam(tf.train.sgd(0.1), { rho: 0.05, alpha: 0.4 });
 * opt.minimize(() => tf.sum(tf.pow(w, 4)));
 * ```
 */
export function gsam(base: tf.Optimizer, options: GsamOptions): FloodOptimizer {
  return makeOptimizer('gsam', base, options);
}
