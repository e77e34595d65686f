import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floodedLoss } from './flooded-loss.js';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const level = fc.double({ min: 0, max: 1e6, noNaN: true });

describe('floodedLoss', () => {
  it('is |L − b| + b on hand-computed values', () => {
    expect(floodedLoss(0.5, 0.1)).toBe(0.5);
    expect(floodedLoss(0.05, 0.1)).toBeCloseTo(0.15, 15); // 2b − L
    expect(floodedLoss(0.1, 0.1)).toBe(0.1);
    expect(floodedLoss(0.3, 0)).toBe(0.3);
  });

  it('is never below b, equals L when L >= b and 2b − L below (property)', () => {
    fc.assert(
      fc.property(finite, level, (l, b) => {
        const v = floodedLoss(l, b);
        expect(v).toBeGreaterThanOrEqual(b);
        // Compared with ===, for which −0 and +0 are the same loss.
        if (l >= b) expect(v === l).toBe(true);
        else expect(v).toBeCloseTo(2 * b - l, 6);
      }),
    );
  });

  it('rejects a non-finite loss and a negative or non-finite level (property)', () => {
    const nonFinite = fc.constantFrom(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    );
    fc.assert(
      fc.property(nonFinite, level, (l, b) => {
        expect(() => floodedLoss(l, b)).toThrow(/loss must be a finite number/);
      }),
    );
    fc.assert(
      fc.property(
        finite,
        fc.oneof(nonFinite, fc.double({ max: -Number.MIN_VALUE, noNaN: true })),
        (l, b) => {
          expect(() => floodedLoss(l, b)).toThrow(/level must be a finite number >= 0/);
        },
      ),
    );
  });
});
