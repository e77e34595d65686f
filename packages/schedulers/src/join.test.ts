import type { Schedule } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';
import { cosine } from './cosine.js';
import { valueRange } from './define-schedule.js';
import { join } from './join.js';
import { linear } from './linear.js';

describe('join', () => {
  it('restarts each later schedule at its own step 0, at the boundary step', () => {
    const s = join(
      [linear({ from: 0, to: 1, steps: 10 }), linear({ from: 5, to: 6, steps: 10 }), constant(-1)],
      [4, 14],
    );
    expect(s(0)).toBe(0);
    expect(s(3)).toBeCloseTo(0.3, 15);
    expect(s(4)).toBe(5); // second schedule at its step 0
    expect(s(9)).toBeCloseTo(5.5, 15); // its step 5
    expect(s(13)).toBeCloseTo(5.9, 15);
    expect(s(14)).toBe(-1);
    expect(s(1e7)).toBe(-1);
  });
  it('warm-up then cosine decay (the usual learning-rate shape) is continuous at the boundary', () => {
    const s = join(
      [linear({ from: 0, to: 1, steps: 100 }), cosine({ from: 1, to: 0, steps: 900 })],
      [100],
    );
    expect(s(99)).toBeCloseTo(0.99, 14);
    expect(s(100)).toBe(1);
    expect(s(550)).toBeCloseTo(0.5, 14);
    expect(s(1000)).toBe(0);
  });
  it('serialises the nested schedules recursively', () => {
    const s = join([constant(1), linear({ from: 1, to: 0, steps: 3 })], [2]);
    expect(JSON.parse(JSON.stringify(s))).toEqual({
      type: 'join',
      schedules: [
        { type: 'constant', value: 1 },
        { type: 'linear', from: 1, to: 0, steps: 3 },
      ],
      boundaries: [2],
    });
  });
  it('bounds its values by the parts it reaches, each over its own stretch of steps', () => {
    // The ramp to 2 is cut off after 10 steps (steps 0…9), where it has reached 0.18.
    const s = join([linear({ from: 0, to: 2, steps: 100 }), constant(0.1)], [10]);
    expect(valueRange(s)?.min).toBe(0);
    expect(valueRange(s)?.max).toBeCloseTo(0.18, 15);
    expect(valueRange(s, 5)?.max).toBeCloseTo(0.08, 15);
  });
  it('has no known range when a part is not one of this package', () => {
    const custom = Object.assign((t: number) => t, { toJSON: () => ({ type: 'custom' }) });
    expect(valueRange(join([constant(0), custom], [3]))).toBeUndefined();
    expect(valueRange(join([constant(0), custom], [3]), 3)).toEqual({ min: 0, max: 0 });
  });
  it.each([
    [[], [], /schedules must be a non-empty array/],
    [[constant(1), 3 as unknown as Schedule], [2], /schedules\[1\] must be a Schedule/],
    [
      [constant(1), constant(2)],
      [],
      /boundaries must have schedules.length − 1 = 1 entries, got 0/,
    ],
    [[constant(1), constant(2)], [0], /boundaries\[0\] must be an integer >= 1/],
    [[constant(1), constant(2), constant(3)], [4, 4], /boundaries\[1\] must be an integer >= 5/],
  ])('rejects %o %o', (schedules, boundaries, message) => {
    expect(() => join(schedules, boundaries)).toThrow(RangeError);
    expect(() => join(schedules, boundaries)).toThrow(message);
  });
});
