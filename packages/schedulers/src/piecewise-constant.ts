import { requireFinite, type Schedule } from '@flood/core';
import { defineSchedule } from './define-schedule.js';

/** Options of {@link piecewiseConstant}. */
export interface PiecewiseConstantOptions {
  /** The steps at which the value changes: strictly increasing integers `>= 1`. */
  boundaries: readonly number[];
  /** The values, one more than `boundaries` (finite numbers). */
  values: readonly number[];
}

/** The JSON form of {@link piecewiseConstant}. */
export interface PiecewiseConstantJSON {
  /** The type tag. */
  type: 'piecewiseConstant';
  /** See {@link PiecewiseConstantOptions.boundaries}. */
  boundaries: number[];
  /** See {@link PiecewiseConstantOptions.values}. */
  values: number[];
}

/**
 * Checks that `boundaries` are strictly increasing integers `>= 1` and returns a copy.
 * `name` is used in the `RangeError` (e.g. `boundaries[2]`).
 */
export function requireBoundaries(name: string, boundaries: readonly number[]): number[] {
  if (!Array.isArray(boundaries)) {
    throw new RangeError(`${name} must be an array of integers, got ${typeof boundaries}`);
  }
  const copy = [...boundaries];
  copy.forEach((b, i) => {
    const min = i === 0 ? 1 : copy[i - 1]! + 1;
    if (typeof b !== 'number' || !Number.isInteger(b) || b < min) {
      throw new RangeError(
        `${name}[${i}] must be an integer >= ${min} (boundaries are strictly increasing integers >= 1), got ${String(b)}`,
      );
    }
  });
  return copy;
}

/**
 * The number of boundaries `<= step` in the sorted array `boundaries`
 * (binary search, O(log n), no allocation): the index of the piece `step` is in.
 */
export function pieceIndex(boundaries: readonly number[], step: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A step function (optax `piecewise_constant_schedule` with absolute values):
 *
 * $$ v(t) = \mathrm{values}_i \quad \text{for } \mathrm{boundaries}_{i-1} \le t < \mathrm{boundaries}_i, $$
 *
 * i.e. `values[0]` before `boundaries[0]`, `values[i]` from `boundaries[i − 1]`
 * (inclusive) up to `boundaries[i]` (exclusive), and the last value from the last
 * boundary on. **The new value takes effect AT the boundary step**, as in
 * {@link join} and optax's `join_schedules` (tf.keras `PiecewiseConstantDecay`
 * switches one step later, after the boundary). Lookup is a binary search.
 *
 * @example
 * ```ts
 * import { piecewiseConstant } from '@flood/schedulers';
 * const s = piecewiseConstant({ boundaries: [100, 200], values: [0.1, 0.05, 0.01] });
 * console.log(s(99), s(100), s(200)); // 0.1 0.05 0.01
 * ```
 * @throws RangeError if a boundary is not an integer `>= 1` greater than the one before,
 *   `values.length !== boundaries.length + 1`, or a value is not finite.
 */
export function piecewiseConstant(options: PiecewiseConstantOptions): Schedule {
  const boundaries = requireBoundaries('boundaries', options.boundaries);
  if (!Array.isArray(options.values) || options.values.length !== boundaries.length + 1) {
    throw new RangeError(
      `values must have boundaries.length + 1 = ${boundaries.length + 1} entries, got ${
        Array.isArray(options.values) ? options.values.length : typeof options.values
      }`,
    );
  }
  const values = options.values.map((v, i) => requireFinite(`values[${i}]`, v));
  return defineSchedule(
    (t) => values[pieceIndex(boundaries, t)]!,
    (): PiecewiseConstantJSON => ({
      type: 'piecewiseConstant',
      boundaries: [...boundaries],
      values: [...values],
    }),
    (horizon) => {
      const used = values.slice(0, pieceIndex(boundaries, horizon - 1) + 1);
      return { min: Math.min(...used), max: Math.max(...used) };
    },
  );
}
