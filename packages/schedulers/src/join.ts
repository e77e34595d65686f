import { isSchedule, type Schedule } from '@flood/core';
import { defineSchedule, type ValueRange, valueRange } from './define-schedule.js';
import { pieceIndex, requireBoundaries } from './piecewise-constant.js';

/** The JSON form of {@link join}: the nested schedules' own JSON. */
export interface JoinJSON {
  /** The type tag. */
  type: 'join';
  /** `toJSON()` of each joined schedule, in order. */
  schedules: object[];
  /** The steps at which the next schedule takes over. */
  boundaries: number[];
}

/**
 * Glues schedules end to end (optax `join_schedules`): `schedules[0]` runs
 * before `boundaries[0]`, and from `boundaries[i − 1]` on `schedules[i]` runs
 * **with its own step count restarted at 0**:
 *
 * $$ v(t) = s_i(t - b_{i-1}) \quad \text{for } b_{i-1} \le t < b_i $$
 *
 * (with $s_i$ = `schedules[i]`, $b_i$ = `boundaries[i]`, $b_{-1} = 0$). So at the boundary step itself the next schedule
 * is already in charge, at its step 0.
 *
 * @example
 * ```ts
 * import { cosine, join, linear } from '@flood/schedulers';
 * // Warm up for 100 steps, then a cosine decay over the next 900.
 * const s = join([linear({ from: 0, to: 1, steps: 100 }), cosine({ from: 1, to: 0, steps: 900 })], [100]);
 * console.log(s(50), s(100), s(550), s(1000)); // 0.5 1 0.5 0
 * ```
 * @param schedules - at least one `Schedule`.
 * @param boundaries - `schedules.length − 1` strictly increasing integers `>= 1`.
 * @throws RangeError if a schedule is not a Schedule, or the boundaries are not as above.
 */
export function join(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new RangeError('schedules must be a non-empty array of Schedules');
  }
  const parts = schedules.map((s, i) => {
    if (!isSchedule(s)) throw new RangeError(`schedules[${i}] must be a Schedule, got ${typeof s}`);
    return s;
  });
  const bounds = requireBoundaries('boundaries', boundaries);
  if (bounds.length !== parts.length - 1) {
    throw new RangeError(
      `boundaries must have schedules.length − 1 = ${parts.length - 1} entries, got ${bounds.length}`,
    );
  }
  return defineSchedule(
    (t) => {
      const i = pieceIndex(bounds, t);
      return parts[i]!(i === 0 ? t : t - bounds[i - 1]!);
    },
    (): JoinJSON => ({
      type: 'join',
      schedules: parts.map((s) => s.toJSON()),
      boundaries: [...bounds],
    }),
    (horizon) => joinedRange(parts, bounds, horizon),
  );
}

/**
 * The range of joined schedules over the first `horizon` steps, or `undefined`
 * if one of the parts in use has no known range.
 */
export function joinedRange(
  parts: readonly Schedule[],
  bounds: readonly number[],
  horizon: number,
): ValueRange | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < parts.length; i++) {
    const start = i === 0 ? 0 : bounds[i - 1]!;
    if (start >= horizon) break;
    const end = i < bounds.length ? Math.min(bounds[i]!, horizon) : horizon;
    const r = valueRange(parts[i]!, end - start);
    if (!r) return undefined;
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
  }
  return { min, max };
}
