import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quadratic, quartic } from '../../test/fixtures.js';
import { combine, normOf, relativeError } from '../../test/vectors.js';
import { DEFAULT_ASAM_ETA, SAM_EPSILON, samStep } from './sam.js';

const { a: indefinite, c, theta } = drawProblem(2021, [1, -2, 0.5, 3, -0.25, 1]);
const f = quadratic(indefinite, c);
const g = f.gradient(theta);

describe('samStep on a quadratic (closed form)', () => {
  it.each([0.01, 0.05, 0.5, 2])('SAM, ρ = %d: ∇L(θ + δ) = g + ρAg/(‖g‖ + 1e-12)', (rho) => {
    const p = samStep(objectiveOf(f, theta), { rho });
    const want = combine([1, g], [rho / (normOf(g) + 1e-12), f.hessianVector(theta, g)]);
    expect(relativeError(p.gradient, want)).toBeLessThan(1e-12);
    expect(p.gradientEvaluations).toBe(2);
    expect(p.loss).toBe(f.loss(theta));
    const delta = combine([rho / (normOf(g) + 1e-12), g]);
    expect(p.probeLoss! / f.loss(combine([1, theta], [1, delta]))).toBeCloseTo(1, 12);
  });

  it.each([
    [0.5, 0.01],
    [2, 0],
    [1, 0.3],
  ])('ASAM, ρ = %d, η = %d: δ = ρT²g/(‖Tg‖ + 1e-12), T = |θ| + η', (rho, eta) => {
    const p = samStep(objectiveOf(f, theta), { rho, adaptive: true, eta });
    const t = theta.map((x) => Math.abs(x) + eta);
    const tg = g.map((x, i) => t[i]! * x);
    const delta = tg.map((x, i) => (rho * t[i]! * x) / (normOf(tg) + 1e-12));
    const want = combine([1, g], [1, f.hessianVector(theta, delta)]);
    expect(relativeError(p.gradient, want)).toBeLessThan(1e-12);
    expect(p.probeLoss! / f.loss(combine([1, theta], [1, delta]))).toBeCloseTo(1, 12);
  });

  it('ASAM defaults to η = 0.01', () => {
    expect(DEFAULT_ASAM_ETA).toBe(0.01);
    const a = samStep(objectiveOf(f, theta), { rho: 0.5, adaptive: true });
    const b = samStep(objectiveOf(f, theta), { rho: 0.5, adaptive: true, eta: 0.01 });
    expect(Array.from(a.gradient)).toEqual(Array.from(b.gradient));
    expect(SAM_EPSILON).toBe(1e-12);
  });

  it('ρ = 0 gives the plain gradient', () => {
    const p = samStep(objectiveOf(f, theta), { rho: 0 });
    expect(Array.from(p.gradient)).toEqual(Array.from(g));
  });

  it('leaves θ where it was', () => {
    const obj = objectiveOf(f, theta);
    samStep(obj, { rho: 1 });
    samStep(obj, { rho: 1, adaptive: true });
    expect(Array.from(obj.parameters())).toEqual(Array.from(theta));
  });
});

describe('samStep at a zero gradient', () => {
  it('SAM and ASAM probe at δ = 0 and return g0 = 0', () => {
    const q = quartic(indefinite, new Float64Array(6), 1); // g(0) = 0, H(0) = A
    for (const adaptive of [false, true]) {
      const p = samStep(objectiveOf(q, new Float64Array(6)), { rho: 0.5, adaptive });
      expect(Array.from(p.gradient)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(p.probeLoss).toBe(p.loss);
    }
  });
});

describe('samStep validation', () => {
  it('rejects negative or non-finite rho and eta', () => {
    const obj = objectiveOf(f, theta);
    const bad = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(bad, (x) => {
        expect(() => samStep(obj, { rho: x })).toThrow(/rho must be a finite number >= 0/);
        expect(() => samStep(obj, { rho: 1, adaptive: true, eta: x })).toThrow(
          /eta must be a finite number >= 0/,
        );
      }),
    );
  });
});
