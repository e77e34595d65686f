import type { Objective } from '../objective.js';
import type { StepProposal } from './proposal.js';

/**
 * The plain gradient step: hand `g0 = ∇L(θ)` to the base optimizer.
 * One gradient evaluation.
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
