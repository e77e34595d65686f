import { backstitchEquivalent, backstitchRates } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { kaldiPenalty, makePlan } from './plan.js';

describe('kaldiPenalty', () => {
  it('is the penalty of ascent αη then descent (1 + α)η (seed equivalence, by hand)', () => {
    // α = 0.3, η = 0.1: ε2 = 0.03, ε1 = 0.13, λ = ε1ε2/(2(ε1 − ε2)) = 0.0039/0.2 = 0.0195.
    expect(kaldiPenalty(0.1)).toBeCloseTo(0.0195, 12);
    const rates = backstitchRates({ learningRate: 0.1, penalty: kaldiPenalty(0.1) });
    expect(rates.ascentRate).toBeCloseTo(0.03, 12);
    expect(rates.descentRate).toBeCloseTo(0.13, 12);
    expect(backstitchEquivalent(rates).penalty).toBeCloseTo(0.0195, 12);
  });
});

describe('makePlan', () => {
  it('has the paper grid in the full MNIST preset and 80:20-able sizes', () => {
    const full = makePlan('mnist', 'full');
    expect(full.levels).toEqual([0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1]);
    expect(full.examples).toBe(60_000);
    expect(makePlan('mnist', 'quick').levels[0]).toBe(0);
  });

  it('uses the paper sizes for the sinusoid and applies overrides', () => {
    expect(makePlan('sinusoid', 'full').testExamples).toBe(20_000);
    const p = makePlan('sinusoid', 'quick', { epochs: 3, examples: 40 });
    expect(p.testExamples).toBe(2000);
    expect(p.epochs).toBe(3);
    expect(p.examples).toBe(40);
    expect(p.levels).toEqual([0, 0.26, 0.27, 0.28]);
  });
});
