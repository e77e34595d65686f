import { arrayObjective } from '@flood/core';
import { describe, expect, it } from 'vitest';
import { quadraticObjective } from '../test/quadratic.js';
import { epsilonSharpness, sharpness } from './sharpness.js';

function diagonal(values: number[]): number[][] {
  return values.map((v, i) => values.map((_, j) => (i === j ? v : 0)));
}
const zeros = (n: number) => Array.from({ length: n }, () => Array(n).fill(0));
const norm = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((a, v) => a + v * v, 0));

/** max_{‖e‖ ≤ ρ} gᵀe + ½ eᵀ diag(a) e for a ≥ 0: e = (μ − a)⁻¹g with ‖e‖ = ρ, by bisection on μ. */
function trustRegionMax(a: number[], g: number[], rho: number): number {
  const e = (mu: number) => g.map((gi, i) => gi / (mu - a[i]!));
  let lo = Math.max(...a) + 1e-12;
  let hi = Math.max(...a) + norm(g) / rho + 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (norm(e(mid)) > rho) lo = mid;
    else hi = mid;
  }
  const x = e(0.5 * (lo + hi));
  return x.reduce((s, xi, i) => s + g[i]! * xi + 0.5 * a[i]! * xi * xi, 0);
}

describe('sharpness (SAM ρ-sharpness)', () => {
  const b = Float64Array.of(0.3, -1.2, 0.4, 2);
  const theta = Float64Array.of(1, -2, 0.5, 0.25);
  it('is exact for a linear loss in one step: ρ‖b‖', async () => {
    const r = await sharpness(quadraticObjective(zeros(4), { b, theta }), { rho: 0.1 });
    expect(r.sharpness).toBeCloseTo(0.1 * norm(b), 11);
    expect(r.loss).toBeCloseTo(0.3 + 2.4 + 0.2 + 0.5, 14);
    expect(r.perturbedLoss - r.loss).toBeCloseTo(r.sharpness, 13);
    expect(r.perturbationNorm).toBeCloseTo(0.1, 11);
    expect(r.gradientEvaluations).toBe(1);
    expect(r.lossEvaluations).toBe(1);
  });
  it('adaptive: ρ‖T b‖ with T = |θ| + η for a linear loss', async () => {
    const r = await sharpness(quadraticObjective(zeros(4), { b, theta }), {
      rho: 0.5,
      adaptive: true,
      eta: 0.1,
    });
    const tb = Array.from(b, (bi, i) => (Math.abs(theta[i]!) + 0.1) * bi);
    expect(r.sharpness).toBeCloseTo(0.5 * norm(tb), 11);
  });
  it('multi-step ascent reaches the trust-region maximum of a convex quadratic', async () => {
    const a = [4, 1, 0.5, 2];
    const g = [0.1, 1, 0.3, 0.2];
    const objective = quadraticObjective(diagonal(a), {
      b: Float64Array.from(g),
      theta: new Float64Array(4),
    });
    const exact = trustRegionMax(a, g, 1);
    const one = await sharpness(objective, { rho: 1 });
    const many = await sharpness(objective, { rho: 1, steps: 40 });
    expect(one.sharpness).toBeLessThan(0.9 * exact);
    expect(many.sharpness).toBeLessThanOrEqual(exact * (1 + 1e-12));
    expect(many.sharpness).toBeGreaterThan(exact * (1 - 1e-3));
    expect(many.gradientEvaluations).toBe(40);
    expect(many.lossEvaluations).toBe(1);
  });
  it('adaptive sharpness with η = 0 is invariant to rescaling the parameters', async () => {
    // L′(θ′) = L(θ′/c): A′ = D⁻¹AD⁻¹, b′ = D⁻¹b, θ′ = Dθ.
    const a = [
      [3, 1, 0],
      [1, 2, 0.5],
      [0, 0.5, 1],
    ];
    const c = [10, 0.1, 3];
    const base = { b: Float64Array.of(0.2, -0.1, 0.3), theta: Float64Array.of(0.5, -1, 2) };
    const scaled = {
      b: base.b.map((x, i) => x / c[i]!),
      theta: base.theta.map((x, i) => x * c[i]!),
    };
    const a2 = a.map((row, i) => row.map((x, j) => x / (c[i]! * c[j]!)));
    for (const steps of [1, 5]) {
      const options = { rho: 0.3, adaptive: true, eta: 0, steps };
      const r1 = await sharpness(quadraticObjective(a, base), options);
      const r2 = await sharpness(quadraticObjective(a2, scaled), options);
      expect(r2.sharpness).toBeCloseTo(r1.sharpness, 12);
      // …while plain sharpness is not.
      const p1 = await sharpness(quadraticObjective(a, base), { rho: 0.3, steps });
      const p2 = await sharpness(quadraticObjective(a2, scaled), { rho: 0.3, steps });
      expect(Math.abs(p2.sharpness - p1.sharpness)).toBeGreaterThan(1e-3);
    }
  });
  it('leaves θ unchanged and rejects bad options', async () => {
    const objective = quadraticObjective(diagonal([1, 2]), { b: Float64Array.of(1, 1) });
    const before = objective.parameters();
    await sharpness(objective, { steps: 3 });
    expect(objective.parameters()).toEqual(before);
    await expect(sharpness(objective, { rho: 0 })).rejects.toThrow(/rho/);
    await expect(sharpness(objective, { steps: 0 })).rejects.toThrow(/steps/);
    await expect(sharpness(objective, { eta: -1 })).rejects.toThrow(/eta/);
  });
});

describe('epsilonSharpness (Keskar et al.)', () => {
  it('is 100·ε·Σ|(|θᵢ|+1)bᵢ| / (1 + L) for a linear loss', async () => {
    const b = Float64Array.of(0.3, -1.2, 0.4, 2);
    const theta = Float64Array.of(1, -2, 0.5, 0.25);
    const loss = 0.3 + 2.4 + 0.2 + 0.5;
    const r = await epsilonSharpness(quadraticObjective(zeros(4), { b, theta }), { epsilon: 1e-3 });
    const max =
      1e-3 * Array.from(b).reduce((s, bi, i) => s + Math.abs((Math.abs(theta[i]!) + 1) * bi), 0);
    expect(r.loss).toBeCloseTo(loss, 14);
    expect(r.sharpness).toBeCloseTo((100 * max) / (1 + loss), 12);
    expect(r.gradientEvaluations).toBe(10);
    expect(r.lossEvaluations).toBe(1);
  });
  it('finds the box maximum of a separable quadratic with concave coordinates', async () => {
    // L(θ + e) − L(θ) = Σ gᵢeᵢ + ½aᵢeᵢ²; per coordinate: an end of the box, or
    // the interior maximum −gᵢ/aᵢ where aᵢ < 0 and it lies inside.
    const a = [2, -50, -400, 1, -1];
    const theta = Float64Array.of(0.5, -0.02, 0.01, 0, 0.3);
    const g = a.map((ai, i) => ai * theta[i]! + 0.01 * (i + 1));
    const b = Float64Array.from(g, (gi, i) => gi - a[i]! * theta[i]!);
    const epsilon = 0.01;
    let max = 0;
    g.forEach((gi, i) => {
      const box = epsilon * (Math.abs(theta[i]!) + 1);
      const f = (e: number) => gi * e + 0.5 * a[i]! * e * e;
      const interior = a[i]! < 0 ? Math.min(box, Math.max(-box, -gi / a[i]!)) : box;
      max += Math.max(f(box), f(-box), f(interior));
    });
    const objective = quadraticObjective(diagonal(a), { b, theta });
    const loss = objective.evaluate().loss;
    expect(loss).toBeGreaterThan(0);
    const r = await epsilonSharpness(objective, { epsilon, steps: 30 });
    const exact = (100 * max) / (1 + loss);
    expect(r.sharpness).toBeLessThanOrEqual(exact * (1 + 1e-12));
    expect(r.sharpness).toBeGreaterThan(exact * 0.995);
  });
  it('rejects bad options', async () => {
    const objective = arrayObjective(
      (t) => ({ loss: t[0]!, gradient: Float64Array.of(1) }),
      Float64Array.of(0),
    );
    await expect(epsilonSharpness(objective, { epsilon: -1 })).rejects.toThrow(/epsilon/);
    await expect(epsilonSharpness(objective, { steps: 0 })).rejects.toThrow(/steps/);
  });
});
