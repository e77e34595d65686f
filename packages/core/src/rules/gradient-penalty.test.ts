import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quadratic, quartic, randomVector } from '../../test/fixtures.js';
import { logisticData } from '../../test/logistic.js';
import { combine, distance, normOf, orders, relativeError } from '../../test/vectors.js';
import { gradientPenaltyStep } from './gradient-penalty.js';
import { samStep } from './sam.js';

const {
  matrices: [definite, indefinite],
  c,
  theta,
} = drawProblem(2022, [2, 1, 0.5, 3, 0.25], [2, -1, 0.5, -3, 0.25]);

describe.each([
  ['definite', definite],
  ['indefinite', indefinite],
])('gradientPenaltyStep on a quadratic with %s A (exact for any radius)', (_kind, a) => {
  const f = quadratic(a, c);
  const g = f.gradient(theta);
  const ag = f.hessianVector(theta, g);
  const radii = [1e-3, 0.01, 0.1, 1, 10];

  it.each(radii)('power 1, radius %d: g + λAg/‖g‖', (radius) => {
    const lambda = 0.3;
    const p = gradientPenaltyStep(objectiveOf(f, theta), { coefficient: lambda, power: 1, radius });
    expect(relativeError(p.gradient, combine([1, g], [lambda / normOf(g), ag]))).toBeLessThan(
      1e-12,
    );
    expect(p.gradientEvaluations).toBe(2);
    expect(p.loss).toBe(f.loss(theta));
    expect(p.gradientNorm).toBeCloseTo(normOf(g), 12);
  });

  it.each(radii)('power 2 (default), radius %d: g + 2λAg', (radius) => {
    const lambda = 0.05;
    const p = gradientPenaltyStep(objectiveOf(f, theta), { coefficient: lambda, radius });
    expect(relativeError(p.gradient, combine([1, g], [2 * lambda, ag]))).toBeLessThan(1e-12);
    // The probe is at θ + r·g/‖g‖.
    expect(p.probeLoss! / f.loss(combine([1, theta], [radius / normOf(g), g]))).toBeCloseTo(1, 12);
  });

  it('λ = 0 gives the plain gradient', () => {
    const p = gradientPenaltyStep(objectiveOf(f, theta), { coefficient: 0 });
    expect(relativeError(p.gradient, g)).toBeLessThan(1e-15);
  });
});

describe('gradientPenaltyStep on non-quadratic losses', () => {
  const losses = [
    ['a quartic', quartic(indefinite, c, 0.5), theta],
    ['logistic regression', logisticData(30, 4, 11), randomVector(4, 5)],
  ] as const;

  it.each(losses)('with power 1 and λ = r equals SAM with ρ = r on %s', (_name, f, t) => {
    for (const r of [1e-3, 0.05, 0.5]) {
      const gp = gradientPenaltyStep(objectiveOf(f, t), { coefficient: r, power: 1, radius: r });
      const sam = samStep(objectiveOf(f, t), { rho: r });
      // They differ only by SAM's 1e-12 in the normalisation.
      expect(relativeError(gp.gradient, sam.gradient)).toBeLessThan(1e-10);
    }
  });

  it('with power 1 and λ = r equals SAM with ρ = r at random points of the quartic (property)', () => {
    const f = quartic(indefinite, c, 0.5);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        (point, r) => {
          const t = Float64Array.from(point);
          fc.pre(normOf(f.gradient(t)) > 1e-3);
          const gp = gradientPenaltyStep(objectiveOf(f, t), {
            coefficient: r,
            power: 1,
            radius: r,
          });
          const sam = samStep(objectiveOf(f, t), { rho: r });
          expect(relativeError(gp.gradient, sam.gradient)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 50 },
    );
  });

  it.each(losses)('converges to ∇(L + λ‖∇L‖²) = g + 2λHg at order 1 in r on %s', (_name, f, t) => {
    const g = f.gradient(t);
    const lambda = 0.1;
    const want = combine([1, g], [2 * lambda, f.hessianVector(t, g)]);
    const errors = [0, 1, 2, 3, 4].map((k) => {
      const radius = 1e-2 * 2 ** -k;
      const p = gradientPenaltyStep(objectiveOf(f, t), { coefficient: lambda, radius });
      return distance(p.gradient, want);
    });
    for (const p of orders(errors)) {
      expect(p).toBeGreaterThan(0.8);
      expect(p).toBeLessThan(1.2);
    }
  });
});

describe('gradientPenaltyStep at a zero gradient', () => {
  it('probes at δ = 0 and returns g0 (the penalty direction is undefined)', () => {
    // L = ½θᵀAθ + (1/4)Σθᵢ⁴ at θ = 0: g = 0 exactly, H = A ≠ 0.
    const f = quartic(indefinite, new Float64Array(5), 1);
    for (const power of [1, 2] as const) {
      const p = gradientPenaltyStep(objectiveOf(f, new Float64Array(5)), {
        coefficient: 1,
        power,
        radius: 0.5,
      });
      expect(Array.from(p.gradient)).toEqual([0, 0, 0, 0, 0]);
      expect(p.probeLoss).toBe(p.loss); // evaluated at θ itself
      expect(p.gradientNorm).toBe(0);
    }
  });

  it('treats ‖g0‖ < 1e-30 as zero: δ = 0 and the result is g0', () => {
    const tiny = Float64Array.of(1e-40, -2e-40);
    const obj = objectiveOf(
      {
        dimension: 2,
        loss: (t) => t[0]! * 1e-40 - 2e-40 * t[1]! + t[0]! ** 4,
        gradient: (t) => Float64Array.of(1e-40 + 4 * t[0]! ** 3, -2e-40),
        hessianVector: () => new Float64Array(2),
      },
      new Float64Array(2),
    );
    const p = gradientPenaltyStep(obj, { coefficient: 1, power: 1, radius: 1 });
    expect(Array.from(p.gradient)).toEqual(Array.from(tiny));
  });
});

describe('gradientPenaltyStep validation', () => {
  const obj = objectiveOf(quadratic(definite, c), theta);
  const bad = fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
  );
  it('rejects a negative or non-finite coefficient or radius, radius 0, power ∉ {1, 2}', () => {
    fc.assert(
      fc.property(bad, (x) => {
        expect(() => gradientPenaltyStep(obj, { coefficient: x })).toThrow(
          /coefficient must be a finite number >= 0/,
        );
        expect(() => gradientPenaltyStep(obj, { coefficient: 1, radius: x })).toThrow(
          /radius must be a finite number > 0/,
        );
      }),
    );
    expect(() => gradientPenaltyStep(obj, { coefficient: 1, radius: 0 })).toThrow(/radius/);
    expect(() => gradientPenaltyStep(obj, { coefficient: 1, power: 3 as 2 })).toThrow(
      /power must be one of 1, 2/,
    );
  });
});
