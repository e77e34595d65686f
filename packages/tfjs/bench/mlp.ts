/** The benchmark models: multi-layer perceptrons written with tfjs-core ops. */
import * as tf from '@tensorflow/tfjs-core';

/** An MLP with ReLU hidden layers, its variables and one fixed batch of data. */
export interface Mlp {
  /** e.g. `MLP 784-256-10`. */
  readonly name: string;
  /** Layer widths, input first. */
  readonly sizes: readonly number[];
  /** Batch size of `x`, `y`. */
  readonly batch: number;
  /** Weights and biases, layer by layer. */
  readonly variables: tf.Variable[];
  /** Bytes of all parameters (float32). */
  readonly parameterBytes: number;
  /** Mean softmax cross-entropy of the batch (a scalar). */
  loss(): tf.Scalar;
  /** Per-sample softmax cross-entropy of the batch, shape `[batch]`. */
  perSampleLoss(yTrue: tf.Tensor, logits: tf.Tensor): tf.Tensor;
  /** The network's logits on the batch. */
  logits(): tf.Tensor;
  /** The one-hot labels of the batch. */
  readonly y: tf.Tensor;
  /** Frees the variables and the data. */
  dispose(): void;
}

let instances = 0;

/**
 * An MLP `sizes[0] → … → sizes.at(-1)` (He-initialised, seeded), with a seeded
 * random batch of `batch` inputs and one-hot labels, on the current backend.
 */
export function createMlp(sizes: readonly number[], batch: number, seed = 1): Mlp {
  const id = instances++;
  const variables: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i]!;
    const fanOut = sizes[i + 1]!;
    variables.push(
      tf.variable(
        tf.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn), 'float32', seed + i),
        true,
        `bench-mlp${id}/w${i}`,
      ),
      tf.variable(tf.zeros([fanOut]), true, `bench-mlp${id}/b${i}`),
    );
  }
  const x = tf.randomUniform([batch, sizes[0]!], 0, 1, 'float32', seed + 100);
  const labels = tf.randomUniform([batch], 0, sizes.at(-1)!, 'int32', seed + 101);
  const y = tf.tidy(() => tf.cast(tf.oneHot(labels, sizes.at(-1)!), 'float32'));
  labels.dispose();
  const logits = (): tf.Tensor => {
    let h: tf.Tensor = x;
    for (let i = 0; i < variables.length; i += 2) {
      h = tf.add(tf.matMul(h, variables[i]!), variables[i + 1]!);
      if (i + 2 < variables.length) h = tf.relu(h);
    }
    return h;
  };
  return classifierBench({
    name: `MLP ${sizes.join('-')}`,
    sizes,
    batch,
    variables,
    logits,
    y,
    dispose: () => tf.dispose([...variables, x, y]),
  });
}

/**
 * A benchmark model from its parts: the softmax cross-entropy of `logits()`
 * against `y` as the per-sample and the mean loss, and the parameters' bytes.
 */
export function classifierBench(
  parts: Pick<Mlp, 'name' | 'sizes' | 'batch' | 'variables' | 'logits' | 'y' | 'dispose'>,
): Mlp {
  const perSampleLoss = (yTrue: tf.Tensor, z: tf.Tensor): tf.Tensor =>
    tf.losses.softmaxCrossEntropy(yTrue, z, undefined, undefined, tf.Reduction.NONE);
  return {
    ...parts,
    parameterBytes: parts.variables.reduce((s, v) => s + 4 * v.size, 0),
    perSampleLoss,
    loss: () => tf.tidy(() => tf.mean(perSampleLoss(parts.y, parts.logits())) as tf.Scalar),
  };
}
