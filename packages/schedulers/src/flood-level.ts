import { requireInteger, requireNonNegative, requireOneOf, type Schedule } from '@flood/core';
import { between, defineSchedule, lastStep } from './define-schedule.js';

/** The two warm-up shapes of {@link floodLevel}. */
export type RampShape = 'linear' | 'cosine';

/** Options of {@link floodLevel}. */
export interface FloodLevelOptions {
  /** The flood level b held after the warm-up (finite, `>= 0`), in units of the training loss. */
  level: number;
  /** Steps with b = 0 (flooding off) before the warm-up starts (an integer `>= 0`). Default 0. */
  delay?: number;
  /** Length of the rise from 0 to `level` in steps (an integer `>= 0`; 0 = jump). Default 0. */
  warmup?: number;
  /** How b rises during the warm-up: `'linear'` or `'cosine'` (zero slope at both ends). Default `'linear'`. */
  shape?: RampShape;
}

/** The JSON form of {@link floodLevel}. */
export interface FloodLevelJSON {
  /** The type tag. */
  type: 'floodLevel';
  /** See {@link FloodLevelOptions.level}. */
  level: number;
  /** See {@link FloodLevelOptions.delay}. */
  delay: number;
  /** See {@link FloodLevelOptions.warmup}. */
  warmup: number;
  /** See {@link FloodLevelOptions.shape}. */
  shape: RampShape;
}

/**
 * A flood level b for flooding (Ishida et al., ICML 2020: minimise |L − b| + b):
 * off (b = 0) for `delay` steps, then a rise from 0 to `level` over `warmup`
 * steps, then `level` for good. With u = t − delay:
 *
 * $$ b(t) = \begin{cases} 0 & t < \mathrm{delay} \\ \mathrm{level} \cdot r(u / \mathrm{warmup}) & 0 \le u < \mathrm{warmup} \\ \mathrm{level} & u \ge \mathrm{warmup} \end{cases} $$
 *
 * with $r(x) = x$ (`'linear'`) or $r(x) = (1 - \cos \pi x)/2$ (`'cosine'`).
 *
 * **When to use it.** A fixed b > 0 from step 0 pushes the loss back up as soon
 * as a batch dips below b, which early in training is only noise. Flooding is
 * meant to act once the training loss has come down to about b; the usual
 * choice of b is somewhat below the training loss at which the unflooded run's
 * validation loss starts rising. Delay flooding until roughly then, and warm it
 * up so the switch from descent to the descent/ascent alternation is gradual.
 * If you do not know that point in advance, use {@link adaptiveFloodLevel}.
 * b never decreases and never leaves [0, level].
 *
 * @example
 * ```ts
 * import { floodLevel } from '@flood/schedulers';
 * const b = floodLevel({ level: 0.25, delay: 2000, warmup: 1000, shape: 'cosine' });
 * console.log(b(0), b(2500), b(3000)); // 0, 0.125 (half-way up the cosine ramp), 0.25
 * ```
 * @throws RangeError if `level` is not finite and `>= 0`, `delay`/`warmup` are not
 *   integers `>= 0`, or `shape` is not `'linear'`/`'cosine'`.
 */
export function floodLevel(options: FloodLevelOptions): Schedule {
  const level = requireNonNegative('level', options.level);
  const delay = requireInteger('delay', options.delay ?? 0, 0);
  const warmup = requireInteger('warmup', options.warmup ?? 0, 0);
  const shape = requireOneOf('shape', options.shape ?? 'linear', ['linear', 'cosine'] as const);
  const rise =
    shape === 'linear' ? (x: number) => x : (x: number) => (1 - Math.cos(Math.PI * x)) / 2;
  const value = (t: number): number => {
    if (t < delay) return 0;
    const u = t - delay;
    return u >= warmup ? level : Math.min(level, Math.max(0, level * rise(u / warmup)));
  };
  return defineSchedule(
    value,
    (): FloodLevelJSON => ({ type: 'floodLevel', level, delay, warmup, shape }),
    (horizon) => between(value(0), value(lastStep(horizon, delay + warmup))),
  );
}
