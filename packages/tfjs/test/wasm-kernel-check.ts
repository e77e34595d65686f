/**
 * Test support for the wasm training kernels: seeded float32 data, running one kernel
 * on a named backend, and the float32-rounding comparison against a float64 oracle.
 *
 * The oracles (in the tests) are plain float64 loops written from the definitions,
 * independent of tfjs. For an output entry that is a sum of n products t_k, any
 * float32 evaluation order is within n·u·Σ|t_k| of the exact sum (u = 2⁻²⁴, the
 * recursive-summation bound; a blocked or pairwise order is tighter), so that is the
 * tolerance: "equal up to float32 rounding".
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** The unit roundoff of float32. */
export const U32 = 2 ** -24;

/** Deterministic float32 values in [-1, 1) from a small LCG. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `fn` with `backend` active, then switches back to the previous backend. */
export async function onBackend<T>(backend: string, fn: () => T | Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
  try {
    return await fn();
  } finally {
    await tf.setBackend(previous);
  }
}

/** Live tensors (engine) and live buffers of the active backend (kernel temporaries too). */
export function live(): { tensors: number; buffers: number } {
  return { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
}

/** Input of a kernel: its data and shape (and dtype, default float32). */
export interface KernelInput {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype?: 'float32' | 'int32';
}

/**
 * Runs kernel `name` on the active backend and returns its output's values and shape,
 * checking that it frees every temporary buffer.
 */
export function runKernel(
  name: string,
  inputs: Record<string, KernelInput>,
  attrs: object,
): { data: Float32Array | Int32Array; shape: number[] } {
  const before = live();
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.data, v.shape, v.dtype ?? 'float32')]),
  );
  const out = tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { data: out.dataSync() as Float32Array | Int32Array, shape: out.shape };
  tf.dispose([out, ...Object.values(tensors)]);
  expect(live()).toEqual(before);
  return result;
}

/** An exact (float64) result with, per entry, the number of terms and Σ|terms|. */
export interface Oracle {
  value: Float64Array;
  absSum: Float64Array;
  terms: Int32Array;
}

/** An empty oracle of `size` entries, to be filled by {@link addTerm}. */
export function oracle(size: number): Oracle {
  return {
    value: new Float64Array(size),
    absSum: new Float64Array(size),
    terms: new Int32Array(size),
  };
}

/** Adds the product term `t` to entry `i`. */
export function addTerm(o: Oracle, i: number, t: number): void {
  o.value[i] = (o.value[i] ?? 0) + t;
  o.absSum[i] = (o.absSum[i] ?? 0) + Math.abs(t);
  o.terms[i] = (o.terms[i] ?? 0) + 1;
}

/**
 * Expects `actual` to equal the oracle up to float32 rounding, entry by entry:
 * |actual − exact| ≤ max(n, 1)·u·Σ|terms| (+ u·|exact| for the final rounding).
 *
 * @returns the largest error in units of that entry's Σ|terms|·u (0 when exact).
 */
export function expectWithinRounding(actual: ArrayLike<number>, o: Oracle): number {
  expect(actual.length).toBe(o.value.length);
  let worst = 0;
  const bad: string[] = [];
  for (let i = 0; i < o.value.length; i++) {
    const exact = o.value[i] ?? Number.NaN;
    const err = Math.abs((actual[i] ?? Number.NaN) - exact);
    const scale = (o.absSum[i] ?? 0) * U32;
    const bound = Math.max(o.terms[i] ?? 0, 1) * scale + U32 * Math.abs(exact);
    if (!(err <= bound) && bad.length < 5)
      bad.push(`[${i}] ${actual[i]} vs ${exact} (bound ${bound})`);
    if (scale > 0) worst = Math.max(worst, err / scale);
    else if (err > 0) worst = Number.POSITIVE_INFINITY;
  }
  expect(bad).toEqual([]);
  return worst;
}
