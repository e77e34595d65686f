import {
  type HessianVectorOptions,
  type Objective,
  requireInteger,
  requireOneOf,
  requirePositive,
} from '@flood/core';
import { type CurvatureMethod, productRunner } from './curvature-products.js';
import { orthogonalise, randomUnitVector } from './orthogonal.js';
import { powerEigenvalues } from './power-iteration.js';
import { seededGenerator } from './random.js';
import { readScalar } from './read.js';
import { tridiagonalEigen } from './symmetric-eigen.js';

/** Options of {@link hessianEigenvalues}. */
export interface HessianEigenvaluesOptions {
  /** How many eigenvalues (of largest magnitude). Default 1; at most the dimension. */
  k?: number;
  /**
   * The most Lanczos steps (Hessian-vector products in the Krylov space), capped
   * at the dimension. Default 100.
   */
  maxIterations?: number;
  /**
   * The relative residual that counts as converged: `‖Hx − λx‖ ≤ tolerance·|λ|`
   * for a unit Ritz vector `x`. Default 1e-3. Since the error of a symmetric
   * eigenvalue is bounded by `residual²/gap`, the eigenvalues are usually far
   * more accurate than the tolerance.
   */
  tolerance?: number;
  /**
   * `'lanczos'` (default): Lanczos with full reorthogonalisation, `maxIterations`
   * steps in all. `'power'`: power iteration with deflation (PyHessian's method),
   * `maxIterations` products per eigenvalue; slower, and stalls when two
   * magnitudes are close (honestly reported by `converged`).
   */
  method?: 'lanczos' | 'power';
  /** Seed of the Gaussian start vector (an integer in `[0, 2³²)`). Default 0. */
  seed?: number;
  /**
   * How the Hessian-vector products are formed: core's
   * `hessianVectorProduct` options (exact when the objective offers one,
   * else central differences of the gradient with a relative step `∛ε_mach`,
   * each checked against a second product at twice the step; see
   * `productRunner`).
   */
  hessianVectorProduct?: HessianVectorOptions;
  /**
   * Finite differences only: the largest relative difference
   * `‖Hv(h) − Hv(2h)‖/‖Hv(h)‖` allowed for `finiteDifferenceCheck.passed`.
   * Default 1e-2.
   */
  checkTolerance?: number;
}

/** The result of {@link hessianEigenvalues}. */
export interface HessianEigenvalues extends CurvatureMethod {
  /** The `k` eigenvalues of largest magnitude, by decreasing `|λ|`, signs kept. */
  eigenvalues: number[];
  /** The residual norms `‖Hx − λx‖` of the unit Ritz vectors, measured with explicit products. */
  residuals: number[];
  /** Lanczos steps taken (for `'power'`: products in all). */
  iterations: number;
  /** True iff every residual is `≤ tolerance·|λ|` (checked explicitly, never assumed). */
  converged: boolean;
  /** Hessian-vector products formed: one per Lanczos step plus `k` for the residual check. */
  hessianVectorProducts: number;
  /** Gradient evaluations spent (4 per checked finite-difference product, 0 for exact products). */
  gradientEvaluations: number;
}

/**
 * The `k` eigenvalues of the Hessian `∇²L(θ)` of largest magnitude (largest
 * first, signs kept), by the Lanczos method with full reorthogonalisation.
 *
 * ```text
 * q₁ = z/‖z‖, z ~ N(0, I) (seeded, drawn on the host)
 * w = H qⱼ − βⱼ₋₁ qⱼ₋₁;  αⱼ = ⟨w, qⱼ⟩;  w −= αⱼ qⱼ;  w −= Σᵢ⟨w, qᵢ⟩qᵢ (twice)
 * βⱼ = ‖w‖;  qⱼ₊₁ = w/βⱼ;  Tⱼ = tridiag(β, α, β)
 * ```
 *
 * The Ritz values of `Tⱼ` (host-side float64 Jacobi eigen-solve) approximate the
 * extreme eigenvalues; the Lanczos residual estimate `βⱼ·|yⱼ|` stops the
 * iteration once the top `k` are below the tolerance. Then each Ritz vector
 * `x = Q y` is formed and its residual `‖Hx − λx‖` is measured with one more
 * product: `converged` reports that explicit check. If the Krylov space becomes
 * invariant (breakdown, `βⱼ ≈ 0`), Lanczos restarts with a fresh random vector
 * orthogonal to the basis, at most `k` times, so repeated eigenvalues are found
 * with their multiplicity. With finite-difference products the residual
 * cannot fall below the difference error, so a tiny tolerance gives an honest
 * `converged: false`.
 *
 * With `method: 'power'`, power iteration with deflation and a final
 * Rayleigh–Ritz step is used instead (see `powerEigenvalues`).
 *
 * Cost: `iterations + k` Hessian-vector products (each 2 gradient evaluations by
 * finite differences), memory for `iterations + 1` parameter-sized vectors, and
 * two scalar read-backs per step. Compare PyHessian's power iteration with
 * deflation (`eigenvalues(maxIter=100, tol=1e-3, top_n)`), which finds the same
 * values with many more products.
 */
export async function hessianEigenvalues<V, S>(
  objective: Objective<V, S>,
  options: HessianEigenvaluesOptions = {},
): Promise<HessianEigenvalues> {
  const space = objective.space;
  const n = space.dimension;
  const k = requireInteger('k', options.k ?? 1, 1);
  if (k > n) throw new RangeError(`k must be an integer in [1, ${n}] (the dimension), got ${k}`);
  const iterationLimit = requireInteger(
    'maxIterations',
    options.maxIterations ?? Math.max(100, k),
    1,
  );
  const tolerance = requirePositive('tolerance', options.tolerance ?? 1e-3);
  const random = seededGenerator(options.seed ?? 0);
  const method = requireOneOf('method', options.method ?? 'lanczos', ['lanczos', 'power'] as const);
  if (method === 'lanczos' && iterationLimit < k) {
    throw new RangeError(
      `maxIterations must be an integer >= k (${k}) for Lanczos, got ${iterationLimit}`,
    );
  }
  const runner = await productRunner(
    objective,
    options.hessianVectorProduct,
    options.checkTolerance,
  );
  let products = 0;
  let gradientEvaluations = 0;
  const multiply = (v: V): V => {
    const { product, gradientEvaluations: g } = runner.multiply(v);
    products += 1;
    gradientEvaluations += g;
    return product;
  };
  try {
    const result =
      method === 'power'
        ? await powerEigenvalues(space, multiply, {
            k,
            maxIterations: iterationLimit,
            tolerance,
            random,
          })
        : await lanczos(space, multiply, {
            k,
            maxIterations: Math.min(n, iterationLimit),
            tolerance,
            random,
          });
    return {
      ...result,
      hessianVectorProducts: products,
      gradientEvaluations,
      ...(await runner.finish()),
    };
  } finally {
    runner.dispose();
  }
}

/** Lanczos with full reorthogonalisation and explicit residuals (see {@link hessianEigenvalues}). */
async function lanczos<V, S>(
  space: Objective<V, S>['space'],
  multiply: (v: V) => V,
  o: {
    k: number;
    maxIterations: number;
    tolerance: number;
    random: ReturnType<typeof seededGenerator>;
  },
): Promise<Pick<HessianEigenvalues, 'eigenvalues' | 'residuals' | 'iterations' | 'converged'>> {
  const { k, maxIterations, tolerance, random } = o;
  const s = space.scalar;
  const orthogonaliseAgainst = (w: V, basis: readonly V[]): V => orthogonalise(space, w, basis);
  const freshStart = (basis: readonly V[]) => randomUnitVector(space, random, basis);

  const basis: V[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  try {
    const first = await freshStart(basis);
    if (first === undefined) throw new Error('could not draw a nonzero start vector');
    basis.push(first);
    let eigen = tridiagonalEigen([], []);
    let next: V | undefined;
    let restarts = 0;
    for (let j = 0; j < maxIterations; j++) {
      const q = basis[j]!;
      const previous = j > 0 ? basis[j - 1] : undefined;
      const { w, a } = space.scope(() => {
        // Products are made with `keep` inside core: free them explicitly.
        const hq = multiply(q);
        const a = space.dot(hq, q);
        let w = space.axpby(1, hq, s.mul(a, -1), q);
        space.dispose(hq);
        if (previous !== undefined && beta[j - 1]! !== 0) {
          w = space.axpby(1, w, -beta[j - 1]!, previous);
        }
        return { w: space.keep(orthogonaliseAgainst(w, basis)), a: space.keep(a) };
      });
      alpha.push(await readScalar(space, a));
      const b = await readScalar(space, space.norm(w));
      eigen = tridiagonalEigen(alpha, beta);
      const scale = Math.max(...eigen.values.map(Math.abs), 0);
      const broke = b <= 1e3 * space.machineEpsilon * Math.max(scale, 1e-300);
      const found = alpha.length >= k;
      const estimatesConverged =
        found &&
        eigen.values
          .slice(0, k)
          .every((value, i) => b * Math.abs(eigen.vectors[i]![j]!) <= tolerance * Math.abs(value));
      // A breakdown means the Krylov space is invariant: its Ritz values are exact,
      // but eigenvalues outside it (e.g. another copy of a repeated one) are unseen,
      // so restart, at most k times.
      const stop = broke ? restarts >= k : estimatesConverged;
      if (j + 1 >= maxIterations || stop) {
        space.dispose(w);
        break;
      }
      if (broke) {
        restarts += 1;
        // Invariant subspace before k values: restart orthogonally (β = 0 decouples T).
        space.dispose(w);
        next = await freshStart(basis);
        if (next === undefined) break;
        beta.push(0);
      } else {
        next = space.scale(w, 1 / b);
        space.dispose(w);
        beta.push(b);
      }
      basis.push(next);
    }
    const iterations = alpha.length;
    // Explicit residuals of the top-k Ritz pairs.
    const eigenvalues = eigen.values.slice(0, k);
    const residuals: number[] = [];
    for (let i = 0; i < k; i++) {
      const y = eigen.vectors[i]!;
      const residual = space.scope(() => {
        let x = space.scale(basis[0]!, y[0]!);
        for (let j = 1; j < iterations; j++) x = space.axpby(1, x, y[j]!, basis[j]!);
        const xNorm = space.norm(x);
        const hx = multiply(x);
        const r = space.axpby(1, hx, -eigenvalues[i]!, x);
        space.dispose(hx);
        return space.keep(s.div(space.norm(r), xNorm));
      });
      residuals.push(await readScalar(space, residual));
    }
    const converged = residuals.every((r, i) => r <= tolerance * Math.abs(eigenvalues[i]!));
    return { eigenvalues, residuals, iterations, converged };
  } finally {
    space.dispose(...basis);
  }
}
