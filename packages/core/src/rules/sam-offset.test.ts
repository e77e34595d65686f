import { describe, expect, it } from 'vitest';
import {
  combine,
  normOf,
  objectiveOf,
  quartic,
  randomVector,
  relativeError,
  rng,
  symmetricWithInertia,
} from '../../test/fixtures.js';
import { samOffset, samStep } from './sam.js';

const random = rng(31);
const a = symmetricWithInertia([1, 2, -1, 0.5, 1], random);
const f = quartic(a, randomVector(5, random), 0.4);
const theta = randomVector(5, random);
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
