import type { VectorSpace } from './space.js';

/** A loss and its gradient at one point. Both are owned by the caller. */
export interface Evaluation<V, S = number> {
  /** The loss `L(θ + δ)`. */
  loss: S;
  /** The gradient `∇L(θ + δ)`. */
  gradient: V;
}

/**
 * A differentiable loss `L(θ)` over parameters `θ` that live in a
 * {@link VectorSpace}: the one abstraction every rule and metric in flood is
 * written against.
 *
 * Contract:
 * - {@link Objective.evaluate} and {@link Objective.loss} at an offset `δ`
 *   evaluate at `θ + δ` and leave `θ` exactly as it was (bit for bit), even when
 *   the loss throws;
 * - they are synchronous and need no read-back, so a `tf.Optimizer` step can be
 *   built from them;
 * - {@link Objective.moveBy} is the only member that changes `θ` for good.
 */
export interface Objective<V, S = number> {
  /** The arithmetic of the parameter vectors. */
  readonly space: VectorSpace<V, S>;
  /** A copy of the current parameters `θ` (caller owns it). */
  parameters(): V;
  /**
   * The loss and gradient at `θ + offset` (at `θ` without an offset). With
   * `consumeOffset`, the objective takes ownership of `offset` and may free it
   * as soon as it has formed `θ + offset`, before the gradient pass (one
   * parameter-sized vector less at the pass's peak); the caller must not use it
   * afterwards. Objectives that ignore the flag leave `offset` to the caller,
   * who disposes it as usual (disposing twice is harmless in every space).
   */
  evaluate(offset?: V, consumeOffset?: boolean): Evaluation<V, S>;
  /** The loss alone at `θ + offset` (no gradient: cheaper). */
  loss(offset?: V): S;
  /**
   * The raw loss `L(θ)` and the gradient of the flooded loss `|L − b| + b`,
   * `sign(L(θ) − b)·∇L(θ)`, for objectives that can fold the sign into one
   * backward pass (cheaper than scaling the gradient afterwards). When absent,
   * flooding evaluates and scales.
   */
  evaluateFlooded?(level: number): Evaluation<V, S>;
  /** Moves the parameters for good: `θ ← θ + delta`. */
  moveBy(delta: V): void;
  /**
   * An exact Hessian-vector product `∇²L(θ)·v`, for objectives that can offer
   * one (closed form, or second-order-safe autodiff). When absent, curvature
   * code uses central differences of the gradient ({@link hessianVectorProduct}).
   */
  hessianVectorProduct?(v: V): V;
}
