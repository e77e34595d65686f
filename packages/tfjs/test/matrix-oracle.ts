/**
 * Test support for the matMul kernels: float64 matrices from float32 data, their
 * transpose and product (the oracle), and a relative comparison.
 *
 * @module
 */
import { expect } from 'vitest';

/** Matrix `index` of a row-major batch of `rows × cols` matrices, as float64 rows. */
export function matrix(data: Float32Array, index: number, rows: number, cols: number): number[][] {
  const base = index * rows * cols;
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => data[base + i * cols + j] ?? Number.NaN),
  );
}

export const transposed = (m: number[][]): number[][] =>
  (m[0] ?? []).map((_, j) => m.map((row) => row[j] ?? Number.NaN));

export const product = (x: number[][], y: number[][]): number[][] =>
  x.map((row) =>
    (y[0] ?? []).map((_, j) => row.reduce((s, v, k) => s + v * (y[k]?.[j] ?? Number.NaN), 0)),
  );

/** Expects every entry within `tol` of `expected`, relative to 1 + |expected|. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? Number.NaN;
    const err = Math.abs((actual[i] ?? Number.NaN) - e) / (1 + Math.abs(e));
    worst = Math.max(worst, Number.isNaN(err) ? Number.POSITIVE_INFINITY : err);
  }
  expect(worst).toBeLessThan(tol);
}
