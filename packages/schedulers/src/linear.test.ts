import { describe, expect, it } from 'vitest';
import { linear } from './linear.js';

describe('linear', () => {
  it('matches hand-computed values and holds `to` after `steps`', () => {
    // from 1 to 3 over 4 steps: +0.5 per step.
    const s = linear({ from: 1, to: 3, steps: 4 });
    expect([0, 1, 2, 3, 4, 5, 1000].map(s)).toEqual([1, 1.5, 2, 2.5, 3, 3, 3]);
  });
  it('decreases when to < from', () => {
    const s = linear({ from: 1, to: 0, steps: 8 });
    expect(s(2)).toBe(0.75);
    expect(s(8)).toBe(0);
    expect(s(9)).toBe(0);
  });
  it('with steps = 0 is `to` from step 0', () => {
    expect(linear({ from: 5, to: 2, steps: 0 })(0)).toBe(2);
  });
  it('is monotone and never leaves [from, to], even where rounding could overshoot', () => {
    const s = linear({ from: 0.1, to: 0.3, steps: 7 });
    let previous = s(0);
    for (let t = 1; t <= 10; t++) {
      expect(s(t)).toBeGreaterThanOrEqual(previous);
      expect(s(t)).toBeLessThanOrEqual(0.3);
      previous = s(t);
    }
    expect(s(7)).toBe(0.3);
  });
  it.each([
    [{ from: Number.NaN, to: 1, steps: 1 }, /from must be a finite number/],
    [{ from: 0, to: Number.POSITIVE_INFINITY, steps: 1 }, /to must be a finite number/],
    [{ from: 0, to: 1, steps: -1 }, /steps must be an integer >= 0/],
    [{ from: 0, to: 1, steps: 2.5 }, /steps must be an integer >= 0/],
  ])('rejects %o', (o, message) => {
    expect(() => linear(o)).toThrow(RangeError);
    expect(() => linear(o)).toThrow(message);
  });
  it('rejects a step that is not an integer >= 0', () => {
    expect(() => linear({ from: 0, to: 1, steps: 3 })(-1)).toThrow(/step must be an integer >= 0/);
  });
});
