/**
 * A small fully connected classifier written directly on tfjs-core variables:
 * 2 → hidden → hidden → hidden → 1 with ReLU, one logit, logistic loss.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The trainable weights of the classifier, in layer order `[W1, b1, W2, b2, …]`. */
export interface Mlp {
  /** Weights and biases, all trainable variables. */
  variables: tf.Variable[];
}

/**
 * Creates the classifier with He-normal weights (sd √(2/fan_in)) and zero biases.
 *
 * @param o.hidden width of each hidden layer (default 64)
 * @param o.layers number of hidden layers (default 3)
 * @param o.seed seed of the weight initialisation (default 7); equal seeds give equal models
 */
export function createMlp(o: { hidden?: number; layers?: number; seed?: number } = {}): Mlp {
  const hidden = o.hidden ?? 64;
  const layers = o.layers ?? 3;
  const seed = o.seed ?? 7;
  const sizes = [2, ...Array.from({ length: layers }, () => hidden), 1];
  const variables: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i]!;
    const fanOut = sizes[i + 1]!;
    const w = tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn), 'float32', seed + i);
    const b = tf.zeros([fanOut]);
    // tf.variable shares the initial tensor's data; disposing the tensor keeps the variable.
    variables.push(
      tf.variable(w, true, undefined, 'float32'),
      tf.variable(b, true, undefined, 'float32'),
    );
    tf.dispose([w, b]);
  }
  return { variables };
}

/** The logits, shape `[n, 1]`, of the points `x` (shape `[n, 2]`). */
export function logits(model: Mlp, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const v = model.variables;
    let h: tf.Tensor2D = x;
    for (let i = 0; i < v.length; i += 2) {
      h = tf.add(tf.matMul(h, v[i] as tf.Tensor2D), v[i + 1]!);
      if (i + 2 < v.length) h = tf.relu(h);
    }
    return h;
  });
}

/** Mean logistic loss (sigmoid cross-entropy) of the model on `x` with 0/1 labels `y` (`[n, 1]`). */
export function logisticLoss(model: Mlp, x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.losses.sigmoidCrossEntropy(y, logits(model, x)) as tf.Scalar);
}

/** Fraction of `logits` (`[n, 1]`) on the side of 0 that the 0/1 `labels` name. */
export function accuracyOf(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const predicted = tf.cast(tf.greater(logits, 0), 'float32');
    return tf.mean(tf.cast(tf.equal(predicted, labels), 'float32')) as tf.Scalar;
  });
}

/** Releases the model's variables. */
export function disposeMlp(model: Mlp): void {
  for (const v of model.variables) v.dispose();
}
