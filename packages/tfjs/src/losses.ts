/**
 * Per-sample versions of the tfjs-layers losses, written from their formulas
 * (tfjs-layers only returns them averaged over the last axis, with no
 * `reduction: 'none'`), for individual flooding and objectives.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** A loss function `(yTrue, yPred) => loss`: per sample (shape `[batch]`) or a scalar. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The clipping epsilon of tfjs-layers (`backend/common.ts#epsilon`). */
const EPSILON = 1e-7;

function categoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return tf.neg(tf.sum(tf.mul(yTrue, tf.log(p)), -1));
  });
}

/**
 * The per-sample losses by their tfjs-layers names, each returning shape
 * `[batch]` (the mean over the last axis, like tfjs-layers):
 *
 * ```text
 * meanSquaredError               mean_j (ŷ_j − y_j)²
 * meanAbsoluteError              mean_j |ŷ_j − y_j|
 * categoricalCrossentropy        −Σ_j y_j log clip(ŷ_j / Σ ŷ, 1e-7, 1 − 1e-7)
 * sparseCategoricalCrossentropy  the same with y = oneHot(label)
 * binaryCrossentropy             mean_j [−y_j log p_j − (1 − y_j) log(1 − p_j)],  p = clip(ŷ, 1e-7, 1 − 1e-7)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { perSampleLosses } from '@flood/tfjs';
 * const l = perSampleLosses.categoricalCrossentropy!(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0.8, 0.2], [0.4, 0.6]]));
 * l.print(); // [0.2231, 0.5108] = [−log 0.8, −log 0.6]
 * ```
 */
export const perSampleLosses: Readonly<Record<string, LossFn>> = {
  meanSquaredError: (yTrue, yPred) => tf.mean(tf.square(tf.sub(yPred, yTrue)), -1),
  meanAbsoluteError: (yTrue, yPred) => tf.mean(tf.abs(tf.sub(yPred, yTrue)), -1),
  categoricalCrossentropy,
  sparseCategoricalCrossentropy: (yTrue, yPred) =>
    tf.tidy(() => {
      const depth = yPred.shape[yPred.shape.length - 1]!;
      const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
      const oneHot = tf.reshape(tf.oneHot(labels, depth), yPred.shape);
      return categoricalCrossentropy(oneHot, yPred);
    }),
  binaryCrossentropy: (yTrue, yPred) =>
    tf.tidy(() => {
      const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
      const terms = tf.add(
        tf.mul(yTrue, tf.log(p)),
        tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))),
      );
      return tf.neg(tf.mean(terms, -1));
    }),
};

/** The loss named `name` or the function itself; RangeError for unknown names. */
export function resolveLoss(name: string, loss: unknown): LossFn {
  if (typeof loss === 'function') return loss as LossFn;
  if (typeof loss === 'string') {
    const fn = perSampleLosses[loss];
    if (fn) return fn;
    throw new RangeError(
      `${name} must be a function or one of ${Object.keys(perSampleLosses).join(', ')}, got '${loss}'`,
    );
  }
  throw new RangeError(`${name} must be a loss name or a function, got ${typeof loss}`);
}

/** Per-sample losses of shape `[batch]`: averages a loss over all but the first axis. */
export function perSample(values: tf.Tensor): tf.Tensor {
  if (values.rank === 0) {
    throw new RangeError(
      'individual flooding needs per-sample losses: the loss function returned a scalar',
    );
  }
  return values.rank === 1 ? values : tf.mean(tf.reshape(values, [values.shape[0]!, -1]), 1);
}
