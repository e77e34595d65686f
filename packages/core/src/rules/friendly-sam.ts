import type { Objective } from '../objective.js';
import { requireInRange, requireNonNegative } from '../validate.js';
import type { StatefulProposal } from './look-sam.js';
import { probingStep } from './probing-step.js';
import { samOffset } from './sam.js';

/** Hyper-parameters of {@link friendlySamStep}. */
export interface FriendlySamParams {
  /** ρ >= 0 (finite), the neighbourhood radius (Li et al.'s CIFAR script: 0.2). */
  rho: number;
  /** σ >= 0 (finite): how much of the gradient average to remove. Default 1. */
  sigma?: number;
  /** λ in [0, 1): the decay of the gradient average `m`. Default 0.9. */
  momentum?: number;
}

/** Friendly SAM's default σ (nblt/F-SAM). */
export const DEFAULT_FSAM_SIGMA = 1;
/** Friendly SAM's default λ (nblt/F-SAM's class default; its CIFAR-100 script uses 0.6). */
export const DEFAULT_FSAM_MOMENTUM = 0.9;

/** What Friendly SAM carries between steps. */
export type FriendlySamState<V, S = never> = {
  /** `m`, the exponential moving average of the clean gradients. */
  m: V;
  /**
   * Optional scalar `s`: 1 once a step has set `m`, 0 while `m` is the zeros an
   * adapter created before a first step it may refuse on the device (see the
   * function's doc). Absent: `m` is set.
   */
  started?: S;
};

/**
 * Friendly SAM (F-SAM): SAM whose probe follows the batch's gradient noise
 * `g − σ·m` instead of `g`, where `m`, an exponential moving average of past
 * gradients, estimates the full-data gradient. Two gradient evaluations.
 *
 * In the order of the authors' code (nblt/F-SAM `utils.py`), with `g = ∇L(θ)`:
 *
 * $$ d = g - \sigma\, m_{t-1}, \qquad m_t = \lambda\, m_{t-1} + (1 - \lambda)\, g $$
 *
 * $$ \delta = \frac{\rho\, d}{\lVert d \rVert + 10^{-12}}, \qquad \text{to the base optimizer: } \nabla L(\theta + \delta) $$
 *
 * On the first step (no `m` yet) `d = g` (a SAM step) and `m_1 = g`. An
 * adapter that cannot tell on the host whether the first step was committed
 * (the tfjs optimizers refuse non-finite steps on the device) passes `m = 0`
 * with `started = s ∈ {0, 1}`, and the step is then, without a branch,
 * `d = g − σ·m`, `m_t = λs·m + (1 − λs)·g` (at `s = 0`, `m = 0`: `d = g`,
 * `m_1 = g`, the first step). The paper
 * writes `d = g − σ·m_t` with the updated average; the code, followed here,
 * subtracts the previous one. A `mask` restricts the probe (see
 * {@link samOffset}). `θ` is unchanged.
 *
 * @param objective - the loss; evaluated at `θ` and `θ + δ`, `θ` not moved.
 * @param params - {@link FriendlySamParams}.
 * @param state - the state returned by the previous step (undefined at first).
 * @param mask - optional 0/1 vector choosing the entries the probe moves.
 * @returns `gradient = ∇L(θ + δ)`, `loss = L(θ)`, `probeLoss = L(θ + δ)`,
 *   `gradientNorm = ‖g‖`, `gradientEvaluations = 2` and the new state `{ m }`.
 * @throws RangeError for a negative or non-finite `rho` or `sigma`, or a
 *   `momentum` outside [0, 1).
 * @see Li, Zhou, He, Cheng, Huang, "Friendly Sharpness-Aware Minimization",
 *   CVPR 2024.
 */
export function friendlySamStep<V, S>(
  objective: Objective<V, S>,
  params: FriendlySamParams,
  state: FriendlySamState<V, S> | undefined,
  mask?: V,
): StatefulProposal<V, S, Pick<FriendlySamState<V>, 'm'>> {
  const rho = requireNonNegative('rho', params.rho);
  const sigma = requireNonNegative('sigma', params.sigma ?? DEFAULT_FSAM_SIGMA);
  const lambda = requireInRange('momentum', params.momentum ?? DEFAULT_FSAM_MOMENTUM, 0, 1, {
    upperOpen: true,
  });
  const space = objective.space;
  let m: V | undefined;
  const proposal = probingStep(objective, {
    offset: (g, norm) => {
      if (!state) {
        m = space.clone(g); // m₁ = g (g itself is freed before the probe pass)
        return samOffset(objective, g, norm, { rho, eta: 0 }, mask);
      }
      const d = space.axpby(1, g, -sigma, state.m);
      const dNorm = space.norm(d);
      const delta = samOffset(objective, d, dNorm, { rho, eta: 0 }, mask);
      space.dispose(d, dNorm);
      m =
        state.started !== undefined
          ? emaFrom(objective, state.m, g, lambda, state.started)
          : space.axpby(lambda, state.m, 1 - lambda, g);
      return delta;
    },
    abandon: () => space.dispose(m),
  });
  return { ...proposal, state: { m: m as V } };
}

/**
 * `λs·m + (1 − λs)·g` for the scalar `started = s`, with the coefficients
 * formed as `λ·s` and `(1 − λ)·s + (1 − s)`, so that at `s = 1` they are the
 * numbers `λ` and `1 − λ` bit for bit (the same step as without `started`).
 */
function emaFrom<V, S>(objective: Objective<V, S>, m: V, g: V, lambda: number, s: S): V {
  const space = objective.space;
  const sc = space.scalar;
  const a = sc.mul(s, lambda);
  const b = sc.add(sc.mul(s, 1 - lambda), sc.sub(1, s));
  const out = space.axpby(a, m, b, g);
  space.dispose(a, b);
  return out;
}
