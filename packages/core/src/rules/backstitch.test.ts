import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quadratic, quartic } from '../../test/fixtures.js';
import { combine, relativeError } from '../../test/vectors.js';
import { backstitchStep } from './backstitch.js';

const { a, c, theta } = drawProblem(2017, [1, -2, 0.5, 3]);
const f = quadratic(a, c);

describe('backstitchStep', () => {
  it('proposes δ = ε2·g and the gradient at θ + δ, without moving θ', () => {
    const obj = objectiveOf(f, theta);
    const e2 = 0.07;
    const g = f.gradient(theta);
    const p = backstitchStep(obj, { ascentRate: e2 });
    expect(relativeError(p.displacement!, combine([e2, g]))).toBeLessThan(1e-15);
    // ∇L(θ + ε2 g) = g + ε2·Ag on a quadratic.
    expect(
      relativeError(p.gradient, combine([1, g], [e2, f.hessianVector(theta, g)])),
    ).toBeLessThan(1e-13);
    expect(p.loss).toBe(f.loss(theta));
    expect(p.probeLoss! / f.loss(combine([1, theta], [e2, g]))).toBeCloseTo(1, 12);
    expect(p.gradientEvaluations).toBe(2);
    expect(Array.from(obj.parameters())).toEqual(Array.from(theta));
  });

  it('with ε2 = 0 is the plain gradient and δ = 0', () => {
    const p = backstitchStep(objectiveOf(f, theta), { ascentRate: 0 });
    expect(p.displacement!.every((x) => x === 0)).toBe(true); // ±0

    expect(Array.from(p.gradient)).toEqual(Array.from(f.gradient(theta)));
  });

  it('at a zero gradient gives δ = 0 and gradient 0', () => {
    const q = quartic(a, new Float64Array(4), 1);
    const p = backstitchStep(objectiveOf(q, new Float64Array(4)), { ascentRate: 0.5 });
    expect(p.displacement!.every((x) => x === 0)).toBe(true);
    expect(p.gradient.every((x) => x === 0)).toBe(true);
  });

  it('rejects a negative or non-finite ascentRate', () => {
    const obj = objectiveOf(f, theta);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
          fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
        ),
        (x) => {
          expect(() => backstitchStep(obj, { ascentRate: x })).toThrow(
            /ascentRate must be a finite number >= 0/,
          );
        },
      ),
    );
  });
});
