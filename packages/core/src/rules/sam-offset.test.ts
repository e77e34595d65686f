import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quartic } from '../../test/fixtures.js';
import { combine, normOf, relativeError } from '../../test/vectors.js';
import { backstitchStep } from './backstitch.js';
import { gradientPenaltyStep } from './gradient-penalty.js';
import { samOffset, samStep } from './sam.js';

const { a, c, theta } = drawProblem(31, [1, 2, -1, 0.5, 1]);
const f = quartic(a, c, 0.4);
const g = f.gradient(theta);
const mask = Float64Array.of(0, 1, 1, 0, 1);

describe('samOffset and a probe mask (SAM-ON, kernels-only ASAM)', () => {
  it('SAM: δ = ρ·Pg/(‖Pg‖ + 1e-12), zero outside the mask', () => {
    const obj = objectiveOf(f, theta);
    const delta = samOffset(obj, g, normOf(g), { rho: 0.3, eta: 0 }, mask);
    const pg = g.map((x, i) => x * mask[i]!);
    expect(relativeError(delta, combine([0.3 / (normOf(pg) + 1e-12), pg]))).toBeLessThan(1e-15);
    expect([Math.abs(delta[0]!), Math.abs(delta[3]!)]).toEqual([0, 0]);
    const p = samStep(obj, { rho: 0.3 }, mask);
    expect(relativeError(p.gradient, f.gradient(combine([1, theta], [1, delta])))).toBeLessThan(
      1e-15,
    );
  });

  it('ASAM: δ = ρT²Pg/(‖TPg‖ + 1e-12)', () => {
    const obj = objectiveOf(f, theta);
    const delta = samOffset(obj, g, normOf(g), { rho: 0.5, adaptive: true, eta: 0.01 }, mask);
    const t = theta.map((x) => Math.abs(x) + 0.01);
    const tpg = g.map((x, i) => t[i]! * mask[i]! * x);
    const want = tpg.map((x, i) => (0.5 * t[i]! * x) / (normOf(tpg) + 1e-12));
    expect(relativeError(delta, want)).toBeLessThan(1e-15);
  });

  it('an all-ones mask changes nothing', () => {
    const ones = new Float64Array(5).fill(1);
    const p = samStep(objectiveOf(f, theta), { rho: 0.2 }, ones);
    const q = samStep(objectiveOf(f, theta), { rho: 0.2 });
    expect(Array.from(p.gradient)).toEqual(Array.from(q.gradient));
  });
});

describe('masks in the gradient penalty and backstitch', () => {
  it('penalty: probe along Pg, c = λ/r (p = 1) or 2λ‖Pg‖/r (p = 2)', () => {
    const lambda = 0.03;
    const r = 0.02;
    const pg = g.map((x, i) => x * mask[i]!);
    const g1 = f.gradient(combine([1, theta], [r / normOf(pg), pg]));
    for (const power of [1, 2] as const) {
      const p = gradientPenaltyStep(
        objectiveOf(f, theta),
        { coefficient: lambda, power, radius: r },
        mask,
      );
      const c = power === 1 ? lambda / r : (2 * lambda * normOf(pg)) / r;
      expect(relativeError(p.gradient, combine([1 - c, g], [c, g1]))).toBeLessThan(1e-13);
      expect(p.gradientNorm).toBeCloseTo(normOf(g), 13);
    }
  });

  it('backstitch: δ = ε2·Pg', () => {
    const p = backstitchStep(objectiveOf(f, theta), { ascentRate: 0.05 }, mask);
    const delta = g.map((x, i) => 0.05 * x * mask[i]!);
    expect(relativeError(p.displacement!, delta)).toBeLessThan(1e-15);
    expect(relativeError(p.gradient, f.gradient(combine([1, theta], [1, delta])))).toBeLessThan(
      1e-15,
    );
  });

  it('all-ones masks change nothing', () => {
    const ones = new Float64Array(5).fill(1);
    const a = gradientPenaltyStep(objectiveOf(f, theta), { coefficient: 0.1, power: 2 }, ones);
    const b = gradientPenaltyStep(objectiveOf(f, theta), { coefficient: 0.1, power: 2 });
    expect(relativeError(a.gradient, b.gradient)).toBeLessThan(1e-15);
    const c = backstitchStep(objectiveOf(f, theta), { ascentRate: 0.1 }, ones);
    const d = backstitchStep(objectiveOf(f, theta), { ascentRate: 0.1 });
    expect(Array.from(c.gradient)).toEqual(Array.from(d.gradient));
  });
});
