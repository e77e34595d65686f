import { isSchedule, requireInRange, type Schedule } from '@flood/core';
import { constant } from './constant.js';
import { defineSchedule, valueRange } from './define-schedule.js';

/** The JSON form of {@link backstitchRatio}. */
export interface BackstitchRatioJSON {
  /** The type tag. */
  type: 'backstitchRatio';
  /** `toJSON()` of the wrapped ratio schedule. */
  ratio: object;
}

/**
 * A schedule for backstitch's ratio r = ε2/ε1 (the ascent rate over the descent
 * rate, `ratio` of `backstitch` in `@flood/tfjs`) that is **guaranteed to stay in
 * [0, 1)**: with ε2 = r·ε1 the effective learning rate ε1 − ε2 stays positive and
 * the implicit penalty ε1ε2 / (2(ε1 − ε2)) · ‖∇L‖² (docs/theory.md, "Without b:
 * backstitch") stays finite.
 *
 * For a number or a schedule of this package (nested ones included) the bound
 * is checked once, analytically, over all steps. Any other schedule is checked
 * at every step it is read, and throws at the first step where it leaves [0, 1).
 *
 * **When to use it.** Backstitch's Kaldi recipes use α = 0.2–0.3 (ε2 = αη,
 * ε1 = (1+α)η, so r = α/(1+α) ≈ 0.17–0.23) from the start. Ramp r up from 0
 * (e.g. `backstitchRatio(warmup({ steps: 1000, to: 0.2 }))`) when early training
 * is unstable, since the ascent step amplifies large early gradients.
 *
 * @param ratio - a number in [0, 1) or a `Schedule` whose values lie in [0, 1).
 * @throws RangeError if `ratio` can take a value outside [0, 1) (at construction for
 *   numbers and this package's schedules; at the offending step otherwise).
 */
export function backstitchRatio(ratio: number | Schedule): Schedule {
  let inner: Schedule;
  if (typeof ratio === 'number') {
    inner = constant(requireInRange('ratio', ratio, 0, 1, { upperOpen: true }));
  } else if (isSchedule(ratio)) {
    inner = ratio;
  } else {
    throw new RangeError(`ratio must be a number or a Schedule, got ${typeof ratio}`);
  }
  const range = valueRange(inner);
  if (range && !(range.min >= 0 && range.max < 1)) {
    throw new RangeError(
      `ratio must stay in [0, 1) at every step, but the schedule takes values in [${range.min}, ${range.max}]`,
    );
  }
  const value = range
    ? (t: number) => inner(t)
    : (t: number) => {
        const r = inner(t);
        if (!(r >= 0 && r < 1)) {
          throw new RangeError(`ratio must be in [0, 1), got ${r} at step ${t}`);
        }
        return r;
      };
  return defineSchedule(
    value,
    (): BackstitchRatioJSON => ({ type: 'backstitchRatio', ratio: inner.toJSON() }),
    (horizon) => valueRange(inner, horizon),
  );
}
