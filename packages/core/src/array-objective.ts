import { arraySpace } from './array-space.js';
import type { Objective } from './objective.js';

/** A loss and gradient function over `Float64Array` parameters. */
export type ArrayLossFunction = (theta: Float64Array) => { loss: number; gradient: Float64Array };

/** Options of {@link arrayObjective}. */
export interface ArrayObjectiveOptions {
  /** An exact Hessian-vector product `∇²L(θ)·v`, if known in closed form. */
  hessianVectorProduct?: (theta: Float64Array, v: Float64Array) => Float64Array;
  /** Named blocks the parameter vector splits into (default: one block `theta`). */
  blocks?: readonly { name: string; shape: readonly number[] }[];
}

/**
 * A plain-JS {@link Objective} over `Float64Array` parameters, for analytic
 * functions, tests and small models: float64 arithmetic, no dependencies.
 *
 * The objective owns a copy of `initial`; `evaluate(δ)` calls `fn(θ + δ)` on a
 * fresh array, so `fn` may not change `θ`. `moveBy(δ)` sets `θ ← θ + δ`.
 *
 * @param fn - returns the loss and its gradient at `theta` (a gradient of the
 *   same length as `theta`).
 * @param initial - the starting parameters (copied).
 * @param options - an exact Hessian-vector product and a block layout, if any.
 * @example
 * ```ts
 * // L(θ) = ½‖θ‖²
 * const obj = arrayObjective((t) => ({ loss: 0.5 * t.reduce((s, x) => s + x * x, 0), gradient: t.slice() }),
 *   Float64Array.of(1, 2));
 * obj.evaluate().loss; // 2.5
 * ```
 */
export function arrayObjective(
  fn: ArrayLossFunction,
  initial: Float64Array,
  options: ArrayObjectiveOptions = {},
): Objective<Float64Array, number> & {
  /** Replaces the parameters (copied). */
  setParameters(theta: Float64Array): void;
} {
  const space = arraySpace(initial.length, options.blocks);
  let theta: Float64Array = Float64Array.from(initial);
  const at = (offset?: Float64Array): Float64Array =>
    offset ? space.add(theta, offset) : Float64Array.from(theta);
  const call = (offset?: Float64Array) => {
    const result = fn(at(offset));
    if (!(result.gradient instanceof Float64Array) || result.gradient.length !== theta.length) {
      throw new RangeError(`gradient must be a Float64Array of length ${theta.length}`);
    }
    return result;
  };
  const hvp = options.hessianVectorProduct;
  return {
    space,
    parameters: () => Float64Array.from(theta),
    evaluate: (offset) => {
      const { loss, gradient } = call(offset);
      return { loss, gradient: Float64Array.from(gradient) };
    },
    loss: (offset) => call(offset).loss,
    moveBy: (delta) => {
      theta = space.add(theta, delta);
    },
    setParameters: (next) => {
      if (next.length !== theta.length) {
        throw new RangeError(`theta must have length ${theta.length}, got ${next.length}`);
      }
      theta = Float64Array.from(next);
    },
    ...(hvp ? { hessianVectorProduct: (v: Float64Array) => hvp(at(), v) } : {}),
  };
}
