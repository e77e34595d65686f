import { requireFinite, requireInteger, type Schedule } from '@flood/core';
import { between, defineSchedule, lastStep } from './define-schedule.js';

/** Options of {@link linear} and {@link cosine}: a ramp from `from` to `to` over `steps` steps. */
export interface RampOptions {
  /** The value at step 0 (finite). */
  from: number;
  /** The value at step `steps` and at every later step (finite). */
  to: number;
  /** The length of the ramp in steps (an integer `>= 0`; 0 means `to` from step 0). */
  steps: number;
}

/** The JSON form of {@link linear}. */
export interface LinearJSON extends RampOptions {
  /** The type tag. */
  type: 'linear';
}

/** Validates ramp options, naming the argument in the `RangeError`. */
export function requireRamp(o: RampOptions): RampOptions {
  return {
    from: requireFinite('from', o.from),
    to: requireFinite('to', o.to),
    steps: requireInteger('steps', o.steps, 0),
  };
}

/**
 * A linear ramp that holds `to` after `steps` (optax `linear_schedule`):
 *
 * $$ v(t) = \mathrm{from} + (\mathrm{to} - \mathrm{from}) \cdot \frac{\min(t, \mathrm{steps})}{\mathrm{steps}} $$
 *
 * so value(0) = from and value(t) = to exactly for every t ≥ steps. The values
 * are monotone (non-decreasing if `to >= from`, non-increasing otherwise) and
 * never leave the interval between `from` and `to`.
 *
 * @throws RangeError if `from` or `to` is not finite or `steps` is not an integer `>= 0`.
 */
export function linear(options: RampOptions): Schedule {
  const { from, to, steps } = requireRamp(options);
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const value = (t: number): number =>
    t >= steps ? to : t === 0 ? from : Math.min(hi, Math.max(lo, from + ((to - from) * t) / steps));
  return defineSchedule(
    value,
    (): LinearJSON => ({ type: 'linear', from, to, steps }),
    (horizon) => between(value(0), value(lastStep(horizon, steps))),
  );
}
