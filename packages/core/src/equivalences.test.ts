import { describe, expect, it } from 'vitest';
import { backstitchEquivalent, backstitchRates, floodingEquivalent } from './equivalences.js';

describe('backstitchEquivalent', () => {
  it('gives ε1 − ε2 and ε1ε2/(2(ε1 − ε2)) for a hand-computed pair', () => {
    // ε1 = 0.13, ε2 = 0.03: η = 0.1, λ = 0.0039 / 0.2 = 0.0195
    const { learningRate, penalty } = backstitchEquivalent({ descentRate: 0.13, ascentRate: 0.03 });
    expect(learningRate).toBeCloseTo(0.1, 15);
    expect(penalty).toBeCloseTo(0.0195, 15);
  });
  it('rejects a pair that does not descend', () => {
    expect(() => backstitchEquivalent({ descentRate: 0.1, ascentRate: 0.1 })).toThrow(
      /descentRate must be > ascentRate/,
    );
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
});

describe('floodingEquivalent', () => {
  it('is ε²/2', () => {
    expect(floodingEquivalent({ learningRate: 0.2 }).penaltyRate).toBeCloseTo(0.02, 15);
  });
});
