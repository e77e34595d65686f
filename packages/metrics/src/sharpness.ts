import {
  DEFAULT_ASAM_ETA,
  type Objective,
  requireInteger,
  requireNonNegative,
  requirePositive,
  samOffset,
} from '@flood/core';
import { readScalar } from './read.js';

/** Options of {@link sharpness}. */
export interface SharpnessOptions {
  /** ρ > 0, the radius of the neighbourhood. Default 0.05 (Foret et al.'s SAM default). */
  rho?: number;
  /**
   * Ascent steps. 1 (default) is SAM's one-step estimate `e = ρ·g/‖g‖`; more
   * steps run projected gradient ascent on the ball.
   */
  steps?: number;
  /**
   * Adaptive (scale-invariant) sharpness of ASAM (Kwon et al. 2021): the ball
   * becomes the ellipsoid `‖T⁻¹e‖ ≤ ρ`, `T = |θ| + η`. Default false.
   */
  adaptive?: boolean;
  /** η ≥ 0 of ASAM's `T = |θ| + η`. Default 0.01. */
  eta?: number;
  /** Ascent step length in units of ρ (multi-step only). Default 1. */
  stepSize?: number;
}

/** The result of {@link sharpness} and {@link epsilonSharpness}. */
export interface Sharpness {
  /**
   * For {@link sharpness}: `perturbedLoss − loss`. For {@link epsilonSharpness}:
   * Keskar's `100·(perturbedLoss − loss)/(1 + loss)`.
   */
  sharpness: number;
  /** `L(θ)`. */
  loss: number;
  /** The largest loss found in the neighbourhood, `L(θ + e*)` (a lower bound of the maximum). */
  perturbedLoss: number;
  /** The norm of the perturbation that reached it (`‖e*‖₂`). */
  perturbationNorm: number;
  /** Gradient evaluations spent. */
  gradientEvaluations: number;
  /** Loss-only evaluations spent. */
  lossEvaluations: number;
}

/**
 * The ρ-sharpness of SAM (Foret et al., ICLR 2021),
 * `max_{‖e‖₂ ≤ ρ} L(θ + e) − L(θ)`, or with `adaptive` ASAM's scale-invariant
 * `max_{‖T⁻¹e‖₂ ≤ ρ} L(θ + e) − L(θ)`, `T = |θ| + η` (Kwon et al., ICML 2021).
 *
 * The maximisation runs in the coordinates `e = T⊙u` (`T = 1` without
 * `adaptive`), where the feasible set is the ball `‖u‖ ≤ ρ` and `∇ᵤL = T⊙g`:
 *
 * ```text
 * u₀ = 0
 * uₜ = P(uₜ₋₁ + stepSize·ρ·T⊙gₜ₋₁ / (‖T⊙gₜ₋₁‖ + 1e-12)),  P(u) = u·min(1, ρ/‖u‖)
 * gₜ = ∇L(θ + T⊙uₜ)
 * ```
 *
 * One step gives SAM's `e = ρ·g/‖g‖` (ASAM's `ρ·T²g/‖Tg‖`). The result is the
 * largest loss met along the way, so it is a lower bound of the true maximum (exact
 * for a linear loss). Returns 0 perturbation at a zero gradient.
 *
 * Cost: `steps` gradient evaluations and 1 loss evaluation; one read-back per step.
 */
export async function sharpness<V, S>(
  objective: Objective<V, S>,
  options: SharpnessOptions = {},
): Promise<Sharpness> {
  const rho = requirePositive('rho', options.rho ?? 0.05);
  const steps = requireInteger('steps', options.steps ?? 1, 1);
  const eta = requireNonNegative('eta', options.eta ?? DEFAULT_ASAM_ETA);
  const stepSize = requirePositive('stepSize', options.stepSize ?? 1);
  const space = objective.space;
  const s = space.scalar;
  const theta = objective.parameters();
  const scaling = options.adaptive ? space.absPlus(theta, eta) : undefined;
  space.dispose(theta);
  const first = objective.evaluate();
  let gradient: V | undefined = first.gradient;
  let u = space.zeros();
  const loss = await readScalar(space, first.loss);
  let best = { loss: Number.NEGATIVE_INFINITY, norm: 0 };
  let gradientEvaluations = 1;
  let lossEvaluations = 0;
  try {
    for (let t = 1; t <= steps; t++) {
      const { next, offset } = space.scope(() => {
        const g = gradient!;
        const tg = scaling ? space.mul(scaling, g) : g;
        // SAM's normalised ascent step in the u-coordinates (core's samOffset).
        const tgNorm = space.norm(tg);
        const ascent = samOffset(objective, tg, tgNorm, { rho: stepSize * rho, eta });
        const moved = space.add(u, ascent);
        space.dispose(tgNorm, ascent);
        // Projection onto ‖u‖ ≤ ρ.
        const shrink = s.div(rho, s.max(space.norm(moved), rho));
        const next = space.scale(moved, shrink);
        const offset = scaling ? space.mul(scaling, next) : space.clone(next);
        return { next: space.keep(next), offset: space.keep(offset) };
      });
      space.dispose(u, gradient);
      gradient = undefined;
      u = next;
      let value: number;
      if (t < steps) {
        const evaluation = objective.evaluate(offset);
        gradientEvaluations += 1;
        gradient = evaluation.gradient;
        value = await readScalar(space, evaluation.loss);
      } else {
        value = await readScalar(space, objective.loss(offset));
        lossEvaluations += 1;
      }
      const norm = await readScalar(space, space.norm(offset));
      space.dispose(offset);
      if (value > best.loss) best = { loss: value, norm };
    }
  } finally {
    space.dispose(u, scaling, gradient);
  }
  return {
    sharpness: best.loss - loss,
    loss,
    perturbedLoss: best.loss,
    perturbationNorm: best.norm,
    gradientEvaluations,
    lossEvaluations,
  };
}

/** Options of {@link epsilonSharpness}. */
export interface EpsilonSharpnessOptions {
  /** ε > 0, the relative half-width of the box. Default 1e-3 (Keskar et al. also use 5e-4). */
  epsilon?: number;
  /** Projected ascent steps. Default 10 (the iterations of Keskar et al.'s L-BFGS-B). */
  steps?: number;
}

/**
 * Keskar et al.'s ε-sharpness (ICLR 2017, "On large-batch training…", full space
 * `A = I`): the relative loss increase, in percent, at the worst point of the box
 * `C_ε = {e : |eᵢ| ≤ ε(|θᵢ| + 1)}`,
 *
 * ```text
 * φ = 100 · (max_{e ∈ C_ε} L(θ + e) − L(θ)) / (1 + L(θ))
 * ```
 *
 * The maximum is found by projected sign-gradient ascent (steepest ascent for the
 * box) in `e = T⊙u`, `T = |θ| + 1`, `|uᵢ| ≤ ε`, instead of the paper's
 * L-BFGS-B: `uₜ = clip(uₜ₋₁ + αₜ·sign(T⊙gₜ₋₁), −ε, ε)`, `αₜ = 2ε/(t + 1)` (the
 * first step reaches the corner that maximises the linearised loss). The result
 * is the largest loss met (a lower bound of the maximum; exact for linear losses).
 * Vectors go to the host for the clipping.
 *
 * Cost: `steps` gradient evaluations and 1 loss evaluation; one host round-trip
 * of a parameter-sized vector per step.
 */
export async function epsilonSharpness<V, S>(
  objective: Objective<V, S>,
  options: EpsilonSharpnessOptions = {},
): Promise<Sharpness> {
  const epsilon = requirePositive('epsilon', options.epsilon ?? 1e-3);
  const steps = requireInteger('steps', options.steps ?? 10, 1);
  const space = objective.space;
  const theta = objective.parameters();
  const scaling = space.absPlus(theta, 1);
  space.dispose(theta);
  const t = (await space.toArrays(scaling)).map((a) => Array.from(a));
  space.dispose(scaling);
  const first = objective.evaluate();
  const loss = await readScalar(space, first.loss);
  let gradient: Float64Array[] = await space.toArrays(first.gradient);
  space.dispose(first.gradient);
  const u = t.map((block) => new Float64Array(block.length));
  let best = { loss: Number.NEGATIVE_INFINITY, norm: 0 };
  let gradientEvaluations = 1;
  let lossEvaluations = 0;
  for (let step = 1; step <= steps; step++) {
    const alpha = (2 * epsilon) / (step + 1);
    const e = u.map((block, b) => {
      const out = new Float64Array(block.length);
      for (let i = 0; i < block.length; i++) {
        const ascent = Math.sign(gradient[b]![i]!); // sign(Tᵢgᵢ) = sign(gᵢ), T > 0
        block[i] = Math.min(epsilon, Math.max(-epsilon, block[i]! + alpha * ascent));
        out[i] = t[b]![i]! * block[i]!;
      }
      return out;
    });
    const offset = space.fromArrays(e);
    let value: number;
    try {
      if (step < steps) {
        const evaluation = objective.evaluate(offset);
        gradientEvaluations += 1;
        value = await readScalar(space, evaluation.loss);
        gradient = await space.toArrays(evaluation.gradient);
        space.dispose(evaluation.gradient);
      } else {
        value = await readScalar(space, objective.loss(offset));
        lossEvaluations += 1;
      }
    } finally {
      space.dispose(offset);
    }
    if (value > best.loss) {
      best = {
        loss: value,
        norm: Math.sqrt(e.reduce((a, x) => a + x.reduce((c, y) => c + y * y, 0), 0)),
      };
    }
  }
  return {
    sharpness: (100 * (best.loss - loss)) / (1 + loss),
    loss,
    perturbedLoss: best.loss,
    perturbationNorm: best.norm,
    gradientEvaluations,
    lossEvaluations,
  };
}
