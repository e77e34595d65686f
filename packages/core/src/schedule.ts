import { requireInteger } from './validate.js';

/**
 * A schedule: a pure function from the step (an integer `>= 0`, usually the
 * optimizer's iteration count) to a hyper-parameter value, that serialises with
 * `toJSON()` (see `scheduleFromJSON` in `@flood/schedulers`).
 */
export type Schedule = ((step: number) => number) & {
  /** A JSON description from which `scheduleFromJSON` (`@flood/schedulers`) rebuilds it. */
  toJSON(): object;
};

/** A hyper-parameter given either as a constant or as a {@link Schedule}. */
export type ScheduleLike = number | Schedule;

/** What an {@link AdaptiveSchedule} is told after each evaluation. */
export interface TrainingObservation {
  /** The step (optimizer iteration) at which the observation was made. */
  step: number;
  /** The current training loss (e.g. the epoch's mean training loss). */
  trainingLoss: number;
  /** The current validation loss, if one was measured. */
  validationLoss?: number;
}

/**
 * A schedule that also learns from training, like the adaptive flood level of
 * `@flood/schedulers`: it is read as a {@link Schedule} every step and told
 * about the training and validation losses with {@link AdaptiveSchedule.observe}.
 * Its state serialises with `getState()` and restores with `setState()`.
 */
export interface AdaptiveSchedule extends Schedule {
  /** A JSON description of the schedule's configuration (not its learned state). */
  toJSON(): object;
  /** Feeds one observation (e.g. at the end of an epoch). */
  observe(observation: TrainingObservation): void;
  /** A JSON-serialisable snapshot of the internal state. */
  getState(): Record<string, unknown>;
  /** Restores a snapshot made by `getState()`. */
  setState(state: Record<string, unknown>): void;
}

/** True if `value` is a {@link Schedule} (a function with `toJSON`). */
export function isSchedule(value: unknown): value is Schedule {
  return typeof value === 'function' && typeof (value as Schedule).toJSON === 'function';
}

/** True if `value` is an {@link AdaptiveSchedule}. */
export function isAdaptiveSchedule(value: unknown): value is AdaptiveSchedule {
  return (
    isSchedule(value) &&
    typeof (value as AdaptiveSchedule).observe === 'function' &&
    typeof (value as AdaptiveSchedule).getState === 'function' &&
    typeof (value as AdaptiveSchedule).setState === 'function'
  );
}

/**
 * The value of a hyper-parameter at `step`: the number itself, or the schedule
 * evaluated at `step`. The result is checked to be finite (a schedule that
 * returns NaN is a bug worth an error, not a silent NaN step), and, when
 * `check` is given, to lie in the hyper-parameter's range.
 *
 * @param name - the hyper-parameter's name, used in error messages.
 * @param value - a number or a {@link Schedule}.
 * @param step - an integer `>= 0`.
 * @param check - optional range check, e.g. `requireNonNegative`; it is
 *   called as `check(name, v)` and must throw a `RangeError` for bad values.
 * @returns the value at `step`.
 * @throws RangeError if `step` is not an integer `>= 0`, the value is not a
 *   finite number, or `check` rejects it.
 * @example
 * ```ts
 * import { requireNonNegative, scheduleValue } from '@flood/core';
 * const mySchedule = Object.assign((step: number) => 0.01 * step, { toJSON: () => ({ type: 'mine' }) });
 * console.log(scheduleValue('level', 0.1, 7)); // 0.1
 * console.log(scheduleValue('rho', mySchedule, 7, requireNonNegative)); // mySchedule(7) = 0.07, checked >= 0
 * ```
 */
export function scheduleValue(
  name: string,
  value: ScheduleLike,
  step: number,
  check?: (name: string, value: number) => number,
): number {
  requireInteger('step', step, 0);
  if (typeof value !== 'number' && typeof value !== 'function') {
    throw new RangeError(`${name} must be a number or a Schedule, got ${typeof value}`);
  }
  const v = typeof value === 'number' ? value : value(step);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`${name} must be a finite number at step ${step}, got ${String(v)}`);
  }
  if (check) check(name, v);
  return v;
}

/**
 * Checks a hyper-parameter given as a number or a schedule: a number must lie in
 * the allowed range now (`check`), a schedule is checked at every step it is read
 * (pass the same `check` to {@link scheduleValue}).
 *
 * @param name - the hyper-parameter's name, used in error messages.
 * @param value - what the user passed.
 * @param check - the range check for numbers, e.g. `requirePositive`.
 * @returns `value`, typed as a {@link ScheduleLike}.
 * @throws RangeError naming `name` if `value` is neither a number in range nor a
 *   {@link Schedule}.
 */
export function requireScheduleLike(
  name: string,
  value: unknown,
  check: (name: string, value: number) => number,
): ScheduleLike {
  if (typeof value === 'number') {
    check(name, value);
    return value;
  }
  if (isSchedule(value)) return value;
  throw new RangeError(`${name} must be a number or a Schedule, got ${typeof value}`);
}
