import type { Objective } from '../objective.js';
import { requireInRange, requireInteger, requireNonNegative } from '../validate.js';
import { projectionCoefficient } from './gsam.js';
import { plainStep } from './plain.js';
import { towards } from './probe.js';
import { probingStep } from './probing-step.js';
import { disposeProposal, type StepProposal } from './proposal.js';
import { samOffset } from './sam.js';

/** Hyper-parameters of {@link lookSamStep}. */
export interface LookSamParams {
  /** ρ >= 0 (finite), SAM's neighbourhood radius. */
  rho: number;
  /** k >= 1 (integer): a full SAM step on every step `t` with `t mod k = 0`. */
  every: number;
  /** α in [0, 1]: the weight of the reused `g_v` on the steps in between. Default 0.7. */
  alpha?: number;
}

/** LookSAM's default α (Liu et al. 2022; kozistr/pytorch_optimizer's default too). */
export const DEFAULT_LOOKSAM_ALPHA = 0.7;

/** What LookSAM carries between steps. */
export type LookSamState<V> = {
  /**
   * `g_v/‖g_v‖` (0 where `‖g_v‖ < 1e-30`), the direction of the part of the
   * last SAM gradient orthogonal to that step's clean gradient. Only the
   * direction is used, so the steps in between need no norm of it.
   */
  gvUnit: V;
};

/** A proposal plus the rule state to keep if the step is committed. */
export type StatefulProposal<V, S, State> = StepProposal<V, S> & {
  /**
   * The state after this step: the same object as the one passed in when the
   * step did not change it, else a new one owned by the caller (who keeps it
   * and frees the old one on commit, or frees it if the step is discarded).
   */
  state: State;
};

/**
 * LookSAM: SAM's gradient once every `k` steps, and in between one gradient
 * evaluation plus the reused direction in which SAM's gradient differed.
 *
 * On a SAM step (`t mod k = 0`, or no stored `g_v`), with `g = ∇L(θ)`:
 *
 * $$ g_s = \nabla L\Big(\theta + \frac{\rho\, g}{\lVert g\rVert + 10^{-12}}\Big), \qquad g_v = g_s - \frac{\langle g, g_s\rangle}{\lVert g\rVert^2}\, g $$
 *
 * and the base optimizer gets `g_s`; `g_v` is stored. On the other steps:
 *
 * $$ g + \alpha\, \frac{\lVert g\rVert}{\lVert g_v\rVert}\, g_v $$
 *
 * (the second term is 0 when `‖g_v‖ < 1e-30`, and `g_v = g_s` when
 * `‖g‖ < 1e-30`). Norms and projections are over the whole parameter vector,
 * as in the paper's Algorithm 1; kozistr/pytorch_optimizer's LookSAM forms them
 * per variable instead. A `mask` restricts SAM's probe (see {@link samOffset}).
 * `θ` is unchanged. The step `t` counts from 0, so the first step is SAM's.
 *
 * @param objective - the loss; evaluated at `θ` (and `θ + δ` on SAM steps).
 * @param params - {@link LookSamParams}.
 * @param step - the step index `t >= 0`.
 * @param state - the state returned by the previous step (undefined at first).
 * @param mask - optional 0/1 vector choosing the entries the probe moves.
 * @returns the gradient, `loss = L(θ)`, `gradientNorm = ‖g‖`, `probeLoss` on
 *   SAM steps, `gradientEvaluations` 2 or 1, and the next `state` (the unit
 *   `g_v/‖g_v‖`, so a step in between costs one gradient, `‖g‖` and one
 *   `g + α‖g‖·u`).
 * @throws RangeError for a negative or non-finite `rho`, `every` not an integer
 *   >= 1, `alpha` outside [0, 1] or a negative `step`.
 * @see Liu, Mai, Chen, Hsieh, You, "Towards Efficient and Scalable
 *   Sharpness-Aware Minimization", CVPR 2022.
 */
export function lookSamStep<V, S>(
  objective: Objective<V, S>,
  params: LookSamParams,
  step: number,
  state: LookSamState<V> | undefined,
  mask?: V,
): StatefulProposal<V, S, LookSamState<V>> {
  const rho = requireNonNegative('rho', params.rho);
  const every = requireInteger('every', params.every, 1);
  const alpha = requireInRange('alpha', params.alpha ?? DEFAULT_LOOKSAM_ALPHA, 0, 1);
  requireInteger('step', step, 0);
  const space = objective.space;
  const s = space.scalar;
  if (state && step % every !== 0) {
    const plain = plainStep(objective);
    try {
      // g + (α‖g‖)·u as one axpby: a single pass where the space fuses it.
      const factor = s.mul(plain.gradientNorm, alpha);
      const gradient = space.axpby(1, plain.gradient, factor, state.gvUnit);
      space.dispose(factor, plain.gradient);
      return { ...plain, gradient, state };
    } catch (error) {
      disposeProposal(space, plain);
      throw error;
    }
  }
  let gvUnit: V | undefined;
  const proposal = probingStep(objective, {
    offset: (g, norm) => samOffset(objective, g, norm, { rho, eta: 0 }, mask),
    // g_v = g_s − (⟨g, g_s⟩/‖g‖²)·g, stored as its direction; g_s goes to the base optimizer.
    combine: (g, gs, norm) => {
      const c = projectionCoefficient(space, gs, g, norm);
      const minusC = s.mul(c, -1);
      const gv = space.axpby(1, gs, minusC, g);
      const gvNorm = space.norm(gv);
      gvUnit = towards(space, gv, gvNorm, 1);
      space.dispose(c, minusC, gv, gvNorm);
      return gs;
    },
  });
  return { ...proposal, state: { gvUnit: gvUnit as V } };
}
