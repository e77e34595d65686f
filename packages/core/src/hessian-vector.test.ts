import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quadratic, quartic, randomVector } from '../test/fixtures.js';
import { logisticData } from '../test/logistic.js';
import { distance, orders, relativeError } from '../test/vectors.js';
import { arrayObjective } from './array-objective.js';
import { hessianVectorProduct } from './hessian-vector.js';

const { a, c, theta, random } = drawProblem(1994, [3, -1, 0.5, 2, -0.7]);
const v = randomVector(5, random);

/** Counts the objective's gradient evaluations. */
function counting<T extends { evaluate: (o?: Float64Array) => unknown }>(obj: T) {
  const counter = { calls: 0 };
  const inner = obj.evaluate;
  obj.evaluate = (o?: Float64Array) => {
    counter.calls++;
    return inner(o);
  };
  return counter;
}

describe('hessianVectorProduct on a quadratic: Av', () => {
  const f = quadratic(a, c);
  const av = f.hessianVector(theta, v);

  it('uses the exact product the objective offers (0 gradient evaluations)', () => {
    const obj = objectiveOf(f, theta, true);
    const counter = counting(obj);
    const r = hessianVectorProduct(obj, v);
    expect(r.gradientEvaluations).toBe(0);
    expect(counter.calls).toBe(0);
    expect(relativeError(r.product, av)).toBeLessThan(1e-15);
  });

  it('falls back to central differences (2 gradient evaluations), exact up to rounding', () => {
    const obj = objectiveOf(f, theta);
    const counter = counting(obj);
    const r = hessianVectorProduct(obj, v);
    expect(r.gradientEvaluations).toBe(2);
    expect(counter.calls).toBe(2);
    // No truncation error on a quadratic; rounding is O(ε_mach‖g‖/t), t ≈ 6e-6.
    expect(relativeError(r.product, av)).toBeLessThan(1e-9);
    expect(Array.from(obj.parameters())).toEqual(Array.from(theta));
  });

  it('parameterRms = ‖θ‖/√n gives the same product without reading θ', () => {
    const obj = objectiveOf(f, theta);
    const rms = Math.sqrt(theta.reduce((acc, x) => acc + x * x, 0)) / Math.sqrt(theta.length);
    const reference = hessianVectorProduct(obj, v).product;
    let reads = 0;
    const parameters = obj.parameters;
    obj.parameters = () => {
      reads++;
      return parameters();
    };
    const r = hessianVectorProduct(obj, v, { parameterRms: rms });
    expect(reads).toBe(0);
    expect(r.gradientEvaluations).toBe(2);
    expect(relativeError(r.product, reference)).toBeLessThan(1e-12);
    expect(relativeError(r.product, av)).toBeLessThan(1e-9);
  });

  it("method 'finite-difference' ignores an offered exact product", () => {
    const obj = objectiveOf(f, theta, true);
    const r = hessianVectorProduct(obj, v, { method: 'finite-difference' });
    expect(r.gradientEvaluations).toBe(2);
    expect(relativeError(r.product, av)).toBeLessThan(1e-9);
  });

  it('is invariant to the scale of v (the step is relative to θ, not v)', () => {
    const obj = objectiveOf(f, theta);
    for (const s of [1e-8, 1e8]) {
      const r = hessianVectorProduct(
        obj,
        v.map((x) => x * s),
        {},
      );
      expect(
        relativeError(
          r.product,
          av.map((x) => x * s),
        ),
      ).toBeLessThan(1e-8);
    }
  });

  it('gives 0 for v = 0', () => {
    const r = hessianVectorProduct(objectiveOf(f, theta), new Float64Array(5));
    expect(r.product.every((x) => x === 0)).toBe(true);
  });
});

describe('central-difference error is O(h²) on non-quadratic losses', () => {
  it.each([
    ['a quartic', quartic(a, c, 0.8), theta, v],
    ['logistic regression', logisticData(30, 4, 13), randomVector(4, 1), randomVector(4, 2)],
  ] as const)('%s: measured order in [1.7, 2.3]', (_name, f, t, dir) => {
    const obj = objectiveOf(f, t);
    const exact = f.hessianVector(t, dir);
    const errors = [0, 1, 2, 3, 4].map((k) =>
      distance(hessianVectorProduct(obj, dir, { relativeStep: 0.05 * 2 ** -k }).product, exact),
    );
    for (const p of orders(errors)) {
      expect(p).toBeGreaterThan(1.7);
      expect(p).toBeLessThan(2.3);
    }
    // The default step ∛ε_mach is accurate to ~1e-9 relative.
    expect(relativeError(hessianVectorProduct(obj, dir).product, exact)).toBeLessThan(1e-8);
  });
});

describe('hessianVectorProduct validation', () => {
  const obj = arrayObjective((t) => ({ loss: 0, gradient: t.slice() }), Float64Array.of(1, 2));
  it('rejects an unknown method and a bad relativeStep', () => {
    expect(() =>
      hessianVectorProduct(obj, Float64Array.of(1, 0), { method: 'exact' as 'auto' }),
    ).toThrow(/method must be one of "auto", "finite-difference"/);
    for (const h of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => hessianVectorProduct(obj, Float64Array.of(1, 0), { relativeStep: h })).toThrow(
        /relativeStep must be a finite number > 0/,
      );
    }
    for (const rms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => hessianVectorProduct(obj, Float64Array.of(1, 0), { parameterRms: rms })).toThrow(
        /parameterRms must be a finite number >= 0/,
      );
    }
  });
});
