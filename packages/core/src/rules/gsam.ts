import type { Objective } from '../objective.js';
import type { VectorSpace } from '../space.js';
import { requireInRange, requireNonNegative } from '../validate.js';
import { ZERO_NORM } from './probe.js';
import { probingStep } from './probing-step.js';
import type { StepProposal } from './proposal.js';
import { DEFAULT_ASAM_ETA, type SamParams, samOffset } from './sam.js';

/** Hyper-parameters of {@link gsamStep}. */
export interface GsamParams extends SamParams {
  /**
   * α in [0, 1]: how far the step descends along `g⊥`, the part of the clean
   * gradient orthogonal to the SAM gradient (α = 0 is SAM). Zhuang et al. use
   * 0.01–0.3 on ImageNet and 0.4 in the CIFAR example.
   */
  alpha: number;
}

/**
 * `⟨x, y⟩ / ‖y‖²` as a device scalar, or `0` where `‖y‖ < 1e-30`
 * ({@link ZERO_NORM}): the coefficient of the projection of `x` onto `y`. The
 * two divisions by `‖y‖` keep `‖y‖²` from underflowing in float32.
 *
 * @param space - the vector space.
 * @param x - the projected vector (not consumed).
 * @param y - the direction (not consumed).
 * @param yNorm - `‖y‖`, if already known (not consumed).
 * @returns the coefficient `c` with `x − c·y ⟂ y`.
 */
export function projectionCoefficient<V, S>(space: VectorSpace<V, S>, x: V, y: V, yNorm?: S): S {
  const s = space.scalar;
  const norm = yNorm ?? space.norm(y);
  const dot = space.dot(x, y);
  const zero = s.greater(ZERO_NORM, norm);
  const denominator = s.add(norm, zero);
  const keep = s.sub(1, zero);
  const once = s.div(dot, denominator);
  const twice = s.div(once, denominator);
  const c = s.mul(keep, twice);
  space.dispose(yNorm === undefined ? norm : undefined, dot, zero, denominator, keep, once, twice);
  return c;
}

/**
 * GSAM, surrogate-gap guided SAM: SAM's gradient plus a descent along the part
 * of the clean gradient orthogonal to it, which lowers the surrogate gap
 * `L(θ + δ) − L(θ)` without undoing SAM's step. Two gradient evaluations.
 *
 * $$ g = \nabla L(\theta), \quad \delta = \frac{\rho\, g}{\lVert g \rVert + 10^{-12}}, \quad g_p = \nabla L(\theta + \delta) $$
 *
 * $$ g_\perp = g - \frac{\langle g, g_p \rangle}{\lVert g_p \rVert^2}\, g_p, \qquad \text{to the base optimizer: } g_p - \alpha\, g_\perp = (1 + \alpha c)\, g_p - \alpha\, g,\; c = \frac{\langle g, g_p\rangle}{\lVert g_p\rVert^2} $$
 *
 * `adaptive` uses ASAM's offset (`T = |θ| + η`; Zhuang et al.'s code has η = 0:
 * pass `eta: 0` to match it). A `mask` restricts the probe to chosen entries
 * (see {@link samOffset}); `g⊥` is always formed from the whole gradients.
 * Where `‖g_p‖ < 1e-30` the projection is taken as 0 (`g⊥ = g`). Zhuang et al.'s
 * code divides by `‖g_p‖‖g‖ + 1e-12` and `‖g_p‖ + 1e-12` instead, which differs
 * by a relative 1e-12/‖g_p‖. `θ` is unchanged.
 *
 * @param objective - the loss; evaluated at `θ` and `θ + δ`, `θ` not moved.
 * @param params - {@link GsamParams}.
 * @param mask - optional 0/1 vector choosing the entries the probe moves.
 * @returns the GSAM gradient, `loss = L(θ)`, `probeLoss = L(θ + δ)`,
 *   `gradientNorm = ‖g‖`, `gradientEvaluations = 2`.
 * @throws RangeError for a negative or non-finite `rho` or `eta`, or `alpha`
 *   outside [0, 1].
 * @see Zhuang, Gong, Yuan, Cui, Adam, Dvornek, Tatikonda, Duncan, Liu,
 *   "Surrogate Gap Minimization Improves Sharpness-Aware Training", ICLR 2022
 *   (code: juntang-zhuang/GSAM, google-research/big_vision).
 */
export function gsamStep<V, S>(
  objective: Objective<V, S>,
  params: GsamParams,
  mask?: V,
): StepProposal<V, S> {
  const rho = requireNonNegative('rho', params.rho);
  const alpha = requireInRange('alpha', params.alpha, 0, 1);
  const eta = requireNonNegative('eta', params.eta ?? DEFAULT_ASAM_ETA);
  const space = objective.space;
  const s = space.scalar;
  return probingStep(objective, {
    offset: (g, norm) =>
      samOffset(objective, g, norm, { rho, adaptive: params.adaptive, eta }, mask),
    // g_p − α·g⊥ = (1 + αc)·g_p − α·g
    combine: (g, gp) => {
      const c = projectionCoefficient(space, g, gp);
      const ac = s.mul(c, alpha);
      const a = s.add(ac, 1);
      const gradient = space.axpby(a, gp, -alpha, g);
      space.dispose(c, ac, a);
      return gradient;
    },
  });
}
