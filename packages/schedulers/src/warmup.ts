import { isSchedule, requireFinite, requireInteger, type Schedule } from '@flood/core';
import { constant } from './constant.js';
import { defineSchedule } from './define-schedule.js';
import { joinedRange } from './join.js';
import { linear } from './linear.js';

/** Options of {@link warmup}. */
export interface WarmupOptions {
  /** The length of the warm-up in steps (an integer `>= 0`; 0 means no warm-up). */
  steps: number;
  /** The value reached at step `steps` (finite). */
  to: number;
  /** The value at step 0 (finite). Default 0. */
  from?: number;
  /** What runs after the warm-up, with its step count restarted at 0. Default `constant(to)`. */
  then?: Schedule;
}

/** The JSON form of {@link warmup}. */
export interface WarmupJSON {
  /** The type tag. */
  type: 'warmup';
  /** See {@link WarmupOptions.steps}. */
  steps: number;
  /** See {@link WarmupOptions.from}. */
  from: number;
  /** See {@link WarmupOptions.to}. */
  to: number;
  /** `toJSON()` of the schedule that follows. */
  then: object;
}

/**
 * A linear warm-up from `from` (default 0) to `to` over `steps` steps, then
 * `then` (default: hold `to`), which restarts its own step count at 0:
 *
 * $$ v(t) = \begin{cases} \mathrm{from} + (\mathrm{to} - \mathrm{from}) \, t / \mathrm{steps} & t < \mathrm{steps} \\ \mathrm{then}(t - \mathrm{steps}) & t \ge \mathrm{steps} \end{cases} $$
 *
 * This is `join([linear({ from, to, steps }), then], [steps])` with its own JSON
 * tag. `then` usually starts at `to` (e.g. a cosine decay from `to`), so the
 * values are continuous; that is not enforced. Monotone (non-decreasing for
 * `to >= from`) when `then` is the default.
 *
 * @throws RangeError if `steps` is not an integer `>= 0`, `from`/`to` are not finite,
 *   or `then` is not a Schedule.
 */
export function warmup(options: WarmupOptions): Schedule {
  const steps = requireInteger('steps', options.steps, 0);
  const to = requireFinite('to', options.to);
  const from = requireFinite('from', options.from ?? 0);
  if (options.then !== undefined && !isSchedule(options.then)) {
    throw new RangeError(`then must be a Schedule, got ${typeof options.then}`);
  }
  const then = options.then ?? constant(to);
  const ramp = linear({ from, to, steps });
  const parts = steps === 0 ? [then] : [ramp, then];
  const bounds = steps === 0 ? [] : [steps];
  return defineSchedule(
    (t) => (t < steps ? ramp(t) : then(t - steps)),
    (): WarmupJSON => ({
      type: 'warmup',
      steps,
      from,
      to,
      // biome-ignore lint/suspicious/noThenProperty: `then` is warmup's option name in the API contract; JSON is never callable, so never a thenable.
      then: then.toJSON(),
    }),
    (horizon) => joinedRange(parts, bounds, horizon),
  );
}
