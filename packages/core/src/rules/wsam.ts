import { requireInRange, requirePositive } from '../validate.js';
import type { GradientPenaltyParams } from './gradient-penalty.js';

/**
 * WSAM as the gradient-norm penalty it is: the parameters of
 * {@link gradientPenaltyStep} (power 1) that give Yue et al.'s weighted-SAM
 * gradient.
 *
 * WSAM minimises `L + γ/(1 − γ)·(L(θ + δ) − L(θ))` with SAM's `δ`, and hands the
 * base optimizer (its coupled form, `decouple: false`)
 *
 * $$ g_0 + \frac{\gamma}{1-\gamma}\,(g_1 - g_0), \qquad g_1 = \nabla L\Big(\theta + \rho \frac{g_0}{\lVert g_0\rVert}\Big) $$
 *
 * which is the finite-difference gradient of `L + λ‖∇L‖` with radius `r = ρ` and
 * `λ/r = γ/(1 − γ)`, i.e. `λ = ργ/(1 − γ)` (Zhao et al.'s α = λ/r). The two
 * differ only in the guard of the normalisation: WSAM divides by
 * `‖g0‖ + 1e-12`, the penalty treats `‖g0‖ < 1e-30` as a zero gradient.
 * WSAM's decoupled form instead applies the sharpness term `α(g1 − g0)` as an
 * SGD step of its own beside the base optimizer's step with `g0`; with plain
 * SGD as the base the two forms coincide.
 *
 * @param o - `rho` (ρ > 0, WSAM's radius) and `gamma` (γ in [0, 1); Yue et al.
 *   recommend 0.8–0.95, kozistr/pytorch_optimizer's default 0.9).
 * @param o.rho - ρ > 0.
 * @param o.gamma - γ in [0, 1).
 * @returns `{ coefficient: ργ/(1 − γ), power: 1, radius: ρ }`.
 * @throws RangeError for ρ not finite and > 0, or γ outside [0, 1).
 * @see Yue, Jiang, Ye, Gao, Liu, Zhang, "Sharpness-Aware Minimization
 *   Revisited: Weighted Sharpness as a Regularization Term", KDD 2023.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { wsamPenalty } from '@flood/core';
 * import { gradientPenalty } from '@flood/tfjs';
 * // WSAM with ρ = 0.05, γ = 0.9: the power-1 penalty with λ = ργ/(1 − γ) = 0.45, r = ρ.
 * const opt = gradientPenalty(tf.train.sgd(0.1), wsamPenalty({ rho: 0.05, gamma: 0.9 }));
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * opt.minimize(() => tf.sum(tf.pow(w, 4)));
 * ```
 */
export function wsamPenalty(o: { rho: number; gamma: number }): Required<GradientPenaltyParams> {
  const rho = requirePositive('rho', o?.rho);
  const gamma = requireInRange('gamma', o.gamma, 0, 1, { upperOpen: true });
  return { coefficient: (rho * gamma) / (1 - gamma), power: 1, radius: rho };
}
