import { describe, expect, it } from 'vitest';
import { matrixWithSpectrum, quadraticObjective } from '../test/quadratic.js';
import { hessianTrace } from './hessian-trace.js';

const spectrum = [-12, 9, -4, 3, 2.5, -2, 1, 0.5, -0.25, 4, 6, 0.3, 0.7, 1.1, 2.2];
const trace = spectrum.reduce((a, b) => a + b, 0);

describe('hessianTrace', () => {
  it('is unbiased: the estimate is within its standard error of the true trace', async () => {
    const objective = quadraticObjective(matrixWithSpectrum(spectrum, 7));
    // 20 independent runs: |error| ≤ 3·SE must hold for each (fails with p ≈ 0.05 total
    // if the SE were honest and Gaussian), and the z-scores must look standard.
    const z: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const r = await hessianTrace(objective, { samples: 50, tolerance: 0, seed });
      expect(r.samples).toBe(50);
      expect(r.standardError).toBeGreaterThan(0);
      z.push((r.trace - trace) / r.standardError);
    }
    z.forEach((x) => {
      expect(Math.abs(x)).toBeLessThan(3.5);
    });
    const meanZ = z.reduce((a, b) => a + b, 0) / z.length;
    const varZ = z.reduce((a, b) => a + (b - meanZ) ** 2, 0) / (z.length - 1);
    expect(Math.abs(meanZ)).toBeLessThan(3 / Math.sqrt(z.length));
    expect(varZ).toBeGreaterThan(0.3);
    expect(varZ).toBeLessThan(2.5);
  });

  it('is exact for a diagonal Hessian (Rademacher probes have zero variance there)', async () => {
    const a = spectrum.map((l, i) => spectrum.map((_, j) => (i === j ? l : 0)));
    const r = await hessianTrace(quadraticObjective(a), { samples: 30, seed: 2 });
    expect(r.trace).toBeCloseTo(trace, 12);
    expect(r.standardError).toBeLessThan(1e-12);
    expect(r.samples).toBe(10); // stops after minSamples
  });

  it('stops early at the relative tolerance, and counts its cost', async () => {
    const objective = quadraticObjective(matrixWithSpectrum(spectrum, 7), { exact: false });
    const r = await hessianTrace(objective, { samples: 400, tolerance: 0.2, seed: 1 });
    expect(r.samples).toBeLessThan(400);
    expect(r.samples).toBeGreaterThanOrEqual(10);
    expect(r.standardError).toBeLessThanOrEqual(0.2 * Math.abs(r.trace));
    expect(r.hessianVectorProducts).toBe(r.samples);
    expect(r.gradientEvaluations).toBe(4 * r.samples);
    expect(r.method).toBe('finite-difference');
    expect(r.finiteDifferenceCheck).toMatchObject({ passed: true, tolerance: 1e-2 });
    expect(r.finiteDifferenceCheck!.worstRelativeDifference).toBeLessThan(1e-6);
  });

  it('is deterministic under a seed', async () => {
    const objective = quadraticObjective(matrixWithSpectrum(spectrum, 7));
    expect(await hessianTrace(objective, { seed: 9 })).toEqual(
      await hessianTrace(objective, { seed: 9 }),
    );
  });

  it('rejects bad options', async () => {
    const objective = quadraticObjective(matrixWithSpectrum([1, 2]));
    await expect(hessianTrace(objective, { samples: 0 })).rejects.toThrow(/samples/);
    await expect(hessianTrace(objective, { tolerance: -1 })).rejects.toThrow(/tolerance/);
    await expect(hessianTrace(objective, { minSamples: 1 })).rejects.toThrow(/minSamples/);
  });
});
