import { type Objective, requireInteger } from '@flood/core';
import { readScalar } from './read.js';

/** Gradients of one batch size: objectives whose loss is a MEAN over `batchSize` examples. */
export interface BatchGradients<V, S> {
  /** The batch size `B` behind every objective (an integer ≥ 1). */
  batchSize: number;
  /** One objective per batch (independent batches); their `|G_B|²` are averaged. */
  objectives: readonly Objective<V, S>[];
}

/** The result of {@link gradientNoiseScale}. */
export interface GradientNoiseScale {
  /** McCandlish et al.'s simple noise scale `B_simple = tr(Σ)/|G|²` (in examples). */
  simple: number;
  /** The unbiased estimate of the true gradient's squared norm `|G|²`. */
  gradientNormSquared: number;
  /** The unbiased estimate of `tr(Σ)`, the per-example gradient covariance trace. */
  traceCovariance: number;
  /** The mean `|G_small|²` over the small batches. */
  smallNormSquared: number;
  /** The mean `|G_big|²` over the big batches. */
  bigNormSquared: number;
  /** Gradient evaluations spent (one per objective). */
  gradientEvaluations: number;
}

async function meanSquaredNorm<V, S>(batches: BatchGradients<V, S>, name: string): Promise<number> {
  requireInteger(`${name}.batchSize`, batches.batchSize, 1);
  if (batches.objectives.length === 0) {
    throw new RangeError(`${name}.objectives must hold at least 1 objective, got 0`);
  }
  let sum = 0;
  for (const objective of batches.objectives) {
    const space = objective.space;
    const { loss, gradient } = objective.evaluate();
    space.dispose(loss);
    const norm = await readScalar(space, space.norm(gradient));
    space.dispose(gradient);
    sum += norm * norm;
  }
  return sum / batches.objectives.length;
}

/**
 * The gradient noise scale of McCandlish et al., "An Empirical Model of
 * Large-Batch Training" (2018), from gradients at two batch sizes. Since
 * `E|G_B|² = |G|² + tr(Σ)/B` for a mean over `B` independent examples,
 *
 * ```text
 * |G|²  ≈ (B_big·|G_big|² − B_small·|G_small|²) / (B_big − B_small)
 * tr Σ  ≈ (|G_small|² − |G_big|²) / (1/B_small − 1/B_big)
 * B_simple = tr Σ / |G|²
 * ```
 *
 * with `|G_B|²` averaged over the given batches. Both estimates are unbiased but
 * noisy; the ratio is not, so average many batches (gpt-neox keeps EMAs of the
 * two estimates and divides afterwards, as here). `B_simple` can come out
 * negative or infinite when `|G|²` is small against the noise: it is returned as
 * computed.
 *
 * Cost: one gradient evaluation per objective; one read-back each.
 *
 * @throws RangeError unless `big.batchSize > small.batchSize` and both have objectives.
 */
export async function gradientNoiseScale<V, S>(
  small: BatchGradients<V, S>,
  big: BatchGradients<V, S>,
): Promise<GradientNoiseScale> {
  const smallNormSquared = await meanSquaredNorm(small, 'small');
  const bigNormSquared = await meanSquaredNorm(big, 'big');
  const bs = small.batchSize;
  const bb = big.batchSize;
  if (!(bb > bs)) {
    throw new RangeError(`big.batchSize must be > small.batchSize (${bs}), got ${bb}`);
  }
  const gradientNormSquared = (bb * bigNormSquared - bs * smallNormSquared) / (bb - bs);
  const traceCovariance = (smallNormSquared - bigNormSquared) / (1 / bs - 1 / bb);
  return {
    simple: traceCovariance / gradientNormSquared,
    gradientNormSquared,
    traceCovariance,
    smallNormSquared,
    bigNormSquared,
    gradientEvaluations: small.objectives.length + big.objectives.length,
  };
}
