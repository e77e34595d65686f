import { requireFinite, type Schedule } from '@flood/core';
import { defineSchedule } from './define-schedule.js';

/** The JSON form of {@link constant}. */
export interface ConstantJSON {
  /** The type tag. */
  type: 'constant';
  /** The value at every step. */
  value: number;
}

/**
 * The schedule that is `value` at every step (optax `constant_schedule`).
 *
 * @param value - any finite number.
 * @throws RangeError if `value` is not finite.
 */
export function constant(value: number): Schedule {
  requireFinite('value', value);
  return defineSchedule(
    () => value,
    (): ConstantJSON => ({ type: 'constant', value }),
    () => ({ min: value, max: value }),
  );
}
