import { arrayObjective } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { sequence } from '../test/quadratic.js';
import { gradientNoiseScale } from './noise-scale.js';

/** An objective whose gradient is the constant `g` (a linear loss). */
const linear = (g: number[]) =>
  arrayObjective(
    (t) => ({ loss: t.reduce((s, x, i) => s + x * g[i]!, 0), gradient: Float64Array.from(g) }),
    new Float64Array(g.length),
  );

describe('gradientNoiseScale', () => {
  it('applies McCandlish et al.’s two-batch formulas (hand-computed)', async () => {
    // |G_s|² = 5 (B = 2), |G_b|² = 2 (B = 8): |G|² = (16 − 10)/6 = 1, trΣ = 3/(1/2 − 1/8) = 8.
    const r = await gradientNoiseScale(
      { batchSize: 2, objectives: [linear([1, 2]), linear([2, 1])] },
      { batchSize: 8, objectives: [linear([1, 1])] },
    );
    expect(r.smallNormSquared).toBeCloseTo(5, 14);
    expect(r.bigNormSquared).toBeCloseTo(2, 14);
    expect(r.gradientNormSquared).toBeCloseTo(1, 14);
    expect(r.traceCovariance).toBeCloseTo(8, 14);
    expect(r.simple).toBeCloseTo(8, 13);
    expect(r.gradientEvaluations).toBe(3);
  });
  it('recovers tr(Σ)/|G|² from sampled mean-gradients', async () => {
    // Per-example gradients gᵢ = G + σ ξᵢ with ξ ~ N(0, I₈): tr Σ = 8σ², B_simple = 8σ²/|G|².
    const next = sequence(21);
    const gaussian = () => {
      const u = (next() + 1) / 2 || 1e-9;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(Math.PI * (next() + 1));
    };
    const G = [1, -0.5, 0.25, 0.5, 0, 0.3, -0.2, 0.1];
    const sigma = 2;
    const batch = (size: number) => {
      const mean = G.map((g) => g);
      for (let e = 0; e < size; e++) {
        for (let i = 0; i < G.length; i++) mean[i] += (sigma * gaussian()) / size;
      }
      return linear(mean.map((m, i) => m - G[i]! + G[i]!));
    };
    const r = await gradientNoiseScale(
      { batchSize: 4, objectives: Array.from({ length: 600 }, () => batch(4)) },
      { batchSize: 64, objectives: Array.from({ length: 600 }, () => batch(64)) },
    );
    const g2 = G.reduce((s, g) => s + g * g, 0);
    expect(r.gradientNormSquared).toBeGreaterThan(0.8 * g2);
    expect(r.gradientNormSquared).toBeLessThan(1.2 * g2);
    expect(Math.abs(r.traceCovariance / (8 * sigma ** 2) - 1)).toBeLessThan(0.1);
    expect(Math.abs(r.simple / ((8 * sigma ** 2) / g2) - 1)).toBeLessThan(0.25);
  });
  it('rejects bad batch sizes', async () => {
    const one = { batchSize: 4, objectives: [linear([1])] };
    await expect(gradientNoiseScale(one, one)).rejects.toThrow(/big.batchSize/);
    await expect(
      gradientNoiseScale({ batchSize: 0, objectives: [linear([1])] }, one),
    ).rejects.toThrow(/small.batchSize/);
    await expect(gradientNoiseScale({ batchSize: 1, objectives: [] }, one)).rejects.toThrow(
      /objectives/,
    );
  });
});
