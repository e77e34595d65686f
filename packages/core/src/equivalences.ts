import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/**
 * What a backstitch pair does, to second order (the seed's analysis).
 *
 * A descent step of rate ε1 and an ascent step of rate ε2 on the same loss, in
 * either order, give
 *
 * ```text
 * θ'' = θ − (ε1 − ε2)·g − ε1ε2·H g + O(ε³)
 *     = θ − (ε1 − ε2)·∇[L + λ‖∇L‖²],   λ = ε1ε2 / (2(ε1 − ε2))
 * ```
 *
 * (expand `g(θ − ε1 g) = g − ε1 H g + O(ε²)` and use `∇‖g‖² = 2Hg`). On a
 * quadratic loss the identity is exact.
 *
 * @param o.descentRate - ε1, finite and `> ascentRate`.
 * @param o.ascentRate - ε2, finite and `>= 0`.
 * @returns `learningRate = ε1 − ε2` and `penalty = λ = ε1ε2 / (2(ε1 − ε2))`.
 * @throws RangeError for non-finite rates, `ascentRate < 0` or `descentRate <= ascentRate`.
 * @see Wang et al., "Backstitch: Counteracting Finite-sample Bias via Negative
 *   Steps", Interspeech 2017; Su Jianlin, kexue.fm/archives/7643 (the seed).
 */
export function backstitchEquivalent(o: { descentRate: number; ascentRate: number }): {
  learningRate: number;
  penalty: number;
} {
  const descentRate = requireFinite('descentRate', o.descentRate);
  const ascentRate = requireNonNegative('ascentRate', o.ascentRate);
  if (!(descentRate > ascentRate)) {
    throw new RangeError(
      `descentRate must be > ascentRate (${ascentRate}), got ${descentRate}: with ε1 <= ε2 the pair does not descend`,
    );
  }
  const learningRate = descentRate - ascentRate;
  return { learningRate, penalty: (descentRate * ascentRate) / (2 * learningRate) };
}

/**
 * The inverse of {@link backstitchEquivalent}: the rates ε1 > ε2 >= 0 whose
 * backstitch pair acts like gradient descent at rate `η` on `L + λ‖∇L‖²`.
 *
 * ```text
 * ε1 − ε2 = η,  ε1ε2 = 2λη   ⇒   ε2 = (−η + √(η² + 8λη)) / 2,  ε1 = η + ε2
 * ```
 *
 * @param o.learningRate - η, finite and `> 0`.
 * @param o.penalty - λ, finite and `>= 0` (0 gives ε2 = 0: plain descent).
 * @throws RangeError for `learningRate <= 0`, `penalty < 0` or non-finite values.
 * @see Wang et al. 2017 (backstitch); the seed (kexue.fm/archives/7643).
 */
export function backstitchRates(o: { learningRate: number; penalty: number }): {
  descentRate: number;
  ascentRate: number;
} {
  const eta = requirePositive('learningRate', o.learningRate);
  const lambda = requireNonNegative('penalty', o.penalty);
  // ε2 = (−η + √(η² + 8λη))/2, written as 4λη / (η + √(η² + 8λη)) to avoid cancellation.
  const ascentRate = (4 * lambda * eta) / (eta + Math.sqrt(eta * eta + 8 * lambda * eta));
  return { descentRate: eta + ascentRate, ascentRate };
}

/**
 * Flooding near its level alternates a descent and an ascent step of the same
 * rate ε; the pair cancels to first order and leaves gradient descent on
 * `‖∇L‖²` with step ε²/2:
 *
 * ```text
 * θ'' = θ − ε²·H g + O(ε³) = θ − (ε²/2)·∇‖∇L‖²
 * ```
 *
 * (the ε1 = ε2 = ε case of {@link backstitchEquivalent}, where `(ε1 − ε2)·λ → ε²/2`).
 *
 * @param o.learningRate - ε, finite and `> 0`.
 * @returns `penaltyRate = ε²/2`, the step of the implied descent on `‖∇L‖²`.
 * @see Ishida et al. 2020 (flooding); the seed (kexue.fm/archives/7643);
 *   Karakida et al., ICLR 2023.
 */
export function floodingEquivalent(o: { learningRate: number }): { penaltyRate: number } {
  const eps = requirePositive('learningRate', o.learningRate);
  return { penaltyRate: (eps * eps) / 2 };
}
