import type { Objective } from '../objective.js';
import type { StepProposal } from './proposal.js';

/**
 * The plain gradient step: hand `g0 = ∇L(θ)` to the base optimizer
 * (`θ ← θ − η·g0` for SGD). One gradient evaluation; the reference point of
 * every other rule.
 *
 * @param objective - the loss; evaluated at `θ`, not moved.
 * @returns `gradient = g0`, `loss = L(θ)`, `gradientNorm = ‖g0‖`,
 *   `gradientEvaluations = 1`.
 */
export function plainStep<V, S>(objective: Objective<V, S>): StepProposal<V, S> {
  const { loss, gradient } = objective.evaluate();
  return {
    loss,
    gradient,
    gradientNorm: objective.space.norm(gradient),
    gradientEvaluations: 1,
  };
}
