/**
 * The small tfjs-layers models, and their data, that the adapter's `model.fit`,
 * callback and save/load tests train: a two-layer regressor and a two-layer
 * softmax classifier, with seeded kernels so that two builds are identical.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** The hidden layer of {@link regressor}. */
export interface RegressorOptions {
  /** Hidden units (default 3). */
  units?: number;
  /** Hidden activation (default `'tanh'`). */
  activation?: 'tanh' | 'relu';
  /** The hidden kernel's Glorot seed; the output kernel's is `seed + 1` (default 7). */
  seed?: number;
}

/**
 * `2 → units (activation) → 1`, Glorot-uniform kernels seeded `seed` and
 * `seed + 1`, compiled with `optimizer` and the mean squared error.
 */
export function regressor(
  optimizer: tf.Optimizer,
  options: RegressorOptions = {},
): tfl.LayersModel {
  const { units = 3, activation = 'tanh', seed = 7 } = options;
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units,
        inputShape: [2],
        activation,
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      }),
      tfl.layers.dense({
        units: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}

/** The four samples {@link regressor}s train on (the caller disposes them). */
export function regressionBatch(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return {
    x: tf.tensor2d([0.1, 0.5, -0.3, 0.8, 0.9, -0.7, 0.2, 0.2], [4, 2]),
    y: tf.tensor2d([0.3, -0.2, 0.5, 0.1], [4, 1]),
  };
}

/** `steps` calls of `m.trainOnBatch` on the {@link regressionBatch}. */
export async function trainSteps(m: tfl.LayersModel, steps: number): Promise<void> {
  const { x, y } = regressionBatch();
  for (let i = 0; i < steps; i++) await m.trainOnBatch(x, y);
  tf.dispose([x, y]);
}

/**
 * `3 → 4 (relu) → 2 (softmax)`, Glorot-uniform kernels seeded `seed` and
 * `seed + 1`; compiled with `optimizer` and categorical cross-entropy if one is
 * given (else the caller compiles it).
 */
export function classifier(seed: number, optimizer?: tf.Optimizer): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 4,
        inputShape: [3],
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      }),
      tfl.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
  if (optimizer) model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return model;
}

/** `n` deterministic samples for {@link classifier}: 3 features, one-hot labels of 2 classes. */
export function classification(n: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.tensor2d(
    Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 1.7)),
    [n, 3],
  );
  const labels = Array.from({ length: n }, (_, i) => (Math.sin(i * 5.1) > 0 ? 1 : 0));
  return { x, y: tf.oneHot(tf.tensor1d(labels, 'int32'), 2) as tf.Tensor2D };
}

/** Disposes each of `models` and its optimizer (a model does not own its optimizer). */
export function disposeModels(...models: tfl.LayersModel[]): void {
  for (const m of models) {
    m.optimizer.dispose();
    m.dispose();
  }
}
