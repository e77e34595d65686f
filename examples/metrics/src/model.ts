/** The model, its logistic loss, and full-batch training with or without flooding. */
import type { Objective } from '@flood/core';
import { flooding, variablesObjective } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from './data.js';

/** A 2-64-64-1 ReLU MLP whose output is the logit of `y = +1`. */
export function createModel(seed: number, hidden = 64): tfl.Sequential {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + s });
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [2],
        units: hidden,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tfl.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: init(2) }),
      tfl.layers.dense({ units: 1, kernelInitializer: init(3) }),
    ],
  });
}

/** Tensors of a dataset. */
export interface DataTensors {
  /** Inputs `[n, 2]`. */
  x: tf.Tensor2D;
  /** Labels ±1, `[n, 1]`. */
  y: tf.Tensor2D;
}

/** Uploads a dataset. */
export function toTensors(data: Dataset): DataTensors {
  return { x: tf.tensor2d(data.x), y: tf.tensor2d(data.y, [data.y.length, 1]) };
}

/** The mean logistic loss `mean(softplus(−y·f(x)))` of `model` on `data`. */
export function logisticLoss(model: tfl.Sequential, data: DataTensors): tf.Scalar {
  return tf.tidy(() => {
    const logits = model.apply(data.x, { training: false }) as tf.Tensor;
    return tf.mean(tf.softplus(tf.neg(tf.mul(data.y, logits)))) as tf.Scalar;
  });
}

/** Classification accuracy of `model` on `data`. */
export async function accuracy(model: tfl.Sequential, data: DataTensors): Promise<number> {
  const correct = tf.tidy(() => {
    const logits = model.apply(data.x) as tf.Tensor;
    return tf.mean(tf.cast(tf.greater(tf.mul(data.y, logits), 0), 'float32'));
  });
  const value = (await correct.data())[0]!;
  correct.dispose();
  return value;
}

/** The model's trainable variables, in layer order. */
export function modelVariables(model: tfl.Sequential): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * The training objective of `model` on `data` (float32, for `@flood/metrics`),
 * with `@flood/tfjs`'s exact Hessian-vector product by double backprop,
 * `∇(∇L·v)` (`variablesObjective`'s default), unless `exact` is false (then
 * metrics use float32 central differences, biased wherever a probe moves a ReLU
 * pre-activation across zero, and say so with a failed `finiteDifferenceCheck`).
 * The exact product is guarded: every op of this model and loss (Dense, i.e.
 * fused matMul + bias, ReLU, softplus, mean) is in `SECOND_ORDER_SAFE_OPS`; an
 * op outside it would be refused with an error instead of giving wrong products.
 */
export function modelObjectiveOf(
  model: tfl.Sequential,
  data: DataTensors,
  exact = true,
): Objective<tf.Tensor[], tf.Scalar> {
  return variablesObjective(() => logisticLoss(model, data), modelVariables(model), {
    exactHessian: exact,
  });
}

/**
 * Full-batch Adam on the logistic loss; with `flood`, Adam is wrapped in
 * `@flood/tfjs`'s {@link flooding} optimizer (Ishida et al. 2020: minimise
 * `|L − b| + b`, i.e. descend when `L > b` and ascend when `L < b`). Calls
 * `onEpoch(epoch, loss)` after each step with the (unflooded) loss.
 */
export async function train(
  model: tfl.Sequential,
  data: DataTensors,
  options: { epochs: number; learningRate?: number; flood?: number },
  onEpoch: (epoch: number, loss: number) => void,
): Promise<void> {
  const adam = tf.train.adam(options.learningRate ?? 0.005);
  const optimizer: tf.Optimizer =
    options.flood === undefined ? adam : flooding(adam, { level: options.flood });
  const variables = modelVariables(model);
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const cost = optimizer.minimize(() => logisticLoss(model, data), true, variables);
      const value = cost ? (await cost.data())[0]! : Number.NaN;
      cost?.dispose();
      onEpoch(epoch, value);
    }
  } finally {
    optimizer.dispose();
    if (optimizer !== adam) adam.dispose();
  }
}
