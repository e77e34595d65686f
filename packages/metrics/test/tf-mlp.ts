/**
 * The plain-JS test MLP (test/mlp.ts) rebuilt in TensorFlow.js with the same
 * weights and data, as a `variablesObjective` of `@flood/tfjs` (float32): either
 * with raw ops or as a tfjs-layers `Sequential` of Dense layers (same layout).
 *
 * The loss is the mean softmax cross-entropy. With 2 classes it is written as
 * `softplus(z_other − z_label)`, which uses only ops whose second-order
 * gradients tfjs gets right (`SECOND_ORDER_SAFE_OPS` of `@flood/tfjs`: matMul
 * and the fused matMul of Dense, add, relu, softplus, mul, sum, mean), so
 * `variablesObjective(…, { exactHessian: true })` offers the exact
 * Hessian-vector product by double backprop; with more classes it uses
 * `logSumExp`, whose double backprop tfjs cannot do (first order only:
 * finite-difference products).
 */
import type { Objective } from '@flood/core';
import { variablesObjective } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { type MlpProblem, mlpBlocks } from './mlp.js';

function blockValues(problem: MlpProblem, theta: Float64Array): tf.Tensor[] {
  let offset = 0;
  return mlpBlocks(problem).map((b) => {
    const size = b.shape.reduce((a, c) => a * c, 1);
    const values = Float32Array.from(theta.subarray(offset, offset + size));
    offset += size;
    return tf.tensor(values, b.shape, 'float32');
  });
}

/** Options of {@link tfMlpObjective}. */
export interface TfMlpOptions {
  /** Build the network from tfjs-layers Dense layers instead of raw ops. */
  layers?: boolean;
  /** Offer the exact (guarded) double-backprop product (2 classes only). */
  exact?: boolean;
}

/** The tfjs objective of the test MLP at `theta`, and a function that frees it. */
export function tfMlpObjective(
  problem: MlpProblem,
  theta: Float64Array,
  options: TfMlpOptions = {},
): { objective: Objective<tf.Tensor[], tf.Scalar>; dispose: () => void } {
  const x = tf.tensor2d(problem.x);
  const labels = tf.oneHot(tf.tensor1d(problem.y, 'int32'), problem.classes);
  const values = blockValues(problem, theta);
  let variables: tf.Variable[];
  let logits: () => tf.Tensor;
  let model: tfl.Sequential | undefined;
  if (options.layers) {
    model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          inputShape: [problem.inputs],
          units: problem.hidden,
          activation: 'relu',
        }),
        tfl.layers.dense({ units: problem.classes }),
      ],
    });
    model.setWeights(values);
    variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const m = model;
    logits = () => m.apply(x) as tf.Tensor;
  } else {
    variables = values.map((t) => tf.variable(t));
    const [w1, b1, w2, b2] = variables as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    logits = () => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
  }
  tf.dispose(values);
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      const z = logits();
      const picked = tf.sum(tf.mul(labels, z), 1);
      if (problem.classes === 2) {
        const other = tf.sum(tf.mul(tf.sub(1, labels), z), 1);
        return tf.mean(tf.softplus(tf.sub(other, picked))) as tf.Scalar;
      }
      return tf.mean(tf.sub(tf.logSumExp(z, 1), picked)) as tf.Scalar;
    });
  if (options.exact && problem.classes !== 2) {
    throw new RangeError('exact products need the 2-class (softplus) loss');
  }
  const objective = variablesObjective(loss, variables, { exactHessian: options.exact === true });
  return {
    objective,
    dispose: () => {
      tf.dispose([x, labels]);
      if (model) model.dispose();
      else tf.dispose(variables);
    },
  };
}
