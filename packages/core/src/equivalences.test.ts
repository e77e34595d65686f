import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backstitchEquivalent, backstitchRates, floodingEquivalent } from './equivalences.js';

/** Finite rates in a realistic but wide range. */
const rate = fc.double({ min: 1e-8, max: 1e3, noNaN: true, noDefaultInfinity: true });
const penalty = fc.double({ min: 0, max: 1e3, noNaN: true, noDefaultInfinity: true });
/** Not a finite number. */
const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
/** Negative and finite. */
const negative = fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true });

describe('backstitchEquivalent', () => {
  it('gives ε1 − ε2 and ε1ε2/(2(ε1 − ε2)) for a hand-computed pair', () => {
    // ε1 = 0.13, ε2 = 0.03: η = 0.1, λ = 0.0039 / 0.2 = 0.0195
    const { learningRate, penalty } = backstitchEquivalent({ descentRate: 0.13, ascentRate: 0.03 });
    expect(learningRate).toBeCloseTo(0.1, 15);
    expect(penalty).toBeCloseTo(0.0195, 15);
  });

  it('gives Kaldi’s α(1 + α)η/2 for ε2 = αη, ε1 = (1 + α)η', () => {
    const eta = 0.02;
    const alpha = 0.3;
    const r = backstitchEquivalent({ descentRate: (1 + alpha) * eta, ascentRate: alpha * eta });
    expect(r.learningRate).toBeCloseTo(eta, 15);
    expect(r.penalty / ((alpha * (1 + alpha) * eta) / 2)).toBeCloseTo(1, 13);
  });

  it('with ε2 = 0 is plain descent (penalty 0)', () => {
    expect(backstitchEquivalent({ descentRate: 0.1, ascentRate: 0 })).toEqual({
      learningRate: 0.1,
      penalty: 0,
    });
  });

  it('rejects a pair that does not descend, naming descentRate and the range', () => {
    expect(() => backstitchEquivalent({ descentRate: 0.1, ascentRate: 0.1 })).toThrow(
      /descentRate must be a finite number > ascentRate/,
    );
    expect(() => backstitchEquivalent({ descentRate: 0.05, ascentRate: 0.1 })).toThrow(RangeError);
  });

  it('rejects non-finite or negative rates and descentRate <= ascentRate (property)', () => {
    fc.assert(
      fc.property(nonFinite, rate, (bad, good) => {
        expect(() => backstitchEquivalent({ descentRate: bad, ascentRate: good })).toThrow(
          /descentRate/,
        );
        expect(() => backstitchEquivalent({ descentRate: good, ascentRate: bad })).toThrow(
          /ascentRate must be a finite number >= 0/,
        );
      }),
    );
    fc.assert(
      fc.property(rate, negative, (d, a) => {
        expect(() => backstitchEquivalent({ descentRate: d, ascentRate: a })).toThrow(
          /ascentRate must be a finite number >= 0/,
        );
      }),
    );
    fc.assert(
      fc.property(rate, fc.double({ min: 0, max: 1, noNaN: true }), (a, u) => {
        // descentRate = u·ascentRate <= ascentRate
        expect(() => backstitchEquivalent({ descentRate: u * a, ascentRate: a })).toThrow(
          RangeError,
        );
      }),
    );
  });

  it('rejects rates whose penalty overflows float64', () => {
    expect(() =>
      backstitchEquivalent({ descentRate: 1e300, ascentRate: 1e300 * (1 - 1e-15) }),
    ).toThrow(/finite penalty/);
  });
});

describe('backstitchRates', () => {
  it('inverts backstitchEquivalent (Kaldi α = 0.3: ε2 = 0.3η, ε1 = 1.3η)', () => {
    const eta = 0.1;
    const lambda = (0.3 * 1.3 * eta) / 2;
    const { descentRate, ascentRate } = backstitchRates({ learningRate: eta, penalty: lambda });
    expect(ascentRate).toBeCloseTo(0.03, 14);
    expect(descentRate).toBeCloseTo(0.13, 14);
  });

  it('solves ε1 − ε2 = η, ε1ε2 = 2λη with ε2 >= 0 (property, closed-form check)', () => {
    fc.assert(
      fc.property(rate, penalty, (eta, lambda) => {
        const { descentRate: e1, ascentRate: e2 } = backstitchRates({
          learningRate: eta,
          penalty: lambda,
        });
        expect(e2).toBeGreaterThanOrEqual(0);
        expect(e1).toBeGreaterThan(e2);
        // ε1 − ε2 = η up to the rounding of ε1 = η + ε2.
        expect(Math.abs(e1 - e2 - eta)).toBeLessThanOrEqual(4 * Number.EPSILON * e1);
        // ε1ε2 = 2λη to a few ulps.
        expect(Math.abs(e1 * e2 - 2 * lambda * eta)).toBeLessThanOrEqual(
          1e-14 * (e1 * e2 + 2 * lambda * eta) + Number.MIN_VALUE,
        );
      }),
    );
  });

  it('backstitchEquivalent ∘ backstitchRates is the identity (property)', () => {
    fc.assert(
      fc.property(rate, penalty, (eta, lambda) => {
        const rates = backstitchRates({ learningRate: eta, penalty: lambda });
        const back = backstitchEquivalent(rates);
        // η = ε1 − ε2 loses ~ulp(ε1)/η relative to cancellation; λ inherits it.
        const conditioning = 1 + rates.descentRate / eta;
        expect(Math.abs(back.learningRate - eta)).toBeLessThanOrEqual(
          4 * Number.EPSILON * conditioning * eta,
        );
        expect(Math.abs(back.penalty - lambda)).toBeLessThanOrEqual(
          16 * Number.EPSILON * conditioning * lambda + 1e-300, // subnormal λ: absolute ulps
        );
      }),
    );
  });

  it('backstitchRates ∘ backstitchEquivalent is the identity (property)', () => {
    fc.assert(
      fc.property(rate, fc.double({ min: 0, max: 0.999, noNaN: true }), (e1, u) => {
        const e2 = u * e1;
        const rates = backstitchRates(backstitchEquivalent({ descentRate: e1, ascentRate: e2 }));
        const conditioning = 1 + e1 / (e1 - e2);
        expect(Math.abs(rates.descentRate - e1)).toBeLessThanOrEqual(
          16 * Number.EPSILON * conditioning * e1,
        );
        expect(Math.abs(rates.ascentRate - e2)).toBeLessThanOrEqual(
          16 * Number.EPSILON * conditioning * e1,
        );
      }),
    );
  });

  it('gives ε2 = 0 for λ = 0 and stays finite for extreme but finite inputs', () => {
    expect(backstitchRates({ learningRate: 0.1, penalty: 0 })).toEqual({
      descentRate: 0.1,
      ascentRate: 0,
    });
    // η² and 8λη would overflow in the textbook formula; ε2 ≈ √(2λη) = 2e200.
    const big = backstitchRates({ learningRate: 1e200, penalty: 2e200 });
    expect(big.ascentRate / 1e200).toBeCloseTo(1.5615528128088303, 12); // (−1 + √17)/2
    const tiny = backstitchRates({ learningRate: 1e-300, penalty: 1e-3 });
    expect(tiny.ascentRate / Math.sqrt(2e-303)).toBeCloseTo(1, 12);
  });

  it('rejects learningRate <= 0, penalty < 0 and non-finite values (property)', () => {
    fc.assert(
      fc.property(fc.oneof(nonFinite, negative, fc.constant(0)), penalty, (bad, lambda) => {
        expect(() => backstitchRates({ learningRate: bad, penalty: lambda })).toThrow(
          /learningRate must be a finite number > 0/,
        );
      }),
    );
    fc.assert(
      fc.property(rate, fc.oneof(nonFinite, negative), (eta, bad) => {
        expect(() => backstitchRates({ learningRate: eta, penalty: bad })).toThrow(
          /penalty must be a finite number >= 0/,
        );
      }),
    );
  });
});

describe('floodingEquivalent', () => {
  it('is ε²/2', () => {
    expect(floodingEquivalent({ learningRate: 0.2 }).penaltyRate).toBeCloseTo(0.02, 15);
  });

  it('is the ε2 → ε1 limit of the backstitch step (ε1 − ε2)·λ = ε1ε2/2', () => {
    const eps = 0.05;
    const { learningRate, penalty } = backstitchEquivalent({
      descentRate: eps,
      ascentRate: eps * (1 - 1e-9),
    });
    expect(
      (learningRate * penalty) / floodingEquivalent({ learningRate: eps }).penaltyRate,
    ).toBeCloseTo(1, 8);
  });

  it('rejects learningRate <= 0 or non-finite (property)', () => {
    fc.assert(
      fc.property(fc.oneof(nonFinite, negative, fc.constant(0)), (bad) => {
        expect(() => floodingEquivalent({ learningRate: bad })).toThrow(
          /learningRate must be a finite number > 0/,
        );
      }),
    );
    expect(() => floodingEquivalent({ learningRate: 1e200 })).toThrow(/finite/);
  });
});
