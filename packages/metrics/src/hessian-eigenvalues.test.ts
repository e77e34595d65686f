import { describe, expect, it } from 'vitest';
import { matrixWithSpectrum, quadraticObjective } from '../test/quadratic.js';
import { hessianEigenvalues } from './hessian-eigenvalues.js';

const definite = [10, 6, 3.5, 2, 1.5, 1, 0.8, 0.5, 0.3, 0.2, 0.1, ...Array(19).fill(0.05)];
const indefinite = [-12, 9, -4, 3, 2.5, -2, 1, 0.5, -0.25, ...Array(21).fill(0.01)];

function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

function byMagnitude(xs: number[]): number[] {
  return [...xs].sort((a, b) => Math.abs(b) - Math.abs(a) || b - a);
}

describe('hessianEigenvalues on quadratics with a known spectrum', () => {
  for (const [name, spectrum] of [
    ['definite', definite],
    ['indefinite', indefinite],
  ] as const) {
    for (const exact of [true, false]) {
      it(`finds the top 4 of a ${name} spectrum to 1e-6 (${exact ? 'exact' : 'finite-difference'} products)`, async () => {
        const objective = quadraticObjective(matrixWithSpectrum(spectrum, 3), { exact });
        const result = await hessianEigenvalues(objective, { k: 4, tolerance: 1e-7, seed: 1 });
        const expected = byMagnitude(spectrum).slice(0, 4);
        result.eigenvalues.forEach((l, i) => {
          expect(Math.abs(l - expected[i]!) / Math.abs(expected[i]!)).toBeLessThan(1e-6);
        });
        expect(result.converged).toBe(true);
        result.residuals.forEach((r, i) => {
          expect(r).toBeLessThanOrEqual(1e-7 * Math.abs(expected[i]!));
        });
        expect(result.iterations).toBeLessThanOrEqual(30);
        expect(result.hessianVectorProducts).toBe(result.iterations + 4);
        // Finite differences: each product formed at h and 2h (the reliability check).
        expect(result.gradientEvaluations).toBe(exact ? 0 : 4 * result.hessianVectorProducts);
        expect(result.method).toBe(exact ? 'exact' : 'finite-difference');
        if (exact) expect(result.finiteDifferenceCheck).toBeUndefined();
        else expect(result.finiteDifferenceCheck?.passed).toBe(true);
      });
    }
  }

  it('power iteration with deflation finds the top 3 of a definite spectrum to 1e-6', async () => {
    const objective = quadraticObjective(matrixWithSpectrum(definite, 3));
    const r = await hessianEigenvalues(objective, {
      k: 3,
      method: 'power',
      tolerance: 1e-6,
      maxIterations: 400,
      seed: 2,
    });
    expect(r.converged).toBe(true);
    r.eigenvalues.forEach((l, i) => {
      expect(relativeError(l, definite[i]!)).toBeLessThan(1e-6);
    });
    expect(r.hessianVectorProducts).toBe(r.iterations);
  });

  it('power iteration says converged: false when λ and −λ compete', async () => {
    const objective = quadraticObjective(matrixWithSpectrum([5, -5, 1, 0.5, 0.2, 0.1], 3));
    const r = await hessianEigenvalues(objective, { method: 'power', maxIterations: 50 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(51); // 50 + 1 Rayleigh–Ritz product
    // Lanczos separates them.
    const lanczos = await hessianEigenvalues(objective, { k: 2, tolerance: 1e-8 });
    expect(lanczos.eigenvalues[0]).toBeCloseTo(5, 8);
    expect(lanczos.eigenvalues[1]).toBeCloseTo(-5, 8);
  });

  it('is deterministic under a seed', async () => {
    const objective = quadraticObjective(matrixWithSpectrum(indefinite, 2));
    const a = await hessianEigenvalues(objective, { k: 2, seed: 5, maxIterations: 6 });
    const b = await hessianEigenvalues(objective, { k: 2, seed: 5, maxIterations: 6 });
    expect(b).toEqual(a);
  });

  it('reports an honest converged: false when the iterations run out', async () => {
    // Top two are 10 and 9.9: a tiny gap that 3 Lanczos steps cannot resolve.
    const spectrum = [10, 9.9, 9.8, ...Array.from({ length: 27 }, (_, i) => 9 - 0.3 * i)];
    const objective = quadraticObjective(matrixWithSpectrum(spectrum, 4));
    const result = await hessianEigenvalues(objective, { k: 1, maxIterations: 3, tolerance: 1e-6 });
    expect(result.iterations).toBe(3);
    expect(result.converged).toBe(false);
    expect(result.residuals[0]!).toBeGreaterThan(1e-6 * 10);
  });

  it('restarts after an invariant subspace (a start vector in a 1-D eigenspace)', async () => {
    // Diagonal Hessian; the start vector has components everywhere, but with a
    // repeated eigenvalue Lanczos sees each eigenspace once: k = 3 of [5, 5, 5, 1]
    // needs restarts.
    const a = [
      [5, 0, 0, 0],
      [0, 5, 0, 0],
      [0, 0, 5, 0],
      [0, 0, 0, 1],
    ];
    const result = await hessianEigenvalues(quadraticObjective(a), { k: 3, tolerance: 1e-10 });
    expect(result.eigenvalues.map((x) => Number(x.toFixed(10)))).toEqual([5, 5, 5]);
    expect(result.converged).toBe(true);
  });

  it('finds every eigenvalue when k equals the dimension', async () => {
    const spectrum = [3, -2, 1, 0.5, -0.1];
    const result = await hessianEigenvalues(quadraticObjective(matrixWithSpectrum(spectrum)), {
      k: 5,
      tolerance: 1e-9,
    });
    result.eigenvalues.forEach((l, i) => {
      expect(l).toBeCloseTo(byMagnitude(spectrum)[i]!, 10);
    });
    expect(result.converged).toBe(true);
  });

  it('rejects bad options with a RangeError naming them', async () => {
    const objective = quadraticObjective(matrixWithSpectrum([1, 2, 3]));
    await expect(hessianEigenvalues(objective, { k: 4 })).rejects.toThrow(/k must be/);
    await expect(hessianEigenvalues(objective, { k: 0 })).rejects.toThrow(/k must be/);
    await expect(hessianEigenvalues(objective, { tolerance: 0 })).rejects.toThrow(/tolerance/);
    await expect(hessianEigenvalues(objective, { k: 2, maxIterations: 1 })).rejects.toThrow(
      /maxIterations/,
    );
    await expect(hessianEigenvalues(objective, { seed: -3 })).rejects.toThrow(/seed/);
    await expect(hessianEigenvalues(objective, { method: 'qr' as 'power' })).rejects.toThrow(
      /method/,
    );
  });
});
