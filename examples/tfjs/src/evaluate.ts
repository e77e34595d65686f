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
  return tf.tidy(() => tf.mean(perSampleCrossEntropy(labels, logits)) as tf.Scalar);
}

/**
 * The softmax cross-entropy of each row, `log Σⱼ exp(zⱼ − m) − Σⱼ yⱼ(zⱼ − m)`
 * (shape [batch]): what iFlood floods one by one.
 */
export function perSampleCrossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const shifted = tf.sub(logits, tf.max(logits, 1, true));
    const logNormaliser = tf.log(tf.sum(tf.exp(shifted), 1));
    return tf.sub(logNormaliser, tf.sum(tf.mul(labels, shifted), 1)) as tf.Tensor1D;
  });
}

/** Evaluates `model` on `data` chunk by chunk (inference mode). */
export async function evaluate(model: tfl.LayersModel, data: DeviceData): Promise<Evaluation> {
  const totals = tf.tidy(() => {
    let lossSum: tf.Tensor = tf.scalar(0);
    let correct: tf.Tensor = tf.scalar(0);
    for (const { x, y } of data.chunks) {
      // apply, not predict: predict cuts x into batches of 32 by slicing, and a slice on wasm
      // reads the whole tensor back.
      const logits = model.apply(x) as tf.Tensor;
      lossSum = tf.add(lossSum, tf.mul(crossEntropy(y, logits), x.shape[0]));
      correct = tf.add(correct, tf.sum(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1))));
    }
    return tf.div(tf.stack([lossSum, tf.cast(correct, 'float32')]), data.n);
  });
  const [loss, accuracy] = await totals.data();
  totals.dispose();
  return { loss: loss!, accuracy: accuracy! };
}
