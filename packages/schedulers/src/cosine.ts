import type { Schedule } from '@flood/core';
import { between, defineSchedule, lastStep } from './define-schedule.js';
import { type RampOptions, requireRamp } from './linear.js';

/** The JSON form of {@link cosine}. */
export interface CosineJSON extends RampOptions {
  /** The type tag. */
  type: 'cosine';
}

/**
 * A half-cosine ramp from `from` to `to` over `steps` steps that then holds `to`
 * (optax `cosine_decay_schedule` with `alpha` expressed as the end value `to`):
 *
 * $$ v(t) = \mathrm{to} + (\mathrm{from} - \mathrm{to}) \cdot \frac{1 + \cos(\pi \min(t, \mathrm{steps}) / \mathrm{steps})}{2} $$
 *
 * It starts and ends with zero slope: value(0) = from and value(t) = to for
 * every t ≥ steps. Use it to decay (`to < from`) or to warm up smoothly
 * (`to > from`); it is monotone either way and stays between `from` and `to`.
 *
 * @throws RangeError if `from` or `to` is not finite or `steps` is not an integer `>= 0`.
 */
export function cosine(options: RampOptions): Schedule {
  const { from, to, steps } = requireRamp(options);
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const value = (t: number): number =>
    t >= steps
      ? to
      : t === 0
        ? from
        : Math.min(
            hi,
            Math.max(lo, to + ((from - to) * (1 + Math.cos((Math.PI * t) / steps))) / 2),
          );
  return defineSchedule(
    value,
    (): CosineJSON => ({ type: 'cosine', from, to, steps }),
    (horizon) => between(value(0), value(lastStep(horizon, steps))),
  );
}
