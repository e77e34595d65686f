import { describe, expect, it } from 'vitest';
import { valueRange } from './define-schedule.js';
import { type FloodLevelOptions, floodLevel } from './flood-level.js';

describe('floodLevel', () => {
  it('is 0 during the delay, rises linearly, then holds the level', () => {
    const b = floodLevel({ level: 0.2, delay: 3, warmup: 4 });
    expect([0, 1, 2, 3].map(b)).toEqual([0, 0, 0, 0]);
    expect(b(4)).toBeCloseTo(0.05, 15);
    expect(b(5)).toBeCloseTo(0.1, 15);
    expect(b(6)).toBeCloseTo(0.15, 15);
    expect([7, 8, 1e6].map(b)).toEqual([0.2, 0.2, 0.2]);
  });
  it('rises by (1 − cos(πu/w))/2 with shape cosine', () => {
    const b = floodLevel({ level: 1, delay: 2, warmup: 4, shape: 'cosine' });
    expect(b(1)).toBe(0);
    expect(b(2)).toBe(0);
    expect(b(3)).toBeCloseTo((1 - Math.SQRT1_2) / 2, 15);
    expect(b(4)).toBeCloseTo(0.5, 15);
    expect(b(5)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15);
    expect(b(6)).toBe(1);
  });
  it('without delay or warm-up is the level from step 0', () => {
    expect(floodLevel({ level: 0.3 })(0)).toBe(0.3);
  });
  it.each(['linear', 'cosine'] as const)(
    'never decreases and stays in [0, level] (%s)',
    (shape) => {
      const b = floodLevel({ level: 0.27, delay: 5, warmup: 13, shape });
      for (let t = 1; t < 30; t++) {
        expect(b(t)).toBeGreaterThanOrEqual(b(t - 1));
        expect(b(t)).toBeLessThanOrEqual(0.27);
      }
      expect(valueRange(b)).toEqual({ min: 0, max: 0.27 });
      expect(valueRange(b, 5)).toEqual({ min: 0, max: 0 });
    },
  );
  it.each([
    [{ level: -0.1 }, /level must be a finite number >= 0/],
    [{ level: Number.NaN }, /level must be a finite number >= 0/],
    [{ level: 0.1, delay: -1 }, /delay must be an integer >= 0/],
    [{ level: 0.1, warmup: 1.5 }, /warmup must be an integer >= 0/],
    [
      { level: 0.1, shape: 'step' as FloodLevelOptions['shape'] },
      /shape must be one of "linear", "cosine"/,
    ],
  ])('rejects %o', (o, message) => {
    expect(() => floodLevel(o)).toThrow(RangeError);
    expect(() => floodLevel(o)).toThrow(message);
  });
});
