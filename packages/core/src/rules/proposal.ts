/**
 * What one rule proposes for one optimizer step. Every vector and scalar in it
 * is owned by the caller, who hands `gradient` to the base optimizer (after
 * moving the parameters by `displacement`, if any) and disposes the rest.
 */
export interface StepProposal<V, S = number> {
  /** The raw training loss `L(θ)` at the parameters the step started from. */
  loss: S;
  /** `‖∇L(θ)‖₂` at the parameters the step started from. */
  gradientNorm: S;
  /** The gradient to hand to the base optimizer. */
  gradient: V;
  /**
   * A move to make before the base step, kept for good (backstitch's ascent
   * step `ε2·∇L(θ)`). Absent for every other rule: they restore `θ`.
   */
  displacement?: V;
  /** The loss at the probe point `θ + δ`, for rules that probe. */
  probeLoss?: S;
  /** Flooding: `1` if this step ascends (`L < b`), else `0`. */
  ascended?: S;
  /** How many gradient evaluations (forward + backward passes) the rule used. */
  gradientEvaluations: number;
}

/**
 * Frees every vector and scalar of a proposal (no-op for host values).
 *
 * @param space - anything that can dispose values (a {@link VectorSpace}).
 * @param space.dispose - frees values; `undefined` entries are ignored.
 * @param p - the proposal to free.
 */
export function disposeProposal<V, S>(
  space: { dispose(...values: (V | S | undefined)[]): void },
  p: StepProposal<V, S>,
): void {
  space.dispose(p.loss, p.gradientNorm, p.gradient, p.displacement, p.probeLoss, p.ascended);
}
