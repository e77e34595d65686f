/**
 * Loss and accuracy of a model on a whole dataset, evaluated in chunks so the
 * 10 000-image MNIST test set never needs one huge activation tensor.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DeviceData } from './tensors.js';

/** Mean cross-entropy and accuracy over a dataset. */
export interface Evaluation {
  /** Mean softmax cross-entropy (nats). */
  readonly loss: number;
  /** Fraction of examples whose arg-max logit is the label. */
  readonly accuracy: number;
}

/**
 * Mean softmax cross-entropy of the logits against one-hot labels (a scalar):
 * mean over rows of `log Σⱼ exp(zⱼ − m) − Σⱼ yⱼ(zⱼ − m)` with `m = maxⱼ zⱼ`
 * (Σⱼ yⱼ = 1, so the shift cancels, also in the gradient), in plain ops.
 */
export function crossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const shifted = tf.sub(logits, tf.max(logits, 1, true));
    const logNormaliser = tf.log(tf.sum(tf.exp(shifted), 1));
    return tf.mean(tf.sub(logNormaliser, tf.sum(tf.mul(labels, shifted), 1))) as tf.Scalar;
  });
}

/** Evaluates `model` on `data` in chunks of `chunk` rows (inference mode). */
export async function evaluate(
  model: tfl.LayersModel,
  data: DeviceData,
  chunk = 2000,
): Promise<Evaluation> {
  const n = data.n;
  const totals = tf.tidy(() => {
    let lossSum: tf.Tensor = tf.scalar(0);
    let correct: tf.Tensor = tf.scalar(0);
    for (let start = 0; start < n; start += chunk) {
      const size = Math.min(chunk, n - start);
      const x = tf.slice(data.x, [start, 0], [size, -1]);
      const y = tf.slice(data.y, [start, 0], [size, -1]);
      const logits = model.predict(x) as tf.Tensor;
      lossSum = tf.add(lossSum, tf.mul(crossEntropy(y, logits), size));
      correct = tf.add(correct, tf.sum(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1))));
    }
    return tf.div(tf.stack([lossSum, tf.cast(correct, 'float32')]), n);
  });
  const [loss, accuracy] = await totals.data();
  totals.dispose();
  return { loss: loss!, accuracy: accuracy! };
}
