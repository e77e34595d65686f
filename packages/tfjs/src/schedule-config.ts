/**
 * Hyper-parameters as `number | Schedule` in optimizer configs.
 *
 * @module
 */
import {
  deserializeSchedule,
  isSchedule,
  type Schedule,
  type ScheduleLike,
  scheduleValue,
} from '@flood/core';

/** Rebuilds a `Schedule` from the object its `toJSON()` returned. */
export type ScheduleDeserializer = (json: object) => Schedule;

let deserializer: ScheduleDeserializer | undefined;

/**
 * Overrides how `@flood/tfjs` rebuilds schedules when an optimizer is loaded
 * with `tf.loadLayersModel` (its config holds each schedule's `toJSON()`).
 *
 * Not needed any more: importing `@flood/schedulers` registers its schedules
 * with `@flood/core`'s registry, which the loader reads; register schedules of
 * your own with `registerScheduleType` from `@flood/core`. A deserializer set
 * here is still used first, for every schedule.
 *
 * @deprecated import `@flood/schedulers` (or call `registerScheduleType` from
 *   `@flood/core` for your own schedule types) instead.
 * @param fn - the deserializer; `undefined` unregisters it.
 * @example
 * ```ts
 * import { scheduleFromJSON } from '@flood/schedulers';
 * import { registerScheduleDeserializer } from '@flood/tfjs';
 * registerScheduleDeserializer(scheduleFromJSON); // not needed: the import alone registers
 * ```
 */
export function registerScheduleDeserializer(fn: ScheduleDeserializer | undefined): void {
  if (fn !== undefined && typeof fn !== 'function') {
    throw new RangeError(`deserializer must be a function or undefined, got ${typeof fn}`);
  }
  deserializer = fn;
}

/** A hyper-parameter as it goes into a config: the number, or the schedule's JSON. */
export function scheduleToConfig(value: ScheduleLike): number | object {
  return typeof value === 'number' ? value : value.toJSON();
}

/** Reads a hyper-parameter back from a config. */
export function scheduleFromConfig(name: string, value: unknown): ScheduleLike | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || isSchedule(value)) return value;
  if (typeof value === 'object') {
    if (deserializer) return deserializer(value);
    try {
      return deserializeSchedule(value);
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(`${name}: ${e.message}`);
      throw e;
    }
  }
  throw new RangeError(`${name} in the optimizer config must be a number or a schedule`);
}

/** Reads `value` at `step` and checks it with `check` (a validator naming `name`). */
export function hyperValue(
  name: string,
  value: ScheduleLike,
  step: number,
  check: (name: string, v: number) => number,
): number {
  return check(name, scheduleValue(name, value, step));
}
