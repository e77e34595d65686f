/**
 * The metrics on TensorFlow.js (float32, this project's backend: cpu or wasm)
 * against the float64 oracle of the same ReLU MLP with the same weights and data:
 * core's central-difference Hessian-vector products in float32 (tfjs's own
 * second-order autodiff is not used: docs/metrics.md, "How the Hessian products
 * are computed"), host-drawn seeded probes (the
 * same on every backend), and no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { denseHessian, kinkMargin, mlpObjective, smallProblem } from '../test/mlp.js';
import { tfMlpObjective } from '../test/tf-mlp.js';
import { gradientNorm } from './gradient-norm.js';
import { hessianEigenvalues } from './hessian-eigenvalues.js';
import { hessianTrace } from './hessian-trace.js';
import { lossInterpolation, lossLandscape } from './landscape.js';
import { gradientNoiseScale } from './noise-scale.js';
import { epsilonSharpness, sharpness } from './sharpness.js';
import { sortByMagnitude, symmetricEigen } from './symmetric-eigen.js';

const { problem, theta } = smallProblem();
const dense = denseHessian(problem, theta);
const oracle = sortByMagnitude(symmetricEigen(dense)).values;
const oracleTrace = dense.reduce((a, row, i) => a + row[i]!, 0);
const reference = mlpObjective(problem, theta);
const { objective, dispose } = tfMlpObjective(problem, theta);
afterAll(dispose);

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Runs `fn` and checks that it leaves no tensor behind. */
async function leakFree<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe(`metrics on tfjs (${tf.getBackend()}, float32) against the float64 oracle`, () => {
  it('top 3 Hessian eigenvalues within 1% (measured ≈ 2e-5) by float32 central differences', async () => {
    const r = await leakFree(() =>
      hessianEigenvalues(objective, { k: 3, tolerance: 2e-3, seed: 3 }),
    );
    expect(r.converged).toBe(true);
    r.eigenvalues.forEach((l, i) => {
      expect(relative(l, oracle[i]!)).toBeLessThan(1e-3);
    });
    expect(r.gradientEvaluations).toBe(4 * r.hessianVectorProducts);
    expect(r.method).toBe('finite-difference');
    expect(r.finiteDifferenceCheck?.passed).toBe(true);
  });

  it('power iteration: the top eigenvalue within 1%, leak-free', async () => {
    const r = await leakFree(() =>
      hessianEigenvalues(objective, { method: 'power', tolerance: 1e-3, maxIterations: 60 }),
    );
    expect(r.converged).toBe(true);
    expect(relative(r.eigenvalues[0]!, oracle[0]!)).toBeLessThan(1e-2);
  });

  it('trace: the same probes as float64 give the same estimate; the oracle lies within 3 SE', async () => {
    const options = { samples: 60, tolerance: 0, seed: 5 };
    const r = await leakFree(() => hessianTrace(objective, options));
    const host = await hessianTrace(reference, options);
    // Only the products differ (float32 differences vs exact R-op): measured ≈ 1e-5.
    expect(relative(r.trace, host.trace)).toBeLessThan(1e-3);
    expect(relative(r.standardError, host.standardError)).toBeLessThan(1e-2);
    expect(Math.abs(r.trace - oracleTrace)).toBeLessThan(3 * r.standardError);
  });

  it('gradient norms, sharpness, landscapes and noise scale match float64', async () => {
    const g = await leakFree(() => gradientNorm(objective, { perVariable: true }));
    const g64 = await gradientNorm(reference, { perVariable: true });
    expect(relative(g.norm, g64.norm)).toBeLessThan(1e-5);
    expect(
      Object.values(g.perVariable!).map((x, i) => relative(x, Object.values(g64.perVariable!)[i]!)),
    ).toEqual(Array(4).fill(expect.closeTo(0, 4)));
    for (const options of [{ rho: 0.05 }, { rho: 0.05, steps: 3 }, { rho: 0.5, adaptive: true }]) {
      const s = await leakFree(() => sharpness(objective, options));
      const s64 = await sharpness(reference, options);
      expect(relative(s.sharpness, s64.sharpness)).toBeLessThan(1e-3);
    }
    const e = await leakFree(() => epsilonSharpness(objective, { epsilon: 1e-2, steps: 3 }));
    const e64 = await epsilonSharpness(reference, { epsilon: 1e-2, steps: 3 });
    expect(relative(e.sharpness, e64.sharpness)).toBeLessThan(1e-3);
    const l = await leakFree(() => lossLandscape(objective, { points: 5, seed: 2 }));
    const l64 = await lossLandscape(reference, { points: 5, seed: 2 });
    (l.losses as number[]).forEach((x, i) => {
      expect(relative(x, (l64.losses as number[])[i]!)).toBeLessThan(1e-5);
    });
    const other = objective.space.fromArrays(
      objective.space.blocks.map((b) =>
        Float64Array.from({ length: b.size }, (_, i) => Math.sin(i)),
      ),
    );
    const other64 = reference.space.fromArrays(
      reference.space.blocks.map((b) =>
        Float64Array.from({ length: b.size }, (_, i) => Math.sin(i)),
      ),
    );
    const p = await leakFree(() => lossInterpolation(objective, other, { points: 3 }));
    const p64 = await lossInterpolation(reference, other64, { points: 3 });
    p.losses.forEach((x, i) => {
      expect(relative(x, p64.losses[i]!)).toBeLessThan(1e-5);
    });
    objective.space.dispose(other);
    const n = await leakFree(() =>
      gradientNoiseScale(
        { batchSize: 16, objectives: [objective] },
        { batchSize: 32, objectives: [objective] },
      ),
    );
    expect(relative(n.bigNormSquared, g64.norm ** 2)).toBeLessThan(1e-5);
  });
});

describe(`exact double-backprop products on tfjs (${tf.getBackend()}): the ReLU-kink trap`, () => {
  // 2-class softmax cross-entropy as softplus(z_other − z_label): second-order safe in tfjs.
  const two = smallProblem({ classes: 2 });
  const twoDense = denseHessian(two.problem, two.theta);
  const twoOracle = sortByMagnitude(symmetricEigen(twoDense)).values;
  for (const layers of [false, true]) {
    it(`match the float64 oracle to float32 precision (${layers ? 'tfjs-layers Dense' : 'raw ops'})`, async () => {
      const tfObjective = tfMlpObjective(two.problem, two.theta, { exact: true, layers });
      try {
        const r = await leakFree(() =>
          hessianEigenvalues(tfObjective.objective, { k: 3, tolerance: 1e-4, seed: 3 }),
        );
        expect(r.converged).toBe(true);
        expect(r.gradientEvaluations).toBe(0);
        r.eigenvalues.forEach((l, i) => {
          expect(relative(l, twoOracle[i]!)).toBeLessThan(1e-5); // measured ≤ 2e-7
        });
        const options = { samples: 20, tolerance: 0, seed: 1 };
        const t = await leakFree(() => hessianTrace(tfObjective.objective, options));
        const host = await hessianTrace(mlpObjective(two.problem, two.theta), options);
        expect(relative(t.trace, host.trace)).toBeLessThan(1e-5);
      } finally {
        tfObjective.dispose();
      }
    });
  }

  it('near a kink: float32 differences are biased (and say so); exact products are not', async () => {
    // Seed 12 puts a pre-activation 2.6e-4 from zero, inside the float32 difference step.
    const near = smallProblem({ classes: 2, margin: 0, n: 64, hidden: 16, seed: 12 });
    expect(kinkMargin(near.problem, near.theta)).toBeLessThan(1e-3);
    const truth = await hessianEigenvalues(mlpObjective(near.problem, near.theta), {
      k: 3,
      tolerance: 1e-8,
      seed: 3,
    });
    const fd = tfMlpObjective(near.problem, near.theta);
    const exact = tfMlpObjective(near.problem, near.theta, { exact: true });
    try {
      const biased = await hessianEigenvalues(fd.objective, { k: 3, tolerance: 1e-3, seed: 3 });
      const errors = biased.eigenvalues.map((l, i) => relative(l, truth.eigenvalues[i]!));
      // Honest flags: whenever differences are off by more than 1%, converged is false
      // and the two-step check fails.
      if (Math.max(...errors) > 1e-2) {
        expect(biased.converged).toBe(false);
        expect(biased.finiteDifferenceCheck?.passed).toBe(false);
      }
      const trace = await hessianTrace(fd.objective, { samples: 10, tolerance: 0, seed: 3 });
      expect(trace.method).toBe('finite-difference');
      expect(trace.finiteDifferenceCheck?.passed).toBe(false);
      const r = await hessianEigenvalues(exact.objective, { k: 3, tolerance: 1e-3, seed: 3 });
      expect(r.converged).toBe(true);
      expect(r.method).toBe('exact');
      r.eigenvalues.forEach((l, i) => {
        expect(relative(l, truth.eigenvalues[i]!)).toBeLessThan(1e-5); // measured ≤ 3e-7
      });
    } finally {
      fd.dispose();
      exact.dispose();
    }
  });
});
