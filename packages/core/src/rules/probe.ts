import type { Objective } from '../objective.js';
import type { VectorSpace } from '../space.js';

/**
 * Norms below this are treated as zero when normalising a direction: the
 * direction of a zero gradient is undefined, so the probe step is `0` there.
 */
export const ZERO_NORM = 1e-30;

/**
 * `radius · v / ‖v‖`, or the zero vector when `‖v‖ < 1e-30` (a defined answer
 * for the undefined direction of a zero gradient; no read-back needed).
 */
export function towards<V, S>(space: VectorSpace<V, S>, v: V, norm: S, radius: number): V {
  const s = space.scalar;
  const zero = s.greater(ZERO_NORM, norm); // 1 where ‖v‖ is (numerically) zero
  const denominator = s.add(norm, zero); // never 0
  const factor = s.mul(s.sub(1, zero), s.div(radius, denominator));
  const out = space.scale(v, factor);
  space.dispose(zero, denominator, factor);
  return out;
}

/**
 * Evaluates the loss and gradient at `θ + δ`, then frees `δ` unless `keep` is
 * set. Returns the evaluation; `θ` is unchanged.
 */
export function probeAt<V, S>(objective: Objective<V, S>, delta: V, keep = false) {
  try {
    return objective.evaluate(delta);
  } finally {
    if (!keep) objective.space.dispose(delta);
  }
}
