/**
 * Curvature of the training loss at a model's weights: the top Hessian
 * eigenvalue (Lanczos) and the Hessian trace (Hutchinson), from
 * `@flood/metrics` on `@flood/tfjs`'s `variablesObjective` with exact
 * Hessian-vector products (double backprop; the finite-difference products
 * are wrong at ReLU kinks).
 */
import { hessianEigenvalues, hessianTrace } from '@flood/metrics';
import { safeLosses, variablesObjective } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { crossEntropy } from './evaluate.js';
import { trainableVariables } from './model.js';
import type { DeviceData } from './tensors.js';

/** What {@link measureCurvature} found. */
export interface Curvature {
  /** Largest Hessian eigenvalue of the mean cross-entropy on the curvature subset. */
  readonly topEigenvalue: number;
  /** Whether Lanczos met its tolerance (residual ≤ 1e-3·|λ|). */
  readonly converged: boolean;
  /** Hutchinson estimate of the Hessian trace. */
  readonly trace: number;
  /** Its standard error. */
  readonly traceStandardError: number;
  /** The loss at those weights on the same subset (noisy labels), nats. */
  readonly loss: number;
  /**
   * How the Hessian-vector products were formed: the metrics' `method` field
   * when they report one, else `exact` when no gradient evaluations were spent
   * on them and `finite differences` otherwise.
   */
  readonly method: string;
}

/** Sizes of the curvature measurement. */
export interface CurvatureOptions {
  /** Lanczos steps. */
  readonly iterations: number;
  /** Rademacher probes of the trace. */
  readonly samples: number;
  /** Seed of the Lanczos start vector and the probes. */
  readonly seed: number;
}

function productMethod(r: { gradientEvaluations: number; method?: unknown }): string {
  if (typeof r.method === 'string') return r.method;
  return r.gradientEvaluations === 0 ? 'exact' : 'finite differences';
}

/** Top eigenvalue and trace of the Hessian of the mean cross-entropy of `model` on `data`. */
export async function measureCurvature(
  model: tfl.LayersModel,
  data: DeviceData,
  o: CurvatureOptions,
): Promise<Curvature> {
  const objective = variablesObjective(
    // The same cross-entropy from second-order-safe ops (tf.max/exp have none).
    () => safeLosses.softmaxCrossEntropy(data.y, model.apply(data.x) as tf.Tensor),
    trainableVariables(model),
    { exactHessian: true },
  );
  const eig = await hessianEigenvalues(objective, {
    k: 1,
    maxIterations: o.iterations,
    seed: o.seed,
  });
  const tr = await hessianTrace(objective, { samples: o.samples, tolerance: 0, seed: o.seed });
  const lossTensor = tf.tidy(() => crossEntropy(data.y, model.apply(data.x) as tf.Tensor));
  const loss = (await lossTensor.data())[0]!;
  lossTensor.dispose();
  const methods = new Set([productMethod(eig), productMethod(tr)]);
  return {
    topEigenvalue: eig.eigenvalues[0]!,
    converged: eig.converged,
    trace: tr.trace,
    traceStandardError: tr.standardError,
    loss,
    method: [...methods].join(' / '),
  };
}
