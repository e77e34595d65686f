import {
  type HessianVectorOptions,
  type Objective,
  requireInteger,
  requireNonNegative,
} from '@flood/core';
import { type CurvatureMethod, productRunner } from './curvature-products.js';
import { randomVector, seededGenerator } from './random.js';
import { readScalar } from './read.js';

/** Options of {@link hessianTrace}. */
export interface HessianTraceOptions {
  /** The most Rademacher probes. Default 100. */
  samples?: number;
  /**
   * Stop early once `standardError ≤ tolerance·|trace|` (after at least
   * `minSamples` probes). Default 1e-2; 0 always draws `samples` probes.
   */
  tolerance?: number;
  /**
   * Probes drawn before the early stop is considered, so that the sample standard
   * deviation is itself trustworthy. Default 10 (capped at `samples`); at least 2.
   */
  minSamples?: number;
  /** Seed of the probes (an integer in `[0, 2³²)`). Default 0. */
  seed?: number;
  /**
   * How the Hessian-vector products are formed (core's `hessianVectorProduct`
   * options): exact when the objective offers one, else central differences,
   * each checked against a second product at twice the step.
   */
  hessianVectorProduct?: HessianVectorOptions;
  /**
   * Finite differences only: the largest relative difference
   * `‖Hv(h) − Hv(2h)‖/‖Hv(h)‖` allowed for `finiteDifferenceCheck.passed`.
   * Default 1e-2.
   */
  checkTolerance?: number;
}

/** The result of {@link hessianTrace}. */
export interface HessianTrace extends CurvatureMethod {
  /** The Hutchinson estimate of `tr ∇²L(θ)`: the mean of `zᵀHz`. */
  trace: number;
  /**
   * The standard error of that mean, `s/√n` with `s` the sample standard deviation
   * of the `n` probes' `zᵀHz` (0 when `n = 1`: unknown, not small).
   */
  standardError: number;
  /** Probes used. */
  samples: number;
  /** Hessian-vector products formed (one per probe). */
  hessianVectorProducts: number;
  /** Gradient evaluations spent (4 per checked finite-difference product, 0 for exact products). */
  gradientEvaluations: number;
}

/**
 * Hutchinson's stochastic trace estimator with Rademacher probes:
 *
 * ```text
 * tr H ≈ (1/n) Σᵢ zᵢᵀ H zᵢ,   zᵢ ∈ {−1, +1}ᵈ uniform (seeded, drawn on the host)
 * standard error = sqrt( Σᵢ (zᵢᵀHzᵢ − mean)² / (n − 1) ) / √n
 * ```
 *
 * Unbiased; with Rademacher probes the variance of one probe is
 * `2 Σ_{i≠j} H²ᵢⱼ` (the diagonal contributes nothing). The loop stops after
 * `samples` probes, or earlier once `minSamples` are drawn and the standard error
 * is at most `tolerance·|trace|`. Unlike PyHessian's `trace(maxIter=100, tol=1e-3)`,
 * which stops when the running mean moves little, the stop rule and the reported
 * error are both the standard error.
 *
 * Cost: one Hessian-vector product per probe (2 gradient evaluations each by
 * finite differences) and one scalar read-back per probe (plus one for `‖θ‖`,
 * which sets the finite-difference step once for all probes).
 */
export async function hessianTrace<V, S>(
  objective: Objective<V, S>,
  options: HessianTraceOptions = {},
): Promise<HessianTrace> {
  const space = objective.space;
  const maxSamples = requireInteger('samples', options.samples ?? 100, 1);
  const tolerance = requireNonNegative('tolerance', options.tolerance ?? 1e-2);
  const minSamples = Math.min(
    maxSamples,
    requireInteger('minSamples', options.minSamples ?? 10, 2),
  );
  const random = seededGenerator(options.seed ?? 0);
  const runner = await productRunner(
    objective,
    options.hessianVectorProduct,
    options.checkTolerance,
  );
  const values: number[] = [];
  let gradientEvaluations = 0;
  let mean = 0;
  let standardError = 0;
  try {
    while (values.length < maxSamples) {
      const quadratic = space.scope(() => {
        const z = randomVector(space, random, 'rademacher');
        const { product, gradientEvaluations: g } = runner.multiply(z);
        gradientEvaluations += g;
        const value = space.dot(z, product);
        space.dispose(product); // made with `keep` inside core: not freed by this scope
        return space.keep(value);
      });
      values.push(await readScalar(space, quadratic));
      const n = values.length;
      mean = values.reduce((a, b) => a + b, 0) / n;
      const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
      standardError = Math.sqrt(variance / n);
      if (n >= minSamples && tolerance > 0 && standardError <= tolerance * Math.abs(mean)) break;
    }
    return {
      trace: mean,
      standardError,
      samples: values.length,
      hessianVectorProducts: values.length,
      gradientEvaluations,
      ...(await runner.finish()),
    };
  } finally {
    runner.dispose();
  }
}
