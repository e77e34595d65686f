import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isAdaptiveSchedule,
  isSchedule,
  requireScheduleLike,
  type Schedule,
  scheduleValue,
} from './schedule.js';
import { requireNonNegative, requirePositive } from './validate.js';

/** 0.1·(step + 1), serialisable. */
const ramp: Schedule = Object.assign((step: number) => 0.1 * (step + 1), {
  toJSON: () => ({ type: 'ramp' }),
});
const broken = (value: number): Schedule =>
  Object.assign((_step: number) => value, { toJSON: () => ({ type: 'broken' }) });

describe('scheduleValue', () => {
  it('returns a number as is and evaluates a schedule at the step', () => {
    expect(scheduleValue('level', 0.25, 10)).toBe(0.25);
    expect(scheduleValue('level', ramp, 4)).toBeCloseTo(0.5, 15);
    expect(scheduleValue('rho', ramp, 0, requirePositive)).toBeCloseTo(0.1, 15);
  });

  it('rejects a step that is not an integer >= 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.double({ noNaN: false }).filter((x) => !Number.isInteger(x)),
        ),
        (step) => {
          expect(() => scheduleValue('level', ramp, step)).toThrow(/step must be an integer >= 0/);
        },
      ),
    );
  });

  it('rejects a schedule value that is not finite, naming the hyper-parameter and step', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => scheduleValue('level', broken(bad), 3)).toThrow(
        /level must be a finite number at step 3/,
      );
      expect(() => scheduleValue('level', bad, 3)).toThrow(RangeError);
    }
  });

  it('applies the range check to numbers and schedule values', () => {
    expect(() => scheduleValue('level', broken(-1), 2, requireNonNegative)).toThrow(
      /level must be a finite number >= 0, got -1/,
    );
    expect(() => scheduleValue('level', -1, 2, requireNonNegative)).toThrow(RangeError);
  });

  it('rejects something that is neither a number nor a schedule', () => {
    expect(() => scheduleValue('level', '0.1' as unknown as number, 0)).toThrow(
      /level must be a number or a Schedule/,
    );
  });
});

describe('requireScheduleLike', () => {
  it('accepts a number in range and any schedule', () => {
    expect(requireScheduleLike('level', 0.1, requireNonNegative)).toBe(0.1);
    expect(requireScheduleLike('level', ramp, requireNonNegative)).toBe(ramp);
  });

  it('rejects numbers out of range and non-schedules', () => {
    expect(() => requireScheduleLike('level', -0.1, requireNonNegative)).toThrow(
      /level must be a finite number >= 0/,
    );
    for (const bad of ['0.1', {}, null, undefined, () => 1]) {
      expect(() => requireScheduleLike('level', bad, requireNonNegative)).toThrow(
        /level must be a number or a Schedule/,
      );
    }
  });
});

describe('isSchedule / isAdaptiveSchedule', () => {
  it('recognise functions with toJSON, and adaptive ones with observe/getState/setState', () => {
    expect(isSchedule(ramp)).toBe(true);
    expect(isSchedule(() => 1)).toBe(false);
    expect(isSchedule(0.1)).toBe(false);
    expect(isAdaptiveSchedule(ramp)).toBe(false);
    const adaptive = Object.assign(ramp.bind(null), {
      toJSON: () => ({}),
      observe: () => {},
      getState: () => ({}),
      setState: () => {},
    });
    expect(isAdaptiveSchedule(adaptive)).toBe(true);
  });
});
