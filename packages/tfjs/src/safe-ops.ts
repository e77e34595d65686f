/**
 * Loss primitives whose second-order gradients are exact in tfjs, for
 * `gradientPenalty(…, { method: 'exact' })` and exact Hessian-vector products.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * `log Σ_j exp(z_j)` over the last axis, by the recursion
 *
 * ```text
 * L_1 = z_1,   L_k = L_(k−1) + softplus(z_k − L_(k−1))      (= log(e^L_(k−1) + e^z_k))
 * ```
 *
 * built only from `unstack`, `sub`, `add` and `softplus`, whose second-order
 * gradients tfjs computes exactly (softplus' gradient, sigmoid, is recomputed
 * from its input). So it can be differentiated twice, unlike `tf.logSumExp`,
 * `tf.logSoftmax` and `tf.losses.softmaxCrossEntropy` (tfjs#3252). It is stable
 * for large logits (softplus is) and costs O(classes) small ops.
 *
 * @param z - logits, shape `[..., classes]`.
 * @returns shape `[...]` (the last axis reduced).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { safeLogSumExp } from '@flood/tfjs';
 * safeLogSumExp(tf.tensor2d([[0, Math.log(3)]])).print(); // [log 4] = [1.3863]
 * ```
 */
export function safeLogSumExp(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const columns = tf.unstack(z, z.rank - 1);
    let total = columns[0]!;
    for (const c of columns.slice(1)) total = tf.add(total, tf.softplus(tf.sub(c, total)));
    return total;
  });
}

/**
 * Second-order-safe losses on logits, equal in value and gradient to tfjs's
 * own, built only from ops in `SECOND_ORDER_SAFE_OPS` (see {@link safeLogSumExp}):
 *
 * ```text
 * softmaxCrossEntropy(y, z)  = mean_i [logΣ_j exp z_ij − Σ_j y_ij z_ij]   (y one-hot or soft labels)
 * sigmoidCrossEntropy(y, z)  = mean [softplus(z) − y·z]
 * meanSquaredError(y, ŷ)     = mean (ŷ − y)²
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { gradientPenalty, safeLosses } from '@flood/tfjs';
 * const w = tf.variable(tf.randomNormal([4, 3]));
 * const x = tf.randomNormal([8, 4]);
 * const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
 * const opt = gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.01, method: 'exact' });
 * opt.minimize(() => safeLosses.softmaxCrossEntropy(y, tf.matMul(x, w)));
 * ```
 */
export const safeLosses = {
  /** Softmax cross-entropy on logits, averaged over samples. */
  softmaxCrossEntropy: (labels: tf.Tensor, logits: tf.Tensor): tf.Scalar =>
    tf.tidy(
      () => tf.mean(tf.sub(safeLogSumExp(logits), tf.sum(tf.mul(labels, logits), -1))) as tf.Scalar,
    ),
  /** Sigmoid (binary) cross-entropy on logits, averaged over all entries. */
  sigmoidCrossEntropy: (labels: tf.Tensor, logits: tf.Tensor): tf.Scalar =>
    tf.tidy(() => tf.mean(tf.sub(tf.softplus(logits), tf.mul(labels, logits))) as tf.Scalar),
  /** Mean squared error, averaged over all entries. */
  meanSquaredError: (target: tf.Tensor, prediction: tf.Tensor): tf.Scalar =>
    tf.tidy(() => tf.mean(tf.square(tf.sub(prediction, target))) as tf.Scalar),
};
