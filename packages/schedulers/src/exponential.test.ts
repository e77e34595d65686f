import { describe, expect, it } from 'vitest';
import { valueRange } from './define-schedule.js';
import { exponential } from './exponential.js';

describe('exponential', () => {
  it('is from · rate^(t/steps)', () => {
    const s = exponential({ from: 2, rate: 0.5, steps: 10 });
    expect(s(0)).toBe(2);
    expect(s(5)).toBeCloseTo(Math.SQRT2, 15); // 2 · 0.5^0.5
    expect(s(10)).toBeCloseTo(1, 15);
    expect(s(30)).toBeCloseTo(0.25, 15);
  });
  it('with staircase changes in jumps every `steps` steps', () => {
    const s = exponential({ from: 2, rate: 0.5, steps: 10, staircase: true });
    expect([0, 9, 10, 19, 20].map(s)).toEqual([2, 2, 1, 1, 0.5]);
  });
  it('decreases monotonically for rate < 1 and increases for rate > 1', () => {
    const down = exponential({ from: 1, rate: 0.9, steps: 3 });
    const up = exponential({ from: 1, rate: 1.1, steps: 3 });
    for (let t = 1; t < 200; t++) {
      expect(down(t)).toBeLessThan(down(t - 1));
      expect(up(t)).toBeGreaterThan(up(t - 1));
    }
  });
  it('never passes `end`', () => {
    const down = exponential({ from: 1, rate: 0.5, steps: 1, end: 0.1 });
    expect(down(3)).toBe(0.125);
    expect(down(4)).toBe(0.1);
    expect(down(100)).toBe(0.1);
    const up = exponential({ from: 1, rate: 2, steps: 1, end: 5 });
    expect(up(2)).toBe(4);
    expect(up(3)).toBe(5);
    expect(up(1e6)).toBe(5);
  });
  it('knows its range analytically: [limit, from] when decaying, up to `end` or ∞ when growing', () => {
    expect(valueRange(exponential({ from: 1, rate: 0.5, steps: 2 }))).toEqual({ min: 0, max: 1 });
    expect(valueRange(exponential({ from: 1, rate: 0.5, steps: 2, end: 0.3 }))).toEqual({
      min: 0.3,
      max: 1,
    });
    expect(valueRange(exponential({ from: 1, rate: 2, steps: 2 }))).toEqual({
      min: 1,
      max: Number.POSITIVE_INFINITY,
    });
    expect(valueRange(exponential({ from: 1, rate: 0.5, steps: 1 }), 3)).toEqual({
      min: 0.25,
      max: 1,
    });
  });
  it.each([
    [{ from: Number.NaN, rate: 0.5, steps: 1 }, /from must be a finite number/],
    [{ from: 1, rate: 0, steps: 1 }, /rate must be a finite number > 0/],
    [{ from: 1, rate: -2, steps: 1 }, /rate must be a finite number > 0/],
    [{ from: 1, rate: 0.5, steps: 0 }, /steps must be an integer >= 1/],
    [{ from: 1, rate: 0.5, steps: 1, end: 2 }, /end must be <= from/],
    [{ from: 1, rate: 2, steps: 1, end: 0.5 }, /end must be >= from/],
    [{ from: 1, rate: 2, steps: 1, end: Number.NaN }, /end must be a finite number/],
  ])('rejects %o', (o, message) => {
    expect(() => exponential(o)).toThrow(RangeError);
    expect(() => exponential(o)).toThrow(message);
  });
});
