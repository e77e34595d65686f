/**
 * Whole-tensor sums, arranged for the speed of each backend's reduction kernel.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { FLOOD_SUM, FLOOD_SUM_OF_SQUARES, fusedSum } from './fused-ops.js';

/** Entries per row of the first stage of a two-stage sum. */
const ROW = 16;
/** Smaller tensors are summed in one kernel (the second kernel would cost more than it saves). */
const MIN_TWO_STAGE = 4096;

/**
 * `Σᵢ xᵢ` over every entry of `x`, as a device scalar.
 *
 * tfjs-backend-wasm 4.22's `Sum` kernel adds one entry at a time into a single
 * accumulator, so it runs at the latency of a float addition, not its
 * throughput. Summing rows of 16 first and then the row sums lets the CPU
 * overlap successive rows, about twice as fast on a 784×256 matrix (measured
 * in docs/benchmarks.md, "Flooding"). The result is the same sum in another
 * order (equal up to float32 rounding; pairwise-like summation is, if
 * anything, more accurate). On the cpu backend the two-stage sum is slower, so
 * every other backend, and tensors smaller than 4096 entries or not a multiple
 * of 16, take one `tf.sum`. Where the fused `FloodSum` kernel is registered
 * (wasm with `enableFastWasmTraining()`), it is one SIMD pass instead.
 */
export function sumAll(x: tf.Tensor): tf.Scalar {
  const fused = fusedSum(FLOOD_SUM, [x]);
  if (fused !== undefined) return fused;
  if (x.size >= MIN_TWO_STAGE && x.size % ROW === 0 && tf.getBackend() === 'wasm') {
    return tf.tidy(() => tf.sum(tf.sum(tf.reshape(x, [x.size / ROW, ROW]), 1)) as tf.Scalar);
  }
  return tf.sum(x) as tf.Scalar;
}

/**
 * `Σₖ Σᵢ xₖᵢ`, the sum of every entry of every tensor in `xs` (scalars
 * included), as a device scalar: one `FloodSum` kernel over all of them where
 * it is registered (wasm with `enableFastWasmTraining()`), else {@link sumAll}
 * per tensor and {@link addAll}. NaN and ±∞ propagate as in any float sum.
 */
export function sumOfAll(xs: readonly tf.Tensor[]): tf.Scalar {
  return fusedSum(FLOOD_SUM, xs) ?? tf.tidy(() => addAll(xs.map(sumAll)));
}

/**
 * `Σᵢ xᵢ²` over every entry of `x` (see {@link sumAll}), as a device scalar: one
 * pass of the fused `FloodSumOfSquares` kernel where it is registered, else
 * `tf.square` and {@link sumAll}.
 */
export function sumOfSquares(x: tf.Tensor): tf.Scalar {
  return fusedSum(FLOOD_SUM_OF_SQUARES, [x]) ?? tf.tidy(() => sumAll(tf.square(x)));
}

/**
 * Inputs per `AddN` kernel in {@link addAll}: tfjs-backend-webgpu 4.22 binds one
 * storage buffer per input plus one for the output, and WebGPU's default (and
 * SwiftShader's) limit is 8 storage buffers per shader stage.
 */
export const ADDN_MAX_INPUTS = 7;

/**
 * `Σⱼ tⱼ` of tensors of one shape, as `tf.addN` computes it, on every backend.
 * tfjs-backend-webgpu 4.22's `AddN` with more than 7 inputs returns a wrong sum
 * without an error (measured under SwiftShader: the sum of the first 7), so
 * longer lists are added in a chain of `AddN`s of at most 7 inputs, the running
 * sum first: `addN([addN(t₀…t₆), t₇…t₁₂], …)`. The order of the additions is
 * that of one `addN` (left to right), so on cpu and wasm the result is bit for
 * bit the same.
 */
export function addAll<T extends tf.Tensor>(terms: readonly T[]): T {
  if (terms.length === 0) throw new RangeError('addAll needs at least one tensor');
  if (terms.length === 1) return terms[0]!;
  return tf.tidy(() => {
    let sum = tf.addN(terms.slice(0, ADDN_MAX_INPUTS));
    for (let i = ADDN_MAX_INPUTS; i < terms.length; i += ADDN_MAX_INPUTS - 1) {
      sum = tf.addN([sum, ...terms.slice(i, i + ADDN_MAX_INPUTS - 1)]);
    }
    return sum as T;
  });
}
