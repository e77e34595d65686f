import { describe, expect, it } from 'vitest';
import { drawProblem, objectiveOf, quadratic, quartic, sgdPath } from '../../test/fixtures.js';
import { combine, dotOf, normOf, relativeError } from '../../test/vectors.js';
import { DEFAULT_LOOKSAM_ALPHA, type LookSamState, lookSamStep } from './look-sam.js';
import { samStep } from './sam.js';

const { a, c, theta: theta0 } = drawProblem(2023, [1.5, -0.5, 2, 0.25, 1]);
const f = quartic(a, c, 0.3);

/**
 * LookSAM in float64 loops, SGD with rate `lr` as the base: returns the
 * parameters after each step (an independent oracle: plain arrays, its own norms).
 */
function reference(rho: number, every: number, alpha: number, lr: number, steps: number) {
  let gv: Float64Array | undefined;
  return sgdPath(theta0, lr, steps, (theta, t) => {
    const g = f.gradient(theta);
    if (t % every !== 0) return combine([1, g], [(alpha * normOf(g)) / normOf(gv!), gv!]);
    const gs = f.gradient(combine([1, theta], [rho / (normOf(g) + 1e-12), g]));
    gv = combine([1, gs], [-dotOf(g, gs) / dotOf(g, g), g]);
    return gs;
  });
}

function run(rho: number, every: number, alpha: number, lr: number, steps: number) {
  const obj = objectiveOf(f, theta0);
  let state: LookSamState<Float64Array> | undefined;
  const out: Float64Array[] = [];
  const evaluations: number[] = [];
  for (let t = 0; t < steps; t++) {
    const p = lookSamStep(obj, { rho, every, alpha }, t, state);
    state = p.state;
    evaluations.push(p.gradientEvaluations);
    obj.moveBy(combine([-lr, p.gradient]));
    out.push(obj.parameters());
  }
  return { out, evaluations, state };
}

describe('lookSamStep', () => {
  it('step 0 is SAM, and g_v ⟂ g (closed form on a quadratic)', () => {
    const q = quadratic(a, c);
    const g = q.gradient(theta0);
    const p = lookSamStep(objectiveOf(q, theta0), { rho: 0.2, every: 5 }, 0, undefined);
    const gs = combine([1, g], [0.2 / (normOf(g) + 1e-12), q.hessianVector(theta0, g)]);
    expect(relativeError(p.gradient, gs)).toBeLessThan(1e-12);
    const sam = samStep(objectiveOf(q, theta0), { rho: 0.2 });
    expect(Array.from(p.gradient)).toEqual(Array.from(sam.gradient));
    expect(Math.abs(dotOf(p.state.gvUnit, g)) / normOf(g)).toBeLessThan(1e-12);
    const gv = combine([1, gs], [-dotOf(g, gs) / dotOf(g, g), g]);
    expect(relativeError(p.state.gvUnit, combine([1 / normOf(gv), gv]))).toBeLessThan(1e-12);
    expect(normOf(p.state.gvUnit)).toBeCloseTo(1, 14);
    expect(p.gradientEvaluations).toBe(2);
  });

  it.each([
    [0.1, 3, 0.7, 5],
    [0.3, 2, 0.4, 4],
    [0.05, 5, 1, 6],
  ])(
    'ρ = %d, every = %d, α = %d: %d SGD steps equal the float64 oracle',
    (rho, every, alpha, steps) => {
      const lr = 0.05;
      const { out, evaluations } = run(rho, every, alpha, lr, steps);
      const want = reference(rho, every, alpha, lr, steps);
      for (let t = 0; t < steps; t++) expect(relativeError(out[t]!, want[t]!)).toBeLessThan(1e-13);
      expect(evaluations).toEqual(
        Array.from({ length: steps }, (_, t) => (t % every === 0 ? 2 : 1)),
      );
    },
  );

  it('a reuse step keeps the state object; without state it takes a SAM step', () => {
    const obj = objectiveOf(f, theta0);
    const s0 = lookSamStep(obj, { rho: 0.1, every: 4 }, 0, undefined);
    const s1 = lookSamStep(obj, { rho: 0.1, every: 4 }, 1, s0.state);
    expect(s1.state).toBe(s0.state);
    expect(s1.probeLoss).toBeUndefined();
    const fresh = lookSamStep(obj, { rho: 0.1, every: 4 }, 1, undefined);
    expect(fresh.gradientEvaluations).toBe(2);
    expect(Array.from(fresh.gradient)).toEqual(Array.from(s0.gradient));
  });

  it('g_v = 0 gives the plain gradient on reuse steps; defaults α = 0.7', () => {
    expect(DEFAULT_LOOKSAM_ALPHA).toBe(0.7);
    const obj = objectiveOf(f, theta0);
    const p = lookSamStep(obj, { rho: 0.1, every: 2 }, 1, { gvUnit: new Float64Array(5) });
    expect(Array.from(p.gradient)).toEqual(Array.from(f.gradient(theta0)));
    const q = lookSamStep(obj, { rho: 0.1, every: 2 }, 1, {
      gvUnit: Float64Array.of(1, 0, 0, 0, 0),
    });
    const g = f.gradient(theta0);
    expect(
      relativeError(q.gradient, combine([1, g], [0.7 * normOf(g), [1, 0, 0, 0, 0]])),
    ).toBeLessThan(1e-15);
  });

  it('rejects bad every, alpha, step', () => {
    const obj = objectiveOf(f, theta0);
    expect(() => lookSamStep(obj, { rho: 0.1, every: 0 }, 0, undefined)).toThrow(
      /every must be an integer >= 1/,
    );
    expect(() => lookSamStep(obj, { rho: 0.1, every: 1.5 }, 0, undefined)).toThrow(
      /every must be an integer >= 1/,
    );
    expect(() => lookSamStep(obj, { rho: 0.1, every: 2, alpha: 2 }, 0, undefined)).toThrow(
      /alpha must be a finite number in \[0, 1\]/,
    );
    expect(() => lookSamStep(obj, { rho: 0.1, every: 2 }, -1, undefined)).toThrow(
      /step must be an integer >= 0/,
    );
  });
});
