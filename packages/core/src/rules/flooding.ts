import type { Objective } from '../objective.js';
import { type ScheduleLike, scheduleValue } from '../schedule.js';
import type { VectorSpace } from '../space.js';
import { requireNonNegative } from '../validate.js';
import type { StepProposal } from './proposal.js';
import type { Rule, RuleStep } from './rule.js';

/**
 * Flooding applied to a proposal (Ishida et al., ICML 2020): the gradient of
 * `|L − b| + b` is `sign(L − b)·∇L`, so the proposal's gradient is multiplied by
 * `sign(L − b)`, where `L` is the raw loss at `θ`:
 *
 * $$ g \leftarrow \operatorname{sign}\big(L(\theta) - b\big)\, g $$
 *
 * (descent above b, ascent below, 0 at L = b)
 *
 * It transforms any proposal (a loss transform outside a gradient estimator:
 * flooding of SAM floods SAM's gradient by the sign of the unperturbed loss).
 * No extra gradient evaluation; the sign stays a device scalar. The input
 * proposal's `gradient` is consumed (freed) and replaced.
 *
 * @param space - the vector space of the proposal.
 * @param proposal - any rule's proposal (only `loss`, `gradient` and
 *   `ascended` are read; other fields pass through); its `gradient` and
 *   `ascended` are consumed.
 * @param level - the flood level `b >= 0` (finite).
 * @returns the proposal with the flooded gradient and `ascended = 1` if `L < b`
 *   (else 0); every other field is passed through.
 * @throws RangeError unless `level` is finite and `>= 0`.
 * @see Ishida, Yamane, Sakai, Niu, Sugiyama, "Do We Need Zero Training Loss
 *   After Achieving Zero Training Error?", ICML 2020.
 */
export function floodProposal<
  V,
  S,
  P extends Pick<StepProposal<V, S>, 'loss' | 'gradient' | 'ascended'> = StepProposal<V, S>,
>(space: VectorSpace<V, S>, proposal: P, level: number): P {
  requireNonNegative('level', level);
  const s = space.scalar;
  const diff = s.sub(proposal.loss, level);
  const sign = s.sign(diff);
  const gradient = space.scale(proposal.gradient, sign);
  const ascended = s.greater(level, proposal.loss);
  space.dispose(diff, sign, proposal.gradient, proposal.ascended);
  return { ...proposal, gradient, ascended };
}

/**
 * Flooding as a combinator: the rule `rule` with {@link floodProposal} applied
 * at the level `b = level(t)`. Over the plain rule (`overPlain`), the flooded
 * gradient `sign(L − b)·∇L(θ)` comes from one evaluation
 * ({@link Objective.evaluateFlooded} when the objective offers it), and
 * `‖∇L(θ)‖` only when the context asks for it.
 *
 * @param rule - any rule (its proposal's gradient is flooded).
 * @param level - `b >= 0`, a number or a schedule of the step.
 * @param overPlain - true when `rule` is the plain rule.
 * @returns a rule whose hyper-parameters add `level`.
 */
export function flooded(rule: Rule, level: ScheduleLike, overPlain = false): Rule {
  return <V, S>(objective: Objective<V, S>, context: Parameters<Rule>[1]): RuleStep<V, S> => {
    const b = scheduleValue('level', level, context.step, requireNonNegative);
    const space = objective.space;
    if (overPlain) {
      const { loss, gradient } = objective.evaluateFlooded
        ? objective.evaluateFlooded(b)
        : floodedEvaluation(objective, b);
      return {
        loss,
        gradient,
        ...(context.recordGradientNorm ? { gradientNorm: space.norm(gradient) } : {}),
        ascended: space.scalar.greater(b, loss),
        gradientEvaluations: 1,
        hyperparameters: { level: b },
      };
    }
    const inner = rule(objective, context as never) as RuleStep<V, S>;
    const out = floodProposal(space, inner, b);
    return { ...out, hyperparameters: { ...inner.hyperparameters, level: b } };
  };
}

/** `L(θ)` and `sign(L − b)·∇L(θ)` by an evaluation and a scaling. */
function floodedEvaluation<V, S>(objective: Objective<V, S>, level: number) {
  const space = objective.space;
  const { loss, gradient } = objective.evaluate();
  const diff = space.scalar.sub(loss, level);
  const sign = space.scalar.sign(diff);
  const flooded = space.scale(gradient, sign);
  space.dispose(diff, sign, gradient);
  return { loss, gradient: flooded };
}
