import type { Objective } from '../objective.js';
import { requireNonNegative } from '../validate.js';
import { probingStep } from './probing-step.js';
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
 * SAM's (or ASAM's) probe offset along a direction `d` (the gradient, for SAM):
 *
 * $$ \delta = \frac{\rho\, P d}{\lVert P d \rVert + 10^{-12}}, \qquad \text{ASAM: } \delta = \frac{\rho\, T^2 P d}{\lVert T P d \rVert + 10^{-12}},\; T = \lvert\theta\rvert + \eta $$
 *
 * where `P` multiplies by `mask` (0/1 entries: which parameters the probe
 * moves; the identity without a mask), so the neighbourhood is the ρ-ball of
 * the chosen parameters alone (SAM-ON, kernels-only ASAM). Shared by SAM, GSAM,
 * LookSAM and Friendly SAM.
 *
 * @param objective - the loss (only its space, and `θ` for ASAM, are used).
 * @param direction - `d` (not consumed).
 * @param norm - `‖d‖₂` (not consumed), used when there is no mask and not ASAM.
 * @param params - `rho`, `adaptive`, `eta`, already validated.
 * @param mask - optional 0/1 vector (not consumed).
 * @returns the new offset δ, owned by the caller.
 */
export function samOffset<V, S>(
  objective: Objective<V, S>,
  direction: V,
  norm: S,
  params: { rho: number; adaptive?: boolean; eta: number },
  mask?: V,
): V {
  const space = objective.space;
  const s = space.scalar;
  const d = mask ? space.mul(direction, mask) : direction;
  try {
    if (params.adaptive) {
      // Each parameter-sized intermediate is freed as soon as the next is made.
      const theta = objective.parameters();
      const t = space.absPlus(theta, params.eta);
      space.dispose(theta);
      const td = space.mul(t, d);
      const tdNorm = space.norm(td);
      const t2d = space.mul(t, td);
      space.dispose(t, td);
      const denominator = s.add(tdNorm, SAM_EPSILON);
      const factor = s.div(params.rho, denominator);
      const delta = space.scale(t2d, factor);
      space.dispose(t2d, tdNorm, denominator, factor);
      return delta;
    }
    const dNorm = mask ? space.norm(d) : norm;
    const denominator = s.add(dNorm, SAM_EPSILON);
    const factor = s.div(params.rho, denominator);
    const delta = space.scale(d, factor);
    space.dispose(denominator, factor, mask ? dNorm : undefined);
    return delta;
  } finally {
    if (mask) space.dispose(d);
  }
}

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
 * @param mask - optional 0/1 vector choosing the entries the probe moves (see
 *   {@link samOffset}); default: all.
 * @returns `gradient = ∇L(θ + δ)`, `loss = L(θ)`, `probeLoss = L(θ + δ)`,
 *   `gradientNorm = ‖g0‖`, `gradientEvaluations = 2`.
 * @throws RangeError for a negative or non-finite `rho` or `eta`.
 * @see Foret, Kleiner, Mobahi, Neyshabur, "Sharpness-Aware Minimization for
 *   Efficiently Improving Generalization", ICLR 2021; Kwon, Kim, Park, Choi,
 *   "ASAM: Adaptive Sharpness-Aware Minimization…", ICML 2021.
 */
export function samStep<V, S>(
  objective: Objective<V, S>,
  params: SamParams,
  mask?: V,
): StepProposal<V, S> {
  const rho = requireNonNegative('rho', params.rho);
  const eta = requireNonNegative('eta', params.eta ?? DEFAULT_ASAM_ETA);
  // Only ‖g0‖ and δ are needed after the clean pass: without a `combine`,
  // probingStep frees g0 before the probe pass (one buffer less at its peak).
  return probingStep(objective, {
    offset: (g0, norm) =>
      samOffset(objective, g0, norm, { rho, adaptive: params.adaptive, eta }, mask),
  });
}
