/** Every @flood/metrics instrument on one trained model. */
import {
  epsilonSharpness,
  gradientNorm,
  hessianEigenvalues,
  hessianTrace,
  lossLandscape,
  sharpness,
} from '@flood/metrics';
import type * as tfl from '@tensorflow/tfjs-layers';
import { accuracy, type DataTensors, modelObjectiveOf } from './model.js';

/** What the example reports for one model. */
export interface Measurements {
  /** Training loss (on the noisy labels). */
  trainLoss: number;
  /** Training accuracy (noisy labels). */
  trainAccuracy: number;
  /** Test accuracy (clean labels). */
  testAccuracy: number;
  /** ‖∇L‖ on the training set. */
  gradientNorm: number;
  /** The top 3 Hessian eigenvalues by magnitude. */
  eigenvalues: number[];
  /** Whether Lanczos met its tolerance. */
  eigenvaluesConverged: boolean;
  /**
   * The top eigenvalue again, with float32 central-difference products instead of
   * exact ones (to show the ReLU-kink bias), whether that run converged and
   * whether its two-step finite-difference check passed.
   */
  finiteDifference: { eigenvalue: number; converged: boolean; checkPassed: boolean };
  /** Hutchinson's trace estimate. */
  trace: number;
  /** Its standard error. */
  traceStandardError: number;
  /** SAM ρ-sharpness, ρ = 0.05, 5 ascent steps. */
  sharpness: number;
  /** Keskar's ε-sharpness (percent), ε = 1e-3. */
  epsilonSharpness: number;
  /** The 1-D filter-normalised landscape: steps α and `L(θ + α d)`. */
  landscape: { coordinates: number[]; losses: number[] };
  /** Hessian-vector products the metrics formed (exact ones, by double backprop). */
  hessianVectorProducts: number;
  /** Gradient evaluations the metrics spent. */
  gradientEvaluations: number;
}

/** Settings of {@link measure}. */
export interface MeasureOptions {
  /** Seed of the metrics' probes and directions (the same for both models). */
  seed: number;
  /** Hutchinson probes (default 100). */
  traceSamples?: number;
  /** Landscape grid points (default 41). */
  landscapePoints?: number;
}

/** Measures `model` on its training objective (train data) and its test accuracy. */
export async function measure(
  model: tfl.Sequential,
  train: DataTensors,
  test: DataTensors,
  options: MeasureOptions,
): Promise<Measurements> {
  const objective = modelObjectiveOf(model, train);
  const seed = options.seed;
  const g = await gradientNorm(objective);
  const eigen = await hessianEigenvalues(objective, {
    k: 3,
    tolerance: 1e-2,
    seed,
    maxIterations: 60,
  });
  const fd = await hessianEigenvalues(modelObjectiveOf(model, train, false), {
    k: 1,
    tolerance: 1e-2,
    seed,
    maxIterations: 60,
  });
  const trace = await hessianTrace(objective, {
    samples: options.traceSamples ?? 100,
    tolerance: 0.02,
    seed,
  });
  const sam = await sharpness(objective, { rho: 0.05, steps: 5 });
  const keskar = await epsilonSharpness(objective, { epsilon: 1e-3 });
  const landscape = await lossLandscape(objective, {
    points: options.landscapePoints ?? 41,
    range: [-1, 1],
    seed,
  });
  return {
    trainLoss: g.loss,
    trainAccuracy: await accuracy(model, train),
    testAccuracy: await accuracy(model, test),
    gradientNorm: g.norm,
    eigenvalues: eigen.eigenvalues,
    eigenvaluesConverged: eigen.converged,
    finiteDifference: {
      eigenvalue: fd.eigenvalues[0]!,
      converged: fd.converged,
      checkPassed: fd.finiteDifferenceCheck?.passed === true,
    },
    trace: trace.trace,
    traceStandardError: trace.standardError,
    sharpness: sam.sharpness,
    epsilonSharpness: keskar.sharpness,
    landscape: { coordinates: landscape.coordinates, losses: landscape.losses as number[] },
    hessianVectorProducts: eigen.hessianVectorProducts + trace.hessianVectorProducts,
    gradientEvaluations:
      g.gradientEvaluations +
      eigen.gradientEvaluations +
      fd.gradientEvaluations +
      trace.gradientEvaluations +
      sam.gradientEvaluations +
      keskar.gradientEvaluations,
  };
}
