import type { VectorSpace } from '../space.js';
import { requireNonNegative } from '../validate.js';
import type { StepProposal } from './proposal.js';

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
