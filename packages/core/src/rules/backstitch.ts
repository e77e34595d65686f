import type { Objective } from '../objective.js';
import { requireNonNegative } from '../validate.js';
import type { StepProposal } from './proposal.js';

/**
 * Backstitch (Wang et al., Interspeech 2017), the seed's ε1/ε2 scheme, on one
 * batch: an ascent step of rate ε2, kept, then the base optimizer's step from
 * there with a recomputed gradient. Two gradient evaluations.
 *
 * $$ \delta = \varepsilon_2 \nabla L(\theta), \quad \theta' = \theta + \delta \text{ (kept)}, \quad g = \nabla L(\theta') $$
 *
 * $$ \text{SGD}(\varepsilon_1):\; \theta'' = \theta' - \varepsilon_1 g \approx \theta - (\varepsilon_1 - \varepsilon_2)\, \nabla\Big[L + \frac{\varepsilon_1\varepsilon_2}{2(\varepsilon_1 - \varepsilon_2)} \lVert \nabla L \rVert^2\Big] $$
 *
 * Derivation: `∇L(θ + ε2 g) = g + ε2 H g + O(ε2²)`, so `θ'' = θ − (ε1 − ε2)g −
 * ε1ε2 Hg + O(ε³)`; see {@link backstitchEquivalent}. Exact on a quadratic.
 *
 * The proposal carries `displacement = δ`: the caller moves `θ` by it before the
 * base step. Kaldi's α maps to `ε2 = α·η`, `ε1 = (1 + α)·η`. A zero gradient
 * gives `δ = 0` and `g = ∇L(θ) = 0`.
 *
 * @param objective - the loss; `θ` is not moved (the caller applies `displacement`).
 * @param params - the ascent rate.
 * @param params.ascentRate - ε2 >= 0 (0 gives the plain gradient and `δ = 0`).
 * @param mask - optional 0/1 vector: only the chosen entries ascend,
 *   `δ = ε2·(mask ⊙ ∇L(θ))` (api.md's `perturb`); default: all.
 * @returns `gradient = ∇L(θ + δ)`, `displacement = δ`, `loss = L(θ)`,
 *   `probeLoss = L(θ + δ)`, `gradientEvaluations = 2`.
 * @throws RangeError unless `ascentRate` is finite and `>= 0`.
 * @see Wang, Peddinti, Xu, Zhang, Povey, Khudanpur, "Backstitch: Counteracting
 *   Finite-sample Bias via Negative Steps", Interspeech 2017; the seed
 *   (kexue.fm/archives/7643).
 */
export function backstitchStep<V, S>(
  objective: Objective<V, S>,
  params: { ascentRate: number },
  mask?: V,
): StepProposal<V, S> {
  const ascentRate = requireNonNegative('ascentRate', params.ascentRate);
  const space = objective.space;
  const first = objective.evaluate();
  let gradient: V | undefined = first.gradient;
  let norm: S | undefined;
  let displacement: V | undefined;
  try {
    norm = space.norm(first.gradient);
    if (mask) {
      const chosen = space.mul(first.gradient, mask);
      displacement = space.scale(chosen, ascentRate);
      space.dispose(chosen);
    } else {
      displacement = space.scale(first.gradient, ascentRate);
    }
    // Only δ is needed from here on: free g0 before the probe pass (one
    // parameter-sized buffer less at its peak).
    space.dispose(first.gradient);
    gradient = undefined;
    const probe = objective.evaluate(displacement);
    return {
      loss: first.loss,
      gradientNorm: norm,
      gradient: probe.gradient,
      displacement,
      probeLoss: probe.loss,
      gradientEvaluations: 2,
    };
  } catch (error) {
    space.dispose(first.loss, gradient, norm, displacement);
    throw error;
  }
}
