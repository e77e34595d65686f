import type { Objective } from '../objective.js';
import { requireNonNegative } from '../validate.js';
import type { StepProposal } from './proposal.js';

/**
 * Backstitch (Wang et al., Interspeech 2017), the seed's ε1/ε2 scheme, on one
 * batch: an ascent step of rate ε2, kept, then the base optimizer's step from
 * there with a recomputed gradient. Two gradient evaluations.
 *
 * ```text
 * δ = ε2·∇L(θ),   θ' = θ + δ  (kept),   g = ∇L(θ')
 * SGD(ε1) then gives θ'' = θ' − ε1·g ≈ θ − (ε1 − ε2)·∇[L + ε1ε2/(2(ε1 − ε2))·‖∇L‖²]
 * ```
 *
 * The proposal carries `displacement = δ`: the caller moves `θ` by it before the
 * base step. Kaldi's α maps to `ε2 = α·η`, `ε1 = (1 + α)·η`.
 *
 * @param params.ascentRate - ε2 >= 0 (0 gives the plain gradient).
 */
export function backstitchStep<V, S>(
  objective: Objective<V, S>,
  params: { ascentRate: number },
): StepProposal<V, S> {
  const ascentRate = requireNonNegative('ascentRate', params.ascentRate);
  const space = objective.space;
  const first = objective.evaluate();
  let displacement: V | undefined;
  try {
    const norm = space.norm(first.gradient);
    displacement = space.scale(first.gradient, ascentRate);
    const probe = objective.evaluate(displacement);
    space.dispose(first.gradient);
    return {
      loss: first.loss,
      gradientNorm: norm,
      gradient: probe.gradient,
      displacement,
      probeLoss: probe.loss,
      gradientEvaluations: 2,
    };
  } catch (error) {
    space.dispose(first.loss, first.gradient, displacement);
    throw error;
  }
}
