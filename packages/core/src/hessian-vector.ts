import type { Objective } from './objective.js';
import { requireNonNegative, requireOneOf, requirePositive } from './validate.js';

/** Options of {@link hessianVectorProduct}. */
export interface HessianVectorOptions {
  /**
   * `'auto'` (default) uses the objective's exact product when it offers one,
   * else central differences; `'finite-difference'` always uses differences.
   */
  method?: 'auto' | 'finite-difference';
  /**
   * The relative step `h` of the central difference. Default `∛ε_mach`
   * (6.1e-6 for float64, 4.9e-3 for float32), the step that balances the
   * O(h²) truncation error against the O(ε_mach/h) rounding error.
   */
  relativeStep?: number;
  /**
   * `‖θ‖/√n`, the RMS size of the parameters, in parameter units, when the
   * caller already knows it (default: computed from `objective.parameters()`
   * on every call, one pass over θ). Callers that multiply many vectors at the
   * same `θ` (Lanczos, Hutchinson) compute it once; it only sets the step `t`.
   */
  parameterRms?: number;
}

/** The result of {@link hessianVectorProduct}. */
export interface HessianVectorResult<V> {
  /** `∇²L(θ)·v` (owned by the caller). */
  product: V;
  /** Gradient evaluations spent: 2 for central differences, 0 for an exact product. */
  gradientEvaluations: number;
}

/**
 * A Hessian-vector product `∇²L(θ)·v`, exact when the objective offers one,
 * otherwise by a central difference of the gradient along `v`:
 *
 * $$ Hv \approx \frac{\nabla L(\theta + t v) - \nabla L(\theta - t v)}{2t}, \qquad t = \frac{h\,(1 + \lVert\theta\rVert/\sqrt{n})}{\lVert v \rVert} $$
 *
 * with `h = ∛ε_mach` by default, `n` the dimension: the step is `h` in units of
 * the parameters' RMS size, whatever the scale of `v` (pass `parameterRms` to
 * skip recomputing `‖θ‖/√n` on every call).
 *
 * Step-size rule: Taylor expansion of `∇L(θ ± t v)` gives
 * `Hv + (t²/6)·∇⁴L[v, v, v] + O(t⁴)` (the even powers of t, `∇L` and
 * `(t²/2)∇³L[v, v]`, cancel), so the truncation error is O(h²); rounding the two
 * gradients costs `O(ε_mach‖∇L‖/t)`; the sum is smallest for `t ∝ ∛ε_mach`. On a
 * quadratic (or cubic) the truncation error is zero and only rounding remains. Across a kink (ReLU)
 * a difference is biased, so offer an exact product there. `v = 0` gives `0`.
 * `θ` is unchanged. Cost: 2 gradient evaluations (or the objective's exact
 * product). No read-back.
 *
 * @param objective - the loss; its {@link Objective.hessianVectorProduct} is used
 *   when present and `method` is `'auto'`.
 * @param v - the direction (not consumed).
 * @param options - method and relative step.
 * @returns the product and the number of gradient evaluations spent (0 when an
 *   exact product was used; count it as the objective documents).
 * @throws RangeError for an unknown `method` or a `relativeStep` that is not
 *   finite and `> 0`.
 * @see Pearlmutter, "Fast Exact Multiplication by the Hessian", Neural
 *   Computation 1994 (exact products); Nocedal & Wright, Numerical Optimization,
 *   §8.1 (central differences and the ∛ε step).
 */
export function hessianVectorProduct<V, S>(
  objective: Objective<V, S>,
  v: V,
  options: HessianVectorOptions = {},
): HessianVectorResult<V> {
  const method = requireOneOf('method', options.method ?? 'auto', [
    'auto',
    'finite-difference',
  ] as const);
  const space = objective.space;
  const s = space.scalar;
  const h = requirePositive(
    'relativeStep',
    options.relativeStep ?? Math.cbrt(space.machineEpsilon),
  );
  const rms =
    options.parameterRms === undefined
      ? undefined
      : requireNonNegative('parameterRms', options.parameterRms);
  if (method === 'auto' && objective.hessianVectorProduct) {
    return { product: objective.hessianVectorProduct(v), gradientEvaluations: 0 };
  }
  const product = space.scope(() => {
    let hScale: S;
    if (rms === undefined) {
      const theta = objective.parameters();
      const thetaNorm = space.norm(theta);
      hScale = s.mul(h, s.add(1, s.div(thetaNorm, Math.sqrt(space.dimension))));
      space.dispose(theta, thetaNorm);
    } else {
      hScale = s.of(h * (1 + rms));
    }
    const vNorm = space.norm(v);
    // t = h·(1 + rms)/‖v‖, guarded against v = 0 (then Hv = 0).
    const t = s.div(hScale, s.max(vNorm, 1e-30));
    const plus = space.scale(v, t);
    const minus = space.scale(v, s.mul(t, -1));
    const up = objective.evaluate(plus);
    space.dispose(plus, up.loss);
    const down = objective.evaluate(minus);
    space.dispose(minus, down.loss);
    const difference = space.sub(up.gradient, down.gradient);
    space.dispose(up.gradient, down.gradient);
    const inv = s.div(0.5, t);
    const result = space.scale(difference, inv);
    space.dispose(hScale, vNorm, t, difference, inv);
    return space.keep(result);
  });
  return { product, gradientEvaluations: 2 };
}
