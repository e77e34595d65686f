/** The cost of curvature probes, in units of one gradient evaluation. */
import { hessianVectorProduct } from '@flood/core';
import { variablesObjective } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
// @flood/metrics is not a dependency of @flood/tfjs (it depends on @flood/tfjs for its
// own tests, and turbo refuses the cycle), so its build output is imported by path;
// the bench script builds it first.
import { hessianEigenvalues, hessianTrace } from '../../metrics/dist/index.js';
import type { Mlp } from './mlp.js';
import type { TimedTask } from './timing.js';

/** Lanczos steps / Hutchinson probes of the short and the long run. */
export const SHORT = 2;
export const LONG = 4;

/**
 * Timed tasks over `model`'s loss as a `variablesObjective`:
 * `gradient` (one `evaluate()` at `θ`), `gradient at new θ` (one `evaluate(δ)`:
 * the parameters `θ + δ` are a new tensor on every call, as in training and at
 * an HVP's two points; the HVP's unit, see `CurvatureResult.hvp`), `HVP` (core's
 * `hessianVectorProduct` by central differences, with `parameterRms` computed
 * once, as `@flood/metrics` does for its loops), and `hessianEigenvalues` /
 * `hessianTrace` from `@flood/metrics` with {@link SHORT} and {@link LONG}
 * iterations/probes; the cost of one power-iteration (Lanczos) step or one
 * Hutchinson probe is the difference of the two, divided by `LONG − SHORT`
 * (fixed costs cancel). `exact HVP` is the objective's own exact product
 * (double backprop with `withSecondOrderGradients`), on the same network with
 * the max-shifted cross-entropy `mean(logSumExp(z) − Σ y·z)` (the bench's
 * `tf.losses.softmaxCrossEntropy` is a `customGrad` op, which exact products
 * refuse; the finite-difference rows keep it, `exactHessian: false`).
 * `probes = false` keeps only the gradients and the two products (the cpu
 * backend's time budget).
 */
export function curvatureTasks(
  model: Mlp,
  probes = true,
): { tasks: TimedTask[]; dispose: () => void } {
  const objective = variablesObjective(() => model.loss(), model.variables, {
    exactHessian: false,
  });
  const exact = variablesObjective(
    () =>
      tf.tidy(() => {
        const z = model.logits();
        return tf.mean(tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(model.y, z), 1))) as tf.Scalar;
      }),
    model.variables,
  );
  const direction = tf.tidy(() =>
    model.variables.map((v) => tf.randomNormal(v.shape, 0, 1, 'float32', 7)),
  );
  const offset = tf.tidy(() => direction.map((d) => tf.mul(d, 1e-3)));
  const { space } = objective;
  const parameterRms = tf.tidy(
    () => space.norm(model.variables).dataSync()[0]! / Math.sqrt(space.dimension),
  );
  const tasks: TimedTask[] = [
    {
      name: 'gradient',
      fn: () => {
        const { loss, gradient } = objective.evaluate();
        tf.dispose([loss, ...gradient]);
      },
    },
    {
      name: 'gradient at new θ',
      fn: () => {
        const { loss, gradient } = objective.evaluate(offset);
        tf.dispose([loss, ...gradient]);
      },
    },
    {
      name: 'HVP',
      fn: () => tf.dispose(hessianVectorProduct(objective, direction, { parameterRms }).product),
    },
    { name: 'exact HVP', fn: () => tf.dispose(exact.hessianVectorProduct!(direction)) },
    ...(probes ? [SHORT, LONG] : []).map((m) => ({
      name: `hessianEigenvalues ×${m}`,
      fn: () => hessianEigenvalues(objective, { k: 1, maxIterations: m, tolerance: 1e-12 }),
    })),
    ...(probes ? [SHORT, LONG] : []).map((s) => ({
      name: `hessianTrace ×${s}`,
      fn: () => hessianTrace(objective, { samples: s, minSamples: 2, tolerance: 0 }),
    })),
  ];
  return { tasks, dispose: () => tf.dispose([...direction, ...offset]) };
}
