/**
 * Accuracy on a small ReLU MLP with softmax cross-entropy (issue #6): the top
 * Hessian eigenvalues within 1% of an independent dense-Hessian oracle, and the
 * trace within its reported standard error, both with exact and with
 * finite-difference Hessian-vector products.
 */
import { describe, expect, it } from 'vitest';
import { denseHessian, kinkMargin, mlpEvaluate, mlpObjective, smallProblem } from '../test/mlp.js';
import { sequence } from '../test/quadratic.js';
import { hessianEigenvalues } from './hessian-eigenvalues.js';
import { hessianTrace } from './hessian-trace.js';
import { sortByMagnitude, symmetricEigen } from './symmetric-eigen.js';

const { problem, theta } = smallProblem();
const step = 1e-5;
const dense = denseHessian(problem, theta, step);
const oracle = sortByMagnitude(symmetricEigen(dense)).values;
const oracleTrace = dense.reduce((a, row, i) => a + row[i]!, 0);

describe('the oracle (dense finite-difference Hessian of the plain-JS MLP)', () => {
  it('is taken where no ReLU is near a kink', () => {
    expect(problem.x.length).toBe(32);
    const maxInput = Math.max(...problem.x.flat().map(Math.abs));
    // A coordinate step moves a pre-activation by at most h·max(|x|, 1).
    expect(kinkMargin(problem, theta)).toBeGreaterThan(1000 * step * Math.max(maxInput, 1));
  });
  it('agrees with the hand-written R-operator product (independent derivations)', () => {
    const next = sequence(4);
    const v = Float64Array.from(theta, () => next());
    const hv = mlpEvaluate(problem, theta, v).hv!;
    const dv = dense.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
    const scale = Math.max(...dv.map(Math.abs));
    hv.forEach((x, i) => {
      expect(Math.abs(x - dv[i]!)).toBeLessThan(1e-7 * scale);
    });
  });
  it('has a well-separated, non-trivial top of the spectrum', () => {
    expect(oracle[0]!).toBeGreaterThan(0);
    expect(Math.abs(oracle[2]!)).toBeGreaterThan(1e-3 * oracle[0]!);
  });
});

describe('metrics on the MLP against the oracle', () => {
  for (const exact of [true, false]) {
    const label = exact ? 'exact R-op products' : 'central differences (core step)';
    it(`top 3 eigenvalues within 1% (${label})`, async () => {
      const r = await hessianEigenvalues(mlpObjective(problem, theta, exact), {
        k: 3,
        tolerance: 1e-4,
        seed: 3,
      });
      expect(r.converged).toBe(true);
      r.eigenvalues.forEach((l, i) => {
        const error = Math.abs(l - oracle[i]!) / Math.abs(oracle[i]!);
        // Measured: ~1e-9 (exact) and ~1e-8 (differences); the bar is the 1%.
        expect(error).toBeLessThan(exact ? 1e-6 : 1e-5);
      });
    });
    it(`trace within 3.5 standard errors, honest over seeds (${label})`, async () => {
      const z: number[] = [];
      for (let seed = 0; seed < 8; seed++) {
        const r = await hessianTrace(mlpObjective(problem, theta, exact), {
          samples: 100,
          tolerance: 0,
          seed,
        });
        z.push((r.trace - oracleTrace) / r.standardError);
      }
      z.forEach((x) => {
        expect(Math.abs(x)).toBeLessThan(3.5);
      });
      const rms = Math.sqrt(z.reduce((a, x) => a + x * x, 0) / z.length);
      expect(rms).toBeGreaterThan(0.3); // an inflated standard error would fail here
      expect(rms).toBeLessThan(2);
    });
  }
});
