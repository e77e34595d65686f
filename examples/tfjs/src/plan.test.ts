import { describe, expect, it } from 'vitest';
import { noisyLabelEntropy } from './noise.js';
import { backstitchAscent, floodLevels, makePlan } from './plan.js';

describe('makePlan', () => {
  it('quick: 3 seeds at 40 % noise; full: 5 seeds over three noise levels (40 % first), the SAM variants and the adaptive level', () => {
    const quick = makePlan('mnist', 'quick');
    expect(quick.seeds).toEqual([1, 2, 3]);
    expect(quick.noise).toEqual([0.4]);
    expect([quick.samVariants, quick.adaptiveLevel]).toEqual([false, false]);
    const full = makePlan('fashion', 'full', { seed: 7 });
    expect(full.seeds).toEqual([7, 8, 9, 10, 11]);
    expect(full.noise).toEqual([0.4, 0, 0.2]);
    expect([full.samVariants, full.adaptiveLevel]).toEqual([true, true]);
    expect([full.examples, full.testExamples, full.epochs]).toEqual([2000, 2000, 20]);
    expect(full.dataset).toBe('fashion');
  });

  it('applies overrides', () => {
    const p = makePlan('mnist', 'quick', {
      epochs: 3,
      examples: 40,
      noise: [0],
      seeds: 2,
      seed: 5,
    });
    expect([p.epochs, p.examples, p.noise, p.seeds]).toEqual([3, 40, [0], [5, 6]]);
  });
});

describe('floodLevels', () => {
  it('holds the noisy-label entropy H (1.55 at 40 % noise, 10 classes)', () => {
    const quick = makePlan('mnist', 'quick');
    expect(floodLevels(quick, 0.4, 10)).toEqual([0.39, 0.78, 1.16, 1.55]);
    const h = noisyLabelEntropy(0.2, 10);
    expect(floodLevels(makePlan('mnist', 'full'), 0.2, 10)).toContain(Math.round(100 * h) / 100);
    expect(floodLevels(makePlan('mnist', 'full'), 0.4, 10)).toEqual([0.39, 0.78, 1.16, 1.55]);
  });

  it('falls back to the small clean grid without noise', () => {
    expect(floodLevels(makePlan('mnist', 'quick'), 0, 10)).toEqual([0.02, 0.05, 0.1]);
  });
});

describe('backstitchAscent', () => {
  it('matches the penalty to first order: ∇L(θ + 2λ∇L) ≈ ∇(L + λ‖∇L‖²) on a quadratic', () => {
    // L = ½θᵀAθ with A = diag(3, 1): ∇L = Aθ, ∇(λ‖∇L‖²) = 2λA²θ; exact on a quadratic.
    const lambda = 0.01;
    const eps = backstitchAscent(lambda);
    const theta = [0.7, -1.3];
    const a = [3, 1];
    const g = theta.map((t, i) => a[i]! * t);
    const atAscent = theta.map((t, i) => a[i]! * (t + eps * g[i]!));
    const penalised = theta.map((t, i) => a[i]! * t + 2 * lambda * a[i]! * a[i]! * t);
    for (let i = 0; i < 2; i++) expect(atAscent[i]).toBeCloseTo(penalised[i]!, 12);
  });
});
