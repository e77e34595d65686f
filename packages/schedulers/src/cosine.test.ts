import { describe, expect, it } from 'vitest';
import { cosine } from './cosine.js';

describe('cosine', () => {
  it('matches the closed form (1 + cos(πt/T))/2 at hand-picked steps', () => {
    const s = cosine({ from: 1, to: 0, steps: 4 });
    expect(s(0)).toBe(1);
    expect(s(1)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15); // cos(π/4) = √2/2
    expect(s(2)).toBeCloseTo(0.5, 15);
    expect(s(3)).toBeCloseTo((1 - Math.SQRT1_2) / 2, 15);
    expect(s(4)).toBe(0);
    expect(s(100)).toBe(0);
  });
  it('warms up when to > from, symmetric about the midpoint', () => {
    const s = cosine({ from: 0.2, to: 1.2, steps: 10 });
    expect(s(0)).toBe(0.2);
    expect(s(5)).toBeCloseTo(0.7, 14);
    expect(s(3) - 0.2).toBeCloseTo(1.2 - s(7), 14);
    expect(s(10)).toBe(1.2);
  });
  it('is monotone and stays between from and to', () => {
    const s = cosine({ from: 3, to: -1, steps: 37 });
    for (let t = 1; t <= 40; t++) {
      expect(s(t)).toBeLessThanOrEqual(s(t - 1));
      expect(s(t)).toBeGreaterThanOrEqual(-1);
    }
  });
  it.each([
    [{ from: Number.NaN, to: 1, steps: 1 }, /from must be/],
    [{ from: 0, to: Number.NaN, steps: 1 }, /to must be/],
    [{ from: 0, to: 1, steps: 0.5 }, /steps must be an integer >= 0/],
  ])('rejects %o', (o, message) => {
    expect(() => cosine(o)).toThrow(RangeError);
    expect(() => cosine(o)).toThrow(message);
  });
});
