/**
 * A dataset moved to the tfjs backend once: features as a 2-D float tensor and
 * labels one-hot, so training batches are cheap slices or gathers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from './data/dataset.js';

/** A {@link Dataset} held as tensors on the current backend. */
export interface DeviceData {
  /** Features, shape [n, features]. */
  readonly x: tf.Tensor2D;
  /** One-hot labels, shape [n, classes]. */
  readonly y: tf.Tensor2D;
  /** Number of examples. */
  readonly n: number;
}

/** Uploads `data` to the backend; dispose the result with {@link disposeDeviceData}. */
export function toDevice(data: Dataset): DeviceData {
  return tf.tidy(() => ({
    x: tf.tensor2d(data.x, [data.n, data.features]),
    y: tf.cast(tf.oneHot(tf.tensor1d(data.y, 'int32'), data.classes), 'float32') as tf.Tensor2D,
    n: data.n,
  }));
}

/** Frees the tensors of a {@link DeviceData}. */
export function disposeDeviceData(data: DeviceData): void {
  data.x.dispose();
  data.y.dispose();
}
