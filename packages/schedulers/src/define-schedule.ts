/**
 * The one way every schedule in this package is built: a step → value function
 * with `toJSON`, registered with the range of values it can take so that
 * {@link valueRange} can bound it analytically (used by `backstitchRatio`).
 *
 * @module
 */
import { requireInteger, type Schedule } from '@flood/core';

/** The least and the greatest value of a schedule over a range of steps (bounds, inclusive). */
export interface ValueRange {
  /** A lower bound: no value is smaller (it may be an unattained infimum). */
  readonly min: number;
  /** An upper bound: no value is larger (it may be an unattained supremum, or `Infinity`). */
  readonly max: number;
}

/** The range of a schedule over the steps `0 … horizon − 1` (`horizon` may be `Infinity`), if known. */
type RangeOver = (horizon: number) => ValueRange | undefined;

const ranges = new WeakMap<Schedule, RangeOver>();

/**
 * Builds a `Schedule` from its value function (called with a validated
 * integer step `>= 0`), its JSON form, and its analytic range.
 */
export function defineSchedule(
  value: (step: number) => number,
  toJSON: () => object,
  range: RangeOver,
): Schedule {
  const schedule = Object.assign((step: number) => value(requireInteger('step', step, 0)), {
    toJSON,
  });
  ranges.set(schedule, range);
  return schedule;
}

/**
 * Bounds on the values `schedule` takes at the steps `0 … horizon − 1`, known
 * analytically for the schedules of this package (nested ones included), or
 * `undefined` for a schedule built elsewhere.
 */
export function valueRange(
  schedule: Schedule,
  horizon = Number.POSITIVE_INFINITY,
): ValueRange | undefined {
  const range = ranges.get(schedule);
  return range && horizon > 0 ? range(horizon) : undefined;
}

/** The range of a monotone schedule from its first and last value. */
export function between(a: number, b: number): ValueRange {
  return { min: Math.min(a, b), max: Math.max(a, b) };
}

/** The last step `< horizon` that matters for a schedule that is constant from `steps` on. */
export function lastStep(horizon: number, steps: number): number {
  return Math.min(horizon - 1, steps);
}
