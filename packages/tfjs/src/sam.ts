/**
 * Sharpness-aware minimisation as a `tf.Optimizer`.
 *
 * @module
 */
import type { ScheduleLike } from '@flood/core';
import type * as tf from '@tensorflow/tfjs-core';
import { makeOptimizer } from './factory.js';
import type { PerturbFilter } from './perturb.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Options of {@link sam}. */
export interface SamOptions extends WrapperOptions {
  /** ρ >= 0, the neighbourhood radius in parameter units (Foret et al.: 0.05; ASAM: 0.5). */
  rho: ScheduleLike;
  /** ASAM (Kwon et al. 2021): scale the neighbourhood by `T = |θ| + η`. Default false. */
  adaptive?: boolean;
  /** η >= 0 of ASAM's `T = |θ| + η` (default 0.01). */
  eta?: number;
  /**
   * Which variables the probe moves (default all): e.g. kernels only for ASAM
   * as its authors run it. A function is resolved at the first step; the
   * config saves the booleans it chose (see {@link PerturbFilter}).
   */
  perturb?: PerturbFilter;
}

/**
 * Sharpness-aware minimisation (Foret et al., ICLR 2021) around any base
 * optimizer; `adaptive: true` gives ASAM (Kwon et al., ICML 2021). Per step:
 *
 * ```text
 * g0 = ∇L(θ)
 * SAM:  δ = ρ·g0 / (‖g0‖ + 1e-12)        ASAM: δ = ρ·T²g0 / (‖T g0‖ + 1e-12),  T = |θ| + η
 * the base optimizer steps at θ (restored bit for bit) with g = ∇L(θ + δ)
 * ```
 *
 * Two forward/backward passes per step. BatchNorm statistics of the probe pass
 * are discarded; in `model.fit` dropout masks are shared by both passes (see
 * {@link WrapperOptions}).
 * The returned optimizer owns `base`. Wrap it in `flooding(...)` to flood SAM's
 * gradient; SAM cannot wrap another wrapper.
 *
 * @param base - a `tf.train.*` optimizer.
 * @param options - `rho` (ρ >= 0, default in papers 0.05; ASAM 0.5), `adaptive`
 *   (default false), `eta` (η >= 0, default 0.01) and the shared options.
 * @throws RangeError naming the invalid option.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { sam } from '@flood/tfjs';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = sam(tf.train.sgd(0.1), { rho: 0.05 });
 * opt.minimize(() => tf.sum(tf.square(w)));
 * ```
 */
export function sam(base: tf.Optimizer, options: SamOptions): FloodOptimizer {
  return makeOptimizer('sam', base, options);
}
