import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  requireFinite,
  requireInRange,
  requireInteger,
  requireNonNegative,
  requireOneOf,
  requirePositive,
} from './validate.js';

const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
const negative = fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('validators', () => {
  it('return valid values unchanged', () => {
    fc.assert(
      fc.property(finite, (x) => {
        expect(requireFinite('x', x)).toBe(x);
        if (x >= 0) expect(requireNonNegative('x', x)).toBe(x);
        if (x > 0) expect(requirePositive('x', x)).toBe(x);
      }),
    );
    expect(requireInteger('n', 3, 1)).toBe(3);
    expect(requireInRange('p', 0.5, 0, 1)).toBe(0.5);
    expect(requireOneOf('power', 2, [1, 2])).toBe(2);
  });

  it('throw RangeError naming the argument, the range and the value (property)', () => {
    fc.assert(
      fc.property(nonFinite, (x) => {
        expect(() => requireFinite('alpha', x)).toThrow(
          new RangeError(`alpha must be a finite number, got ${x}`),
        );
        expect(() => requireNonNegative('alpha', x)).toThrow(/alpha must be a finite number >= 0/);
        expect(() => requirePositive('alpha', x)).toThrow(/alpha must be a finite number > 0/);
        expect(() => requireInteger('alpha', x)).toThrow(/alpha must be an integer >= 0/);
        expect(() => requireInRange('alpha', x, 0, 1)).toThrow(/alpha must be a finite number in/);
      }),
    );
    fc.assert(
      fc.property(negative, (x) => {
        expect(() => requireNonNegative('beta', x)).toThrow(
          new RangeError(`beta must be a finite number >= 0, got ${x}`),
        );
        expect(() => requirePositive('beta', x)).toThrow(RangeError);
      }),
    );
    expect(() => requirePositive('gamma', 0)).toThrow(/gamma must be a finite number > 0, got 0/);
    expect(() => requireInteger('k', 2.5)).toThrow(/k must be an integer >= 0, got 2.5/);
    expect(() => requireInteger('k', 0, 1)).toThrow(/k must be an integer >= 1, got 0/);
    expect(() => requireInRange('p', 1, 0, 1, { upperOpen: true })).toThrow(
      /p must be a finite number in \[0, 1\), got 1/,
    );
    expect(() => requireInRange('p', 0, 0, 1, { lowerOpen: true })).toThrow(/\(0, 1\]/);
    expect(() => requireOneOf('power', 3, [1, 2])).toThrow(/power must be one of 1, 2, got 3/);
    expect(() => requireFinite('x', '1' as unknown as number)).toThrow(/got string 1/);
  });
});
