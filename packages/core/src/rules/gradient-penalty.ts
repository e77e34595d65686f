import type { Objective } from '../objective.js';
import { requireNonNegative, requireOneOf, requirePositive } from '../validate.js';
import { towards } from './probe.js';
import { probingStep } from './probing-step.js';
import type { StepProposal } from './proposal.js';

/** Hyper-parameters of {@link gradientPenaltyStep}. */
export interface GradientPenaltyParams {
  /** λ >= 0, the weight of the penalty `λ‖∇L‖^p` (finite). */
  coefficient: number;
  /** p: 1 for `λ‖∇L‖` (Zhao et al. 2022); 2 for `λ‖∇L‖²` (the seed's penalty). Default 2. */
  power?: 1 | 2;
  /** r > 0 (finite), the finite-difference step along the gradient, in parameter units. Default 0.01. */
  radius?: number;
}

/** The default finite-difference radius `r` of {@link gradientPenaltyStep}. */
export const DEFAULT_PENALTY_RADIUS = 0.01;

/**
 * The gradient of `L + λ‖∇L‖^p` by a finite difference along the gradient
 * (two gradient evaluations, no second-order autodiff):
 *
 * $$ g_0 = \nabla L(\theta), \quad \delta = r\, \frac{g_0}{\lVert g_0 \rVert}, \quad g_1 = \nabla L(\theta + \delta), \qquad \frac{g_1 - g_0}{r} \approx \frac{H g_0}{\lVert g_0 \rVert} $$
 *
 * $$ p = 1:\quad g = g_0 + \frac{\lambda}{r}(g_1 - g_0) \approx \nabla\big(L + \lambda \lVert \nabla L \rVert\big) $$
 *
 * $$ p = 2:\quad g = g_0 + \frac{2\lambda \lVert g_0 \rVert}{r}(g_1 - g_0) \approx \nabla\big(L + \lambda \lVert \nabla L \rVert^2\big) $$
 *
 * (p = 1: Zhao, Zhang, Hu, ICML 2022; p = 2: the seed, Barrett & Dherin 2021.)
 *
 * On a quadratic `L = ½θᵀAθ − cᵀθ` both are exact for any `r`: `g0 + λAg0/‖g0‖`
 * and `g0 + 2λAg0`. With `p = 1` and `λ = r` the rule *is* SAM with `ρ = r`.
 * Derivation: `(g1 − g0)/r = H g0/‖g0‖ + O(r)`, and `∇‖g‖ = Hg/‖g‖`,
 * `∇‖g‖² = 2Hg`; the error is O(r) (forward difference) where `H` varies.
 *
 * Zero gradient: where `‖g0‖ < 1e-30` the direction is undefined, so the rule
 * defines `δ = 0`; then `g1 = g0` and the result is `g0` (the penalty's
 * gradient is taken as 0, its value for power 2). `θ` is unchanged.
 *
 * @param objective - the loss; evaluated at `θ` and `θ + δ`, `θ` not moved.
 * @param params - {@link GradientPenaltyParams}.
 * @param mask - optional 0/1 vector `P` (api.md's `perturb`): the penalty
 *   becomes `λ‖P∇L‖^p`, probed along `Pg0` (`∇‖Pg‖ = HPg/‖Pg‖`); default: all.
 * @returns the penalised gradient, `loss = L(θ)`, `probeLoss = L(θ + δ)`,
 *   `gradientNorm = ‖g0‖`, `gradientEvaluations = 2`.
 * @throws RangeError for a negative or non-finite `coefficient`, a `power` other
 *   than 1 or 2, or a `radius` that is not finite and `> 0`.
 * @see Zhao, Zhang, Hu, "Penalizing Gradient Norm for Efficiently Improving
 *   Generalization in Deep Learning", ICML 2022 (power 1); Barrett & Dherin,
 *   "Implicit Gradient Regularization", ICLR 2021, and the seed (power 2).
 */
export function gradientPenaltyStep<V, S>(
  objective: Objective<V, S>,
  params: GradientPenaltyParams,
  mask?: V,
): StepProposal<V, S> {
  const lambda = requireNonNegative('coefficient', params.coefficient);
  const power = requireOneOf('power', params.power ?? 2, [1, 2] as const);
  const radius = requirePositive('radius', params.radius ?? DEFAULT_PENALTY_RADIUS);
  const space = objective.space;
  const s = space.scalar;
  let c: S | undefined; // c = λ/r (p = 1) or 2λ‖Pg0‖/r (p = 2), made before the probe pass
  return probingStep(objective, {
    // With a mask P the penalty is λ‖P∇L‖^p: probe along Pg0, and p = 2 scales by ‖Pg0‖.
    offset: (g0, norm) => {
      const chosen = mask ? space.mul(g0, mask) : g0;
      const chosenNorm = mask ? space.norm(chosen) : norm;
      c = power === 1 ? s.of(lambda / radius) : s.mul(chosenNorm, (2 * lambda) / radius);
      const delta = towards(space, chosen, chosenNorm, radius);
      if (mask) space.dispose(chosen, chosenNorm);
      return delta;
    },
    // g = (1 − c)·g0 + c·g1
    combine: (g0, g1) => {
      const oneMinusC = s.sub(1, c!);
      const gradient = space.axpby(oneMinusC, g0, c!, g1);
      space.dispose(oneMinusC, c);
      return gradient;
    },
    abandon: () => space.dispose(c),
  });
}
