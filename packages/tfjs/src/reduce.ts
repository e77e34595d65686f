/**
 * Whole-tensor sums, arranged for the speed of each backend's reduction kernel.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** Entries per row of the first stage of a two-stage sum. */
const ROW = 16;
/** Smaller tensors are summed in one kernel (the second kernel would cost more than it saves). */
const MIN_TWO_STAGE = 4096;

/**
 * `Σᵢ xᵢ` over every entry of `x`, as a device scalar.
 *
 * tfjs-backend-wasm 4.22's `Sum` kernel adds one entry at a time into a single
 * accumulator, so it runs at the latency of a float addition, not its
 * throughput: 226 µs for the 200,704 entries of a 784×256 matrix on this
 * project's benchmark machine. Summing rows of 16 first and then the row sums
 * lets the CPU overlap successive rows: 103 µs (2.2× faster). The result is the
 * same sum in another order (equal up to float32 rounding; pairwise-like
 * summation is, if anything, more accurate). On the cpu backend the two-stage
 * sum is slower (292 → 793 µs), so every other backend, and tensors smaller
 * than 4096 entries or not a multiple of 16, take one `tf.sum`.
 */
export function sumAll(x: tf.Tensor): tf.Scalar {
  if (x.size >= MIN_TWO_STAGE && x.size % ROW === 0 && tf.getBackend() === 'wasm') {
    return tf.tidy(() => tf.sum(tf.sum(tf.reshape(x, [x.size / ROW, ROW]), 1)) as tf.Scalar);
  }
  return tf.sum(x) as tf.Scalar;
}

/** `Σᵢ xᵢ²` over every entry of `x` (see {@link sumAll}), as a device scalar. */
export function sumOfSquares(x: tf.Tensor): tf.Scalar {
  return tf.tidy(() => sumAll(tf.square(x)));
}
