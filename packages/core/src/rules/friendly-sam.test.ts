import { describe, expect, it } from 'vitest';
import {
  drawProblem,
  objectiveOf,
  quadratic,
  quartic,
  randomVector,
  sgdPath,
} from '../../test/fixtures.js';
import { combine, normOf, relativeError } from '../../test/vectors.js';
import {
  DEFAULT_FSAM_MOMENTUM,
  DEFAULT_FSAM_SIGMA,
  type FriendlySamState,
  friendlySamStep,
} from './friendly-sam.js';
import { samStep } from './sam.js';

const { a, c, theta: theta0 } = drawProblem(2024, [1, 2, -0.5, 0.75, 1.5, 0.3]);
const f = quartic(a, c, 0.2);

/** F-SAM as nblt/F-SAM orders it, float64 loops, SGD(lr) base: parameters after each step. */
function reference(rho: number, sigma: number, lambda: number, lr: number, steps: number) {
  let m: Float64Array | undefined;
  const out = sgdPath(theta0, lr, steps, (theta) => {
    const g = f.gradient(theta);
    let d = g;
    if (!m) {
      m = Float64Array.from(g);
    } else {
      d = combine([1, g], [-sigma, m]);
      m = combine([lambda, m], [1 - lambda, g]);
    }
    return f.gradient(combine([1, theta], [rho / (normOf(d) + 1e-12), d]));
  });
  return { out, m: m! };
}

describe('friendlySamStep', () => {
  it('the first step is SAM and stores m = g', () => {
    const q = quadratic(a, c);
    const p = friendlySamStep(objectiveOf(q, theta0), { rho: 0.2 }, undefined);
    const s = samStep(objectiveOf(q, theta0), { rho: 0.2 });
    expect(Array.from(p.gradient)).toEqual(Array.from(s.gradient));
    expect(Array.from(p.state.m)).toEqual(Array.from(q.gradient(theta0)));
    expect(p.gradientEvaluations).toBe(2);
  });

  it('with started: s = 0 and m = 0 is the first step (m₁ = g); s = 1 is the step without it', () => {
    const q = quadratic(a, c);
    const params = { rho: 0.3, sigma: 0.8, momentum: 0.6 };
    const first = friendlySamStep(objectiveOf(q, theta0), params, undefined);
    const zero = friendlySamStep(objectiveOf(q, theta0), params, {
      m: new Float64Array(6),
      started: 0,
    });
    expect(Array.from(zero.gradient)).toEqual(Array.from(first.gradient));
    expect(Array.from(zero.state.m)).toEqual(Array.from(q.gradient(theta0)));
    const m = randomVector(6, 7);
    const set = friendlySamStep(objectiveOf(q, theta0), params, { m });
    const one = friendlySamStep(objectiveOf(q, theta0), params, { m, started: 1 });
    expect(Array.from(one.gradient)).toEqual(Array.from(set.gradient));
    expect(Array.from(one.state.m)).toEqual(Array.from(set.state.m));
    // and m = λm + (1 − λ)g, independently
    const want = combine([0.6, m], [0.4, q.gradient(theta0)]);
    expect(relativeError(one.state.m, want)).toBeLessThan(1e-15);
  });

  it('closed form on a quadratic, given m: g_p = g + ρA d/(‖d‖ + 1e-12), d = g − σm', () => {
    const q = quadratic(a, c);
    const m = randomVector(6, 7);
    const g = q.gradient(theta0);
    const p = friendlySamStep(
      objectiveOf(q, theta0),
      { rho: 0.3, sigma: 0.8, momentum: 0.6 },
      { m },
    );
    const d = combine([1, g], [-0.8, m]);
    const want = combine([1, g], [0.3 / (normOf(d) + 1e-12), q.hessianVector(theta0, d)]);
    expect(relativeError(p.gradient, want)).toBeLessThan(1e-12);
    expect(relativeError(p.state.m, combine([0.6, m], [0.4, g]))).toBeLessThan(1e-15);
    expect(p.state.m).not.toBe(m);
  });

  it.each([
    [0.2, 1, 0.6],
    [0.05, 0.5, 0.9],
    [0.5, 1, 0.95],
  ])('ρ = %d, σ = %d, λ = %d: three SGD steps equal the float64 oracle', (rho, sigma, momentum) => {
    const lr = 0.05;
    const obj = objectiveOf(f, theta0);
    let state: FriendlySamState<Float64Array> | undefined;
    const want = reference(rho, sigma, momentum, lr, 3);
    for (let t = 0; t < 3; t++) {
      const p = friendlySamStep(obj, { rho, sigma, momentum }, state);
      state = p.state;
      obj.moveBy(combine([-lr, p.gradient]));
      expect(relativeError(obj.parameters(), want.out[t]!)).toBeLessThan(1e-13);
    }
    expect(relativeError(state!.m, want.m)).toBeLessThan(1e-13);
  });

  it('σ = 0 is SAM at every step; defaults σ = 1, λ = 0.9', () => {
    expect([DEFAULT_FSAM_SIGMA, DEFAULT_FSAM_MOMENTUM]).toEqual([1, 0.9]);
    const obj = objectiveOf(f, theta0);
    const m = randomVector(6, 9);
    const p = friendlySamStep(obj, { rho: 0.1, sigma: 0 }, { m });
    const s = samStep(obj, { rho: 0.1 });
    expect(Array.from(p.gradient)).toEqual(Array.from(s.gradient));
    const dflt = friendlySamStep(obj, { rho: 0.1 }, { m });
    const explicit = friendlySamStep(obj, { rho: 0.1, sigma: 1, momentum: 0.9 }, { m });
    expect(Array.from(dflt.gradient)).toEqual(Array.from(explicit.gradient));
    expect(Array.from(dflt.state.m)).toEqual(Array.from(explicit.state.m));
  });

  it('rejects momentum outside [0, 1) and negative sigma', () => {
    const obj = objectiveOf(f, theta0);
    for (const momentum of [1, -0.1, Number.NaN]) {
      expect(() => friendlySamStep(obj, { rho: 0.1, momentum }, undefined)).toThrow(
        /momentum must be a finite number in \[0, 1\)/,
      );
    }
    expect(() => friendlySamStep(obj, { rho: 0.1, sigma: -1 }, undefined)).toThrow(
      /sigma must be a finite number >= 0/,
    );
  });
});
