import { requireFinite, requireNonNegative } from './validate.js';

/**
 * The flooded loss of Ishida et al. (ICML 2020), the seed's scalar transform:
 *
 * $$ \tilde{L} = \lvert L - b \rvert + b, \qquad \nabla \tilde{L} = \operatorname{sign}(L - b)\, \nabla L $$
 *
 * Above the flood level `b` it equals `L` (gradient descent); below it equals
 * `2b − L`, so its gradient is `−∇L` and a step becomes gradient *ascent*. Its
 * gradient is `sign(L − b)·∇L`; at `L = b` exactly the (sub)gradient used is 0.
 * The value is never below `b`.
 *
 * @param loss - the training loss `L` (any finite number).
 * @param level - the flood level `b >= 0`; `0` turns flooding off for non-negative losses.
 * @throws RangeError if `loss` is not finite or `level` is negative or not finite.
 * @see Ishida, Yamane, Sakai, Niu, Sugiyama, "Do We Need Zero Training Loss After
 *   Achieving Zero Training Error?", ICML 2020.
 */
export function floodedLoss(loss: number, level: number): number {
  requireFinite('loss', loss);
  requireNonNegative('level', level);
  return Math.abs(loss - level) + level;
}
