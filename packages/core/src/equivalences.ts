import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/**
 * Gradient descent on a gradient-penalised loss `L + λ‖∇L‖²`: the learning
 * rate `η` and the penalty `λ` of {@link backstitchEquivalent}, and the input of
 * {@link backstitchRates}.
 */
export interface PenalisedDescent {
  /** η = ε1 − ε2 > 0, the rate of the equivalent gradient-descent step. */
  learningRate: number;
  /** λ = ε1ε2 / (2(ε1 − ε2)) >= 0, the weight of `‖∇L‖²` in the equivalent loss. */
  penalty: number;
}

/**
 * The two rates of a backstitch pair (a descent step ε1 and an ascent step ε2 on
 * the same batch): the result of {@link backstitchRates} and the input of
 * {@link backstitchEquivalent}.
 */
export interface BackstitchRates {
  /** ε1 > ε2, the rate of the descent step `θ ← θ − ε1·∇L(θ)`. */
  descentRate: number;
  /** ε2 >= 0, the rate of the ascent step `θ ← θ + ε2·∇L(θ)`. */
  ascentRate: number;
}

/** What a flooding descent/ascent pair at equal rate ε does: see {@link floodingEquivalent}. */
export interface FloodingPenalty {
  /** ε²/2, the step of the implied gradient descent on `‖∇L‖²`. */
  penaltyRate: number;
}

/**
 * What a backstitch pair does, to second order (the seed's analysis).
 *
 * A descent step of rate ε1 and an ascent step of rate ε2 on the same loss, in
 * either order, give
 *
 * $$ \theta'' = \theta - (\varepsilon_1 - \varepsilon_2)\, g - \varepsilon_1 \varepsilon_2\, H g + O(\varepsilon^3) $$
 *
 * $$ \phantom{\theta''} = \theta - (\varepsilon_1 - \varepsilon_2)\, \nabla\big[L + \lambda \lVert \nabla L \rVert^2\big] + O(\varepsilon^3) $$
 *
 * $$ \eta = \varepsilon_1 - \varepsilon_2, \qquad \lambda = \frac{\varepsilon_1 \varepsilon_2}{2(\varepsilon_1 - \varepsilon_2)} $$
 *
 * Derivation in one line: `g(θ ∓ ε g) = g ∓ ε H g + O(ε²)` and `∇‖g‖² = 2Hg`.
 * On a quadratic loss (constant `H`) the identity is exact, for any ε1, ε2.
 * Kaldi's backstitch scale α is `ε2 = α·η`, `ε1 = (1 + α)·η`, so
 * `λ = α(1 + α)η/2`.
 *
 * @param o - the pair of rates.
 * @param o.descentRate - ε1, finite and `> ascentRate`.
 * @param o.ascentRate - ε2, finite and `>= 0`.
 * @returns `learningRate = ε1 − ε2` and `penalty = λ = ε1ε2 / (2(ε1 − ε2))`.
 * @throws RangeError for non-finite rates, `ascentRate < 0`, `descentRate <= ascentRate`,
 *   or a penalty that overflows float64.
 * @see Wang, Peddinti, Xu, Zhang, Povey, Khudanpur, "Backstitch: Counteracting
 *   Finite-sample Bias via Negative Steps", Interspeech 2017; Su Jianlin,
 *   "我们真的需要把训练集的损失降低到零吗?", kexue.fm/archives/7643, 2020 (the seed).
 * @example
 * ```ts
 * import { backstitchEquivalent } from '@flood/core';
 * console.log(backstitchEquivalent({ descentRate: 0.13, ascentRate: 0.03 }));
 * // { learningRate: 0.1, penalty: 0.0195 }
 * ```
 */
export function backstitchEquivalent(o: {
  descentRate: number;
  ascentRate: number;
}): PenalisedDescent {
  const descentRate = requireFinite('descentRate', o.descentRate);
  const ascentRate = requireNonNegative('ascentRate', o.ascentRate);
  if (!(descentRate > ascentRate)) {
    throw new RangeError(
      `descentRate must be a finite number > ascentRate (${ascentRate}), got ${descentRate}: with ε1 <= ε2 the pair does not descend`,
    );
  }
  const learningRate = descentRate - ascentRate;
  const penalty = descentRate * (ascentRate / (2 * learningRate));
  if (!Number.isFinite(penalty)) {
    throw new RangeError(
      `descentRate and ascentRate must give a finite penalty ε1ε2/(2(ε1 − ε2)), got ${penalty} from ε1 = ${descentRate}, ε2 = ${ascentRate}`,
    );
  }
  return { learningRate, penalty };
}

/**
 * The inverse of {@link backstitchEquivalent}: the rates ε1 > ε2 >= 0 whose
 * backstitch pair acts like gradient descent at rate `η` on `L + λ‖∇L‖²`.
 *
 * $$ \varepsilon_1 - \varepsilon_2 = \eta,\quad \varepsilon_1 \varepsilon_2 = 2\lambda\eta \quad\Longrightarrow\quad \varepsilon_2 = \frac{-\eta + \sqrt{\eta^2 + 8\lambda\eta}}{2},\quad \varepsilon_1 = \eta + \varepsilon_2 $$
 *
 * Derivation: substitute `ε1 = η + ε2` into `ε1ε2 = 2λη` and take the root
 * `ε2 >= 0` of `ε2² + ηε2 − 2λη = 0`. It is computed without cancellation or
 * overflow as `4λ / (1 + √(1 + 8λ/η))` (λ <= η) or
 * `4√(λη) / (√(η/λ) + √(η/λ + 8))` (λ > η).
 *
 * @param o - the equivalent gradient descent.
 * @param o.learningRate - η, finite and `> 0`.
 * @param o.penalty - λ, finite and `>= 0` (0 gives ε2 = 0: plain descent).
 * @returns `descentRate = ε1` and `ascentRate = ε2`.
 * @throws RangeError for `learningRate <= 0`, `penalty < 0`, non-finite values,
 *   or rates that overflow float64.
 * @see Wang et al., Interspeech 2017 (backstitch); the seed (kexue.fm/archives/7643).
 * @example
 * ```ts
 * import { backstitchRates } from '@flood/core';
 * console.log(backstitchRates({ learningRate: 0.1, penalty: 0.0195 })); // { descentRate: 0.13, ascentRate: 0.03 }
 * ```
 */
export function backstitchRates(o: { learningRate: number; penalty: number }): BackstitchRates {
  const eta = requirePositive('learningRate', o.learningRate);
  const lambda = requireNonNegative('penalty', o.penalty);
  let ascentRate: number;
  if (lambda <= eta) {
    ascentRate = (4 * lambda) / (1 + Math.sqrt(1 + (8 * lambda) / eta));
  } else {
    const r = eta / lambda;
    ascentRate = (4 * Math.sqrt(lambda) * Math.sqrt(eta)) / (Math.sqrt(r) + Math.sqrt(r + 8));
  }
  const descentRate = eta + ascentRate;
  if (!Number.isFinite(descentRate)) {
    throw new RangeError(
      `learningRate and penalty must give finite rates, got ε1 = ${descentRate} from η = ${eta}, λ = ${lambda}`,
    );
  }
  return { descentRate, ascentRate };
}

/**
 * Flooding near its level alternates a descent and an ascent step of the same
 * rate ε; the pair cancels to first order and leaves gradient descent on
 * `‖∇L‖²` with step ε²/2:
 *
 * $$ \theta'' = \theta - \varepsilon^2 H g + O(\varepsilon^3) = \theta - \frac{\varepsilon^2}{2} \nabla \lVert \nabla L \rVert^2 + O(\varepsilon^3) $$
 *
 * Derivation: the ε1 = ε2 = ε case of {@link backstitchEquivalent}, where the
 * first-order terms cancel and `ε1ε2·Hg = (ε²/2)·∇‖g‖²`. Exact on a quadratic.
 *
 * @param o - the flooding step.
 * @param o.learningRate - ε, finite and `> 0`.
 * @returns `penaltyRate = ε²/2`, the step of the implied descent on `‖∇L‖²`.
 * @throws RangeError unless `learningRate` is finite and `> 0`.
 * @see Ishida, Yamane, Sakai, Niu, Sugiyama, "Do We Need Zero Training Loss After
 *   Achieving Zero Training Error?", ICML 2020; the seed (kexue.fm/archives/7643);
 *   Karakida, Takase, Hayase, Osawa, ICLR 2023.
 * @example
 * ```ts
 * import { floodingEquivalent } from '@flood/core';
 * console.log(floodingEquivalent({ learningRate: 0.2 })); // { penaltyRate: 0.02 }
 * ```
 */
export function floodingEquivalent(o: { learningRate: number }): FloodingPenalty {
  const eps = requirePositive('learningRate', o.learningRate);
  const penaltyRate = (eps * eps) / 2;
  if (!Number.isFinite(penaltyRate)) {
    throw new RangeError(
      `learningRate must give a finite ε²/2, got ${penaltyRate} from ε = ${eps}`,
    );
  }
  return { penaltyRate };
}
