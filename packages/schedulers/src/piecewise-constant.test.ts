import { describe, expect, it } from 'vitest';
import { valueRange } from './define-schedule.js';
import { pieceIndex, piecewiseConstant } from './piecewise-constant.js';

describe('piecewiseConstant', () => {
  const s = piecewiseConstant({ boundaries: [100, 200], values: [0.1, 0.05, 0.01] });
  it('switches AT the boundary step', () => {
    expect([0, 99, 100, 199, 200, 1e9].map(s)).toEqual([0.1, 0.1, 0.05, 0.05, 0.01, 0.01]);
  });
  it('with no boundaries is a constant', () => {
    const c = piecewiseConstant({ boundaries: [], values: [7] });
    expect([0, 5, 1e6].map(c)).toEqual([7, 7, 7]);
  });
  it('finds the piece by binary search, agreeing with a linear scan', () => {
    const boundaries = [1, 2, 5, 9, 10, 40];
    for (let t = 0; t < 45; t++) {
      expect(pieceIndex(boundaries, t)).toBe(boundaries.filter((b) => b <= t).length);
    }
  });
  it('knows the range of the values it reaches within a horizon', () => {
    expect(valueRange(s)).toEqual({ min: 0.01, max: 0.1 });
    expect(valueRange(s, 100)).toEqual({ min: 0.1, max: 0.1 });
    expect(valueRange(s, 101)).toEqual({ min: 0.05, max: 0.1 });
  });
  it('copies its arguments (later mutation does not change it)', () => {
    const boundaries = [10];
    const values = [1, 2];
    const p = piecewiseConstant({ boundaries, values });
    boundaries[0] = 1;
    values[1] = 99;
    expect(p(5)).toBe(1);
    expect(p(10)).toBe(2);
  });
  it.each([
    [{ boundaries: [0], values: [1, 2] }, /boundaries\[0\] must be an integer >= 1/],
    [{ boundaries: [5, 5], values: [1, 2, 3] }, /boundaries\[1\] must be an integer >= 6/],
    [{ boundaries: [5, 3], values: [1, 2, 3] }, /boundaries\[1\] must be an integer >= 6/],
    [{ boundaries: [1.5], values: [1, 2] }, /boundaries\[0\] must be an integer/],
    [
      { boundaries: [5], values: [1] },
      /values must have boundaries.length \+ 1 = 2 entries, got 1/,
    ],
    [{ boundaries: [5], values: [1, Number.NaN] }, /values\[1\] must be a finite number/],
  ])('rejects %o', (o, message) => {
    expect(() => piecewiseConstant(o)).toThrow(RangeError);
    expect(() => piecewiseConstant(o)).toThrow(message);
  });
});
