import { describe, expect, it } from 'vitest';
import { euclideanNorm } from './norm.js';

describe('euclideanNorm', () => {
  it('is √(Σ aᵢ²) for ordinary entries', () => {
    expect(euclideanNorm([3, 4])).toBe(5);
    expect(euclideanNorm(new Float64Array([1, 2, 2]))).toBe(3);
    expect(euclideanNorm([])).toBe(0);
    expect(euclideanNorm([0, 0])).toBe(0);
  });

  it('neither overflows nor underflows', () => {
    expect(euclideanNorm([3e200, 4e200])).toBeCloseTo(5e200, -188);
    expect(euclideanNorm([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 12);
  });

  it('propagates non-finite entries (NaN wins over ∞)', () => {
    expect(euclideanNorm([1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(euclideanNorm([Number.NEGATIVE_INFINITY, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(euclideanNorm([1, Number.NaN, 3])).toBeNaN();
    expect(euclideanNorm([Number.POSITIVE_INFINITY, Number.NaN])).toBeNaN();
  });
});
