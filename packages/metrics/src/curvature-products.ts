import {
  type HessianVectorOptions,
  hessianVectorProduct,
  type Objective,
  requirePositive,
} from '@flood/core';
import { productOptions } from './product-options.js';
import { readScalar } from './read.js';

/** How a finite-difference curvature result was checked. */
export interface FiniteDifferenceCheck {
  /** True iff every product agreed with its twin at twice the step within `tolerance`. */
  passed: boolean;
  /** The largest `‖Hv(h) − Hv(2h)‖ / ‖Hv(h)‖` over the products formed. */
  worstRelativeDifference: number;
  /** The agreement required (the `checkTolerance` option). */
  tolerance: number;
}

/** How a curvature result's Hessian-vector products were computed. */
export interface CurvatureMethod {
  /** `'exact'`: the objective's own product; `'finite-difference'`: central differences of the gradient. */
  method: 'exact' | 'finite-difference';
  /** For finite differences only: the per-product reliability check. */
  finiteDifferenceCheck?: FiniteDifferenceCheck;
}

/** Forms Hessian-vector products for one curvature call and reports how. */
export interface ProductRunner<V> {
  /** How this runner forms the products (see {@link CurvatureMethod.method}). */
  readonly method: 'exact' | 'finite-difference';
  /** `∇²L·v` (caller owns it) and the gradient evaluations it spent. */
  multiply(v: V): {
    /** `∇²L·v`; the caller owns it. */
    product: V;
    /** The gradient evaluations this product cost. */
    gradientEvaluations: number;
  };
  /** Reads the check back (finite differences) and frees the runner's state. */
  finish(): Promise<CurvatureMethod>;
  /** Frees the runner's state without reading (on errors). */
  dispose(): void;
}

/**
 * The products of one curvature call. Exact when the objective offers a
 * product and `method` is `'auto'` (the default); otherwise central
 * differences with a **reliability test per product**: each is formed at the
 * relative step `h` and again at `2h`, and
 *
 * ```text
 * r = ‖Hv(h) − Hv(2h)‖ / ‖Hv(h)‖
 * ```
 *
 * is kept as a running device maximum. For a smooth loss `Hv(h) = Hv + c·h² + …`,
 * so `r ≈ 3|c|h²/‖Hv‖`, three times the product's own truncation error; a
 * difference whose probe crosses a ReLU kink (or whose rounding error dominates)
 * makes the two steps disagree. The check passes when `r ≤ checkTolerance` for
 * every product. Cost: 4 gradient evaluations per product instead of 2, one
 * scalar read-back at the end. The product returned is the one at step `h`.
 */
export async function productRunner<V, S>(
  objective: Objective<V, S>,
  options: HessianVectorOptions = {},
  checkTolerance = 1e-2,
): Promise<ProductRunner<V>> {
  const tolerance = requirePositive('checkTolerance', checkTolerance);
  const hvpOptions = await productOptions(objective, options);
  const exact = (hvpOptions.method ?? 'auto') === 'auto' && !!objective.hessianVectorProduct;
  if (exact) {
    return {
      method: 'exact',
      multiply: (v) => hessianVectorProduct(objective, v, hvpOptions),
      finish: async () => ({ method: 'exact' }),
      dispose: () => {},
    };
  }
  const space = objective.space;
  const s = space.scalar;
  const h = hvpOptions.relativeStep ?? Math.cbrt(space.machineEpsilon);
  const twice = { ...hvpOptions, method: 'finite-difference' as const, relativeStep: 2 * h };
  const once = { ...hvpOptions, method: 'finite-difference' as const, relativeStep: h };
  let worst: S | undefined;
  let products = 0;
  const release = () => {
    if (worst !== undefined) space.dispose(worst);
    worst = undefined;
  };
  return {
    method: 'finite-difference',
    multiply: (v) => {
      const a = hessianVectorProduct(objective, v, once);
      const b = hessianVectorProduct(objective, v, twice);
      const next = space.scope(() => {
        const d = space.sub(a.product, b.product);
        const r = s.div(space.norm(d), s.max(space.norm(a.product), 1e-30));
        return space.keep(worst === undefined ? r : s.max(worst, r));
      });
      space.dispose(b.product);
      release();
      worst = next;
      products += 1;
      return {
        product: a.product,
        gradientEvaluations: a.gradientEvaluations + b.gradientEvaluations,
      };
    },
    finish: async () => {
      const value = worst === undefined ? 0 : await readScalar(space, worst);
      worst = undefined;
      const worstRelativeDifference = products === 0 ? 0 : value;
      return {
        method: 'finite-difference',
        finiteDifferenceCheck: {
          passed: Number.isFinite(worstRelativeDifference) && worstRelativeDifference <= tolerance,
          worstRelativeDifference,
          tolerance,
        },
      };
    },
    dispose: release,
  };
}
