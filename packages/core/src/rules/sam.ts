import type { Objective } from '../objective.js';
import { requireNonNegative } from '../validate.js';
import { probeAt } from './probe.js';
import type { StepProposal } from './proposal.js';

/** The `1e-12` added to the norm in SAM's and ASAM's probe, as in Foret et al.'s code. */
export const SAM_EPSILON = 1e-12;

/** Hyper-parameters of {@link samStep}. */
export interface SamParams {
  /** ρ >= 0 (finite), the radius of the neighbourhood. Foret et al. default 0.05 (ASAM: 0.5). */
  rho: number;
  /** ASAM (Kwon et al. 2021): scale the neighbourhood by `T = |θ| + η`. Default false. */
  adaptive?: boolean;
  /** η >= 0 (finite) of ASAM's `T = |θ| + η`. Default 0.01 ({@link DEFAULT_ASAM_ETA}). */
  eta?: number;
}

/** ASAM's default η (Kwon et al. 2021, SamsungLabs/ASAM). */
export const DEFAULT_ASAM_ETA = 0.01;

/**
 * Sharpness-aware minimisation: the gradient at the worst point of a
 * ρ-neighbourhood (to first order), applied at `θ`. Two gradient evaluations.
 *
 * $$ \text{SAM: } \delta = \frac{\rho\, g_0}{\lVert g_0 \rVert + 10^{-12}}, \qquad \text{ASAM: } \delta = \frac{\rho\, T^2 g_0}{\lVert T g_0 \rVert + 10^{-12}},\; T = \lvert\theta\rvert + \eta $$
 *
 * $$ g = \nabla L(\theta + \delta) $$
 *
 * (SAM: Foret et al., ICLR 2021; ASAM: Kwon et al., ICML 2021; θ is restored
 * before the base step.)
 *
 * Derivation: `δ` maximises the first-order expansion `L(θ) + δᵀg0` over the
 * ball `‖δ‖ <= ρ` (ASAM: the ellipsoid `‖T⁻¹δ‖ <= ρ`).
 * ASAM's `T` is applied to every parameter (as in davda54/sam with `η > 0`).
 * Zero gradient: `g0 = 0` gives `δ = 0` exactly (the `1e-12` keeps the
 * division defined), and the result is `g0 = 0`.
 *
 * @param objective - the loss; evaluated at `θ` and `θ + δ`, `θ` not moved.
 * @param params - {@link SamParams}.
 * @returns `gradient = ∇L(θ + δ)`, `loss = L(θ)`, `probeLoss = L(θ + δ)`,
 *   `gradientNorm = ‖g0‖`, `gradientEvaluations = 2`.
 * @throws RangeError for a negative or non-finite `rho` or `eta`.
 * @see Foret, Kleiner, Mobahi, Neyshabur, "Sharpness-Aware Minimization for
 *   Efficiently Improving Generalization", ICLR 2021; Kwon, Kim, Park, Choi,
 *   "ASAM: Adaptive Sharpness-Aware Minimization…", ICML 2021.
 */
export function samStep<V, S>(objective: Objective<V, S>, params: SamParams): StepProposal<V, S> {
  const rho = requireNonNegative('rho', params.rho);
  const eta = requireNonNegative('eta', params.eta ?? DEFAULT_ASAM_ETA);
  const space = objective.space;
  const s = space.scalar;
  const first = objective.evaluate();
  let gradient: V | undefined = first.gradient;
  let norm: S | undefined;
  try {
    norm = space.norm(first.gradient);
    let delta: V;
    if (params.adaptive) {
      // Each parameter-sized intermediate is freed as soon as the next is made
      // (at most g0 and three more alive at once).
      const theta = objective.parameters();
      const t = space.absPlus(theta, eta);
      space.dispose(theta);
      const tg = space.mul(t, first.gradient);
      const tgNorm = space.norm(tg);
      const t2g = space.mul(t, tg);
      space.dispose(t, tg);
      const denominator = s.add(tgNorm, SAM_EPSILON);
      const factor = s.div(rho, denominator);
      delta = space.scale(t2g, factor);
      space.dispose(t2g, tgNorm, denominator, factor);
    } else {
      const denominator = s.add(norm, SAM_EPSILON);
      const factor = s.div(rho, denominator);
      delta = space.scale(first.gradient, factor);
      space.dispose(denominator, factor);
    }
    // Only ‖g0‖ and δ are needed from here on: free g0 before the probe pass,
    // one parameter-sized buffer less at its peak.
    space.dispose(first.gradient);
    gradient = undefined;
    const probe = probeAt(objective, delta);
    return {
      loss: first.loss,
      gradientNorm: norm,
      gradient: probe.gradient,
      probeLoss: probe.loss,
      gradientEvaluations: 2,
    };
  } catch (error) {
    space.dispose(first.loss, gradient, norm);
    throw error;
  }
}
