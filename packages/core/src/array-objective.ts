import { arraySpace, type BlockLayout } from './array-space.js';
import type { Evaluation, Objective } from './objective.js';

/**
 * A loss and gradient function over `Float64Array` parameters: returns
 * `{ loss: L(θ), gradient: ∇L(θ) }`, the gradient of the same length as `θ`.
 * It receives a fresh copy of the parameters, so it may modify its argument.
 */
export type ArrayLossFunction = (theta: Float64Array) => Evaluation<Float64Array, number>;

/** Options of {@link arrayObjective}. */
export interface ArrayObjectiveOptions {
  /**
   * An exact Hessian-vector product `(θ, v) ↦ ∇²L(θ)·v`, if known in closed
   * form; {@link hessianVectorProduct} then uses it instead of differences.
   */
  hessianVectorProduct?: (theta: Float64Array, v: Float64Array) => Float64Array;
  /** Named blocks the parameter vector splits into (default: one block `theta`). */
  blocks?: readonly BlockLayout[];
}

/**
 * A plain-JS {@link Objective} over `Float64Array` parameters, for analytic
 * functions, tests and small models: float64 arithmetic, no dependencies.
 *
 * The objective owns a copy of `initial`; `evaluate(δ)` calls `fn(θ + δ)` on a
 * fresh array, so `fn` cannot change `θ`, and `θ` is untouched when `fn`
 * throws. `moveBy(δ)` sets `θ ← θ + δ`; `setParameters(θ)` replaces it.
 *
 * @param fn - returns the loss and its gradient at `theta` (a `Float64Array`
 *   gradient of the same length as `theta`, checked at every call).
 * @param initial - the starting parameters (copied), length `>= 1`.
 * @param options - an exact Hessian-vector product and a block layout, if any.
 * @returns the objective, plus `setParameters`.
 * @throws RangeError if `initial` is not a non-empty `Float64Array` or `fn` is
 *   not a function; later, if `fn` (or the exact product) returns a vector of
 *   the wrong length or a loss that is not a number.
 * @example
 * ```ts
 * import { arrayObjective } from '@flood/core';
 * // L(θ) = ½‖θ‖²
 * const obj = arrayObjective((t) => ({ loss: 0.5 * t.reduce((s, x) => s + x * x, 0), gradient: t.slice() }),
 *   Float64Array.of(1, 2));
 * console.log(obj.evaluate().loss); // 2.5
 * ```
 */
export function arrayObjective(
  fn: ArrayLossFunction,
  initial: Float64Array,
  options: ArrayObjectiveOptions = {},
): Objective<Float64Array, number> & {
  /**
   * Replaces the parameters with a copy of `theta` (same length).
   *
   * @param theta - the new parameters.
   */
  setParameters(theta: Float64Array): void;
} {
  if (typeof fn !== 'function') {
    throw new RangeError(`fn must be a function (theta) => { loss, gradient }, got ${typeof fn}`);
  }
  if (!(initial instanceof Float64Array) || initial.length < 1) {
    throw new RangeError('initial must be a Float64Array of length >= 1');
  }
  const space = arraySpace(initial.length, options.blocks);
  let theta: Float64Array = Float64Array.from(initial);
  const at = (offset?: Float64Array): Float64Array =>
    offset ? space.add(theta, offset) : Float64Array.from(theta);
  const call = (offset?: Float64Array): Evaluation<Float64Array, number> => {
    const result = fn(at(offset));
    if (typeof result?.loss !== 'number') {
      throw new RangeError(`loss must be a number, got ${typeof result?.loss}`);
    }
    if (!(result.gradient instanceof Float64Array) || result.gradient.length !== theta.length) {
      throw new RangeError(`gradient must be a Float64Array of length ${theta.length}`);
    }
    return result;
  };
  const hvp = options.hessianVectorProduct;
  const exact = hvp
    ? {
        hessianVectorProduct: (v: Float64Array): Float64Array => {
          if (!(v instanceof Float64Array) || v.length !== theta.length) {
            throw new RangeError(`v must be a Float64Array of length ${theta.length}`);
          }
          const product = hvp(at(), Float64Array.from(v));
          if (!(product instanceof Float64Array) || product.length !== theta.length) {
            throw new RangeError(
              `hessianVectorProduct must return a Float64Array of length ${theta.length}`,
            );
          }
          return Float64Array.from(product);
        },
      }
    : {};
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
      if (!(next instanceof Float64Array) || next.length !== theta.length) {
        throw new RangeError(`theta must be a Float64Array of length ${theta.length}`);
      }
      theta = Float64Array.from(next);
    },
    ...exact,
  };
}
