import type { Evaluation, Objective } from '../objective.js';
import type { VectorSpace } from '../space.js';
import { requireNonNegative } from '../validate.js';

/**
 * Norms below this are treated as zero when normalising a direction: the
 * direction of a zero gradient is undefined, so the probe step is `0` there.
 */
export const ZERO_NORM = 1e-30;

/**
 * The probe step of the gradient penalty: `radius · v / ‖v‖`, or the zero
 * vector when `‖v‖ < 1e-30` ({@link ZERO_NORM}; a defined answer for the
 * undefined direction of a zero gradient). Computed without a read-back as
 * `(1 − z)·radius/(‖v‖ + z) · v` with `z = [‖v‖ < 1e-30]`.
 *
 * @param space - the vector space of `v`.
 * @param v - the direction (not consumed).
 * @param norm - `‖v‖₂`, already computed (not consumed).
 * @param radius - the length of the result, finite and `>= 0`.
 * @returns a new vector of length `radius` along `v` (or zero).
 * @throws RangeError unless `radius` is finite and `>= 0`.
 */
export function towards<V, S>(space: VectorSpace<V, S>, v: V, norm: S, radius: number): V {
  requireNonNegative('radius', radius);
  const s = space.scalar;
  const zero = s.greater(ZERO_NORM, norm); // 1 where ‖v‖ is (numerically) zero
  const denominator = s.add(norm, zero); // never 0
  const keepIt = s.sub(1, zero);
  const length = s.div(radius, denominator);
  const factor = s.mul(keepIt, length);
  const out = space.scale(v, factor);
  space.dispose(zero, denominator, keepIt, length, factor);
  return out;
}

/**
 * Evaluates the loss and gradient at the probe point `θ + δ`, then frees `δ`
 * unless `keep` is set (also when the evaluation throws; the objective may free
 * it as soon as it has formed `θ + δ`, see `Objective.evaluate`'s
 * `consumeOffset`). `θ` is unchanged.
 *
 * @param objective - the loss.
 * @param delta - the offset δ (consumed unless `keep`).
 * @param keep - keep `delta` alive for the caller (default false).
 * @returns `{ loss: L(θ + δ), gradient: ∇L(θ + δ) }`, owned by the caller.
 */
export function probeAt<V, S>(
  objective: Objective<V, S>,
  delta: V,
  keep = false,
): Evaluation<V, S> {
  try {
    return objective.evaluate(delta, !keep);
  } finally {
    if (!keep) objective.space.dispose(delta);
  }
}
