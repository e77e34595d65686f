import type { Evaluation, Objective } from '../objective.js';
import { probeAt } from './probe.js';
import type { StepProposal } from './proposal.js';

/**
 * What a two-evaluation probing rule (SAM, ASAM, GSAM, LookSAM's SAM steps,
 * Friendly SAM, the gradient penalty) decides for itself: where to probe and
 * what to hand the base optimizer. {@link probingStep} does the rest.
 */
export interface ProbingRule<V, S> {
  /**
   * The probe offset `δ` from `g0 = ∇L(θ)` and `‖g0‖` (neither consumed; `δ` is
   * consumed by the probe pass).
   */
  offset(g0: V, g0Norm: S): V;
  /**
   * The gradient for the base optimizer from `g0` and `g1 = ∇L(θ + δ)` (neither
   * consumed; it may return `g1` itself). Absent: `g1` is handed on as it is,
   * and `g0` is freed before the probe pass (one parameter-sized buffer less at
   * that pass's peak).
   */
  combine?(g0: V, g1: V, g0Norm: S): V;
  /**
   * Frees what `offset` or `combine` made for later (a new rule state, a scalar
   * for `combine`) when the step fails; called once, on any error after the
   * clean pass. `undefined` entries are ignored by `dispose`, so it may run
   * before they exist.
   */
  abandon?(): void;
}

/**
 * One step of a probing rule: the clean pass `L(θ), g0 = ∇L(θ)`, `‖g0‖`,
 * `δ = rule.offset(g0, ‖g0‖)`, the probe pass `L(θ + δ), g1 = ∇L(θ + δ)`
 * (θ unchanged), and `rule.combine(g0, g1, ‖g0‖)` (or `g1`) for the base
 * optimizer. Two gradient evaluations.
 *
 * Ownership: `g0`, `g1` and every intermediate are freed here; what the
 * proposal holds is the caller's. On an error anything this function made is
 * freed exactly once (the loss, `‖g0‖`, `g0` unless already freed, the probe's
 * loss and gradient), `rule.abandon` frees the rule's own, and the error is
 * rethrown.
 *
 * @param objective - the loss; evaluated at `θ` and `θ + δ`, `θ` not moved.
 * @param rule - the rule's offset and combination ({@link ProbingRule}).
 * @returns `gradient`, `loss = L(θ)`, `probeLoss = L(θ + δ)`,
 *   `gradientNorm = ‖g0‖`, `gradientEvaluations = 2`.
 */
export function probingStep<V, S>(
  objective: Objective<V, S>,
  rule: ProbingRule<V, S>,
): StepProposal<V, S> {
  const space = objective.space;
  const first = objective.evaluate();
  let g0: V | undefined = first.gradient;
  let norm: S | undefined;
  let probe: Evaluation<V, S> | undefined;
  try {
    norm = space.norm(first.gradient);
    const delta = rule.offset(first.gradient, norm);
    if (!rule.combine) {
      space.dispose(first.gradient);
      g0 = undefined;
    }
    probe = probeAt(objective, delta);
    const g1 = probe.gradient;
    const gradient = rule.combine ? rule.combine(first.gradient, g1, norm) : g1;
    space.dispose(g0, gradient === g1 ? undefined : g1); // g0 if kept, g1 unless handed on
    return {
      loss: first.loss,
      gradientNorm: norm,
      gradient,
      probeLoss: probe.loss,
      gradientEvaluations: 2,
    };
  } catch (error) {
    space.dispose(first.loss, g0, norm, probe?.loss, probe?.gradient);
    rule.abandon?.();
    throw error;
  }
}
