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
 * hinge                          mean_j max(0, 1 − y_j ŷ_j)
 * squaredHinge                   mean_j max(0, 1 − y_j ŷ_j)²
 * categoricalHinge               max(0, 1 + max_j (1 − y_j) ŷ_j − Σ_j y_j ŷ_j)
 * logcosh                        mean_j [d_j + softplus(−2 d_j) − log 2],  d = ŷ − y   (= log cosh d)
 * poisson                        mean_j [ŷ_j − y_j log(ŷ_j + 1e-7)]
 * kullbackLeiblerDivergence      Σ_j y_j log(clip(y_j, 1e-7, 1) / clip(ŷ_j, 1e-7, 1))
 * meanAbsolutePercentageError    100 · mean_j |(y_j − ŷ_j) / max(|y_j|, 1e-7)|
 * meanSquaredLogarithmicError    mean_j [log(1 + max(ŷ_j, 1e-7)) − log(1 + max(y_j, 1e-7))]²
 * cosineProximity                −Σ_j ȳ_j ŷ̄_j,  v̄ = v / √max(Σ v², 1e-7)
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
      // As tfjs-layers: clip first, then the categorical cross-entropy.
      const depth = yPred.shape[yPred.shape.length - 1]!;
      const labels = tf.cast(tf.floor(tf.reshape(yTrue, [-1])), 'int32');
      const oneHot = tf.reshape(tf.oneHot(labels, depth), yPred.shape);
      return categoricalCrossentropy(oneHot, tf.clipByValue(yPred, EPSILON, 1 - EPSILON));
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
  hinge: (yTrue, yPred) => tf.mean(tf.relu(tf.sub(1, tf.mul(yTrue, yPred))), -1),
  squaredHinge: (yTrue, yPred) => tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(yTrue, yPred)))), -1),
  categoricalHinge: (yTrue, yPred) =>
    tf.tidy(() => {
      const pos = tf.sum(tf.mul(yTrue, yPred), -1);
      const neg = tf.max(tf.mul(tf.sub(1, yTrue), yPred), -1);
      return tf.relu(tf.add(1, tf.sub(neg, pos)));
    }),
  logcosh: (yTrue, yPred) =>
    tf.tidy(() => {
      const d = tf.sub(yPred, yTrue);
      return tf.mean(tf.sub(tf.add(d, tf.softplus(tf.mul(-2, d))), Math.log(2)), -1);
    }),
  poisson: (yTrue, yPred) =>
    tf.mean(tf.sub(yPred, tf.mul(yTrue, tf.log(tf.add(yPred, EPSILON)))), -1),
  kullbackLeiblerDivergence: (yTrue, yPred) =>
    tf.tidy(() => {
      const t = tf.clipByValue(yTrue, EPSILON, 1);
      const p = tf.clipByValue(yPred, EPSILON, 1);
      return tf.sum(tf.mul(yTrue, tf.log(tf.div(t, p))), -1);
    }),
  meanAbsolutePercentageError: (yTrue, yPred) =>
    tf.tidy(() => {
      const scale = tf.maximum(tf.abs(yTrue), EPSILON);
      return tf.mul(100, tf.mean(tf.abs(tf.div(tf.sub(yTrue, yPred), scale)), -1));
    }),
  meanSquaredLogarithmicError: (yTrue, yPred) =>
    tf.tidy(() => {
      const a = tf.log(tf.add(1, tf.maximum(yPred, EPSILON)));
      const b = tf.log(tf.add(1, tf.maximum(yTrue, EPSILON)));
      return tf.mean(tf.square(tf.sub(a, b)), -1);
    }),
  cosineProximity: (yTrue, yPred) =>
    tf.tidy(() => {
      const unit = (v: tf.Tensor) =>
        tf.div(v, tf.sqrt(tf.maximum(tf.sum(tf.square(v), -1, true), EPSILON)));
      return tf.neg(tf.sum(tf.mul(unit(yTrue), unit(yPred)), -1));
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
      'individual flooding needs per-sample losses (shape [batch] or [batch, …]), but the loss ' +
        'function returned a scalar. Pass a tfjs-layers loss name instead, e.g. ' +
        "floodLoss('categoricalCrossentropy', …) (also 'meanSquaredError', 'meanAbsoluteError', " +
        "'sparseCategoricalCrossentropy', 'binaryCrossentropy'), or a tf.losses function without " +
        'reduction: (yTrue, yPred) => tf.losses.meanSquaredError(yTrue, yPred, undefined, ' +
        'tf.Reduction.NONE).',
    );
  }
  return values.rank === 1 ? values : tf.mean(tf.reshape(values, [values.shape[0]!, -1]), 1);
}
