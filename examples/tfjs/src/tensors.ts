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
  /**
   * The same rows in consecutive chunks of at most {@link EVAL_CHUNK}, cut once
   * at upload (slicing a large tensor on wasm reads it back whole every time).
   */
  readonly chunks: readonly { readonly x: tf.Tensor2D; readonly y: tf.Tensor2D }[];
}

/** Rows per evaluation chunk. */
export const EVAL_CHUNK = 2000;

/** Uploads `data` to the backend; dispose the result with {@link disposeDeviceData}. */
export function toDevice(data: Dataset): DeviceData {
  return tf.tidy(() => {
    const x = tf.tensor2d(data.x, [data.n, data.features]);
    const y = tf.cast(
      tf.oneHot(tf.tensor1d(data.y, 'int32'), data.classes),
      'float32',
    ) as tf.Tensor2D;
    const chunks: { x: tf.Tensor2D; y: tf.Tensor2D }[] = [];
    if (data.n <= EVAL_CHUNK) chunks.push({ x, y });
    else {
      for (let start = 0; start < data.n; start += EVAL_CHUNK) {
        const rows = Math.min(EVAL_CHUNK, data.n - start);
        chunks.push({
          x: tf.tensor2d(data.x.subarray(start * data.features, (start + rows) * data.features), [
            rows,
            data.features,
          ]),
          y: tf.slice(y, [start, 0], [rows, -1]),
        });
      }
    }
    return { x, y, n: data.n, chunks };
  });
}

/** Frees the tensors of a {@link DeviceData}. */
export function disposeDeviceData(data: DeviceData): void {
  const all = new Set([data.x, data.y, ...data.chunks.flatMap((c) => [c.x, c.y])]);
  for (const t of all) t.dispose();
}
