import { requireFinite, requireInteger, requirePositive, type Schedule } from '@flood/core';
import { between, defineSchedule } from './define-schedule.js';

/** Options of {@link exponential}. */
export interface ExponentialOptions {
  /** The value at step 0 (finite). */
  from: number;
  /** The factor applied every `steps` steps (finite, `> 0`; `< 1` decays, `> 1` grows). */
  rate: number;
  /** The transition length: the value is multiplied by `rate` every `steps` steps (an integer `>= 1`; optax `transition_steps`). */
  steps: number;
  /** If true, the exponent is `floor(step / steps)`, so the value changes in jumps every `steps` steps. Default false. */
  staircase?: boolean;
  /**
   * A bound the value never passes (optax `end_value`): the value is clamped to
   * the interval between `from` and `end`. It must lie in the direction the
   * schedule moves (`end <= from` when it decays towards 0 from above, …). Default: none.
   */
  end?: number;
}

/** The JSON form of {@link exponential}. */
export interface ExponentialJSON {
  /** The type tag. */
  type: 'exponential';
  /** See {@link ExponentialOptions.from}. */
  from: number;
  /** See {@link ExponentialOptions.rate}. */
  rate: number;
  /** See {@link ExponentialOptions.steps}. */
  steps: number;
  /** See {@link ExponentialOptions.staircase}. */
  staircase: boolean;
  /** See {@link ExponentialOptions.end}; absent when there is no bound. */
  end?: number;
}

/**
 * Exponential decay or growth (optax `exponential_decay` with
 * `transition_begin = 0`; use {@link join} to delay it):
 *
 * $$ v(t) = \mathrm{from} \cdot \mathrm{rate}^{t / \mathrm{steps}}, $$
 *
 * clamped to the interval between `from` and `end`, with `t / steps` replaced by
 * `floor(t / steps)` when `staircase` is set. The value is multiplied by `rate`
 * every `steps` steps: with `rate = 0.5, steps = 1000` it halves every 1000 steps.
 * It is monotone: for `from > 0` it decreases when `rate < 1` and increases when
 * `rate > 1`. Without `end` a decaying schedule tends to 0 and a growing one is
 * unbounded: it overflows to `Infinity` (which `scheduleValue` rejects) once
 * `from · rate^(t/steps)` exceeds about 1.8e308, so give a growing schedule an `end`.
 *
 * @throws RangeError if `from` is not finite, `rate` is not `> 0`, `steps` is not
 *   an integer `>= 1`, or `end` is not finite or lies behind `from`.
 */
export function exponential(options: ExponentialOptions): Schedule {
  const from = requireFinite('from', options.from);
  const rate = requirePositive('rate', options.rate);
  const steps = requireInteger('steps', options.steps, 1);
  const staircase = options.staircase ?? false;
  if (typeof staircase !== 'boolean') {
    throw new RangeError(`staircase must be a boolean, got ${typeof staircase}`);
  }
  // +1: moves up, -1: moves down, 0: constant.
  const direction = Math.sign(from) * Math.sign(rate - 1);
  const end = options.end;
  if (end !== undefined) {
    requireFinite('end', end);
    if ((end - from) * direction < 0) {
      throw new RangeError(
        `end must be ${direction > 0 ? '>=' : '<='} from (${from}) for a schedule that ${
          direction > 0 ? 'increases' : 'decreases'
        }, got ${end}`,
      );
    }
  }
  const lo =
    end === undefined ? (direction > 0 ? from : Number.NEGATIVE_INFINITY) : Math.min(from, end);
  const hi =
    end === undefined ? (direction < 0 ? from : Number.POSITIVE_INFINITY) : Math.max(from, end);
  const value = (t: number): number => {
    const exponent = staircase ? Math.floor(t / steps) : t / steps;
    return Math.min(hi, Math.max(lo, from * rate ** exponent));
  };
  return defineSchedule(
    value,
    (): ExponentialJSON =>
      end === undefined
        ? { type: 'exponential', from, rate, steps, staircase }
        : { type: 'exponential', from, rate, steps, staircase, end },
    (horizon) =>
      between(from, Number.isFinite(horizon) ? value(horizon - 1) : tail(from, rate, end)),
  );
}

/** The value a monotone exponential tends to as the step grows: 0, `end`, or ±∞. */
function tail(from: number, rate: number, end: number | undefined): number {
  if (rate === 1 || from === 0) return from;
  if (rate < 1) return end === undefined || (from > 0 ? end < 0 : end > 0) ? 0 : end;
  return end ?? Math.sign(from) * Number.POSITIVE_INFINITY;
}
