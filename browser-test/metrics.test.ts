/**
 * `@flood/metrics` on the backend under test (asynchronous reads only) against
 * the same calls on cpu in the same page: gradient norm, top Hessian eigenvalues
 * and the Hutchinson trace of the test MLP (softplus, so smooth), with exact (double-backprop) and
 * finite-difference Hessian-vector products; no tensor left behind.
 */
import { gradientNorm, hessianEigenvalues, hessianTrace } from '@flood/metrics';
import { variablesObjective } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKEND, mlp, onBackend } from './helpers.js';

/** Every metric on the active backend. */
async function measure(exactHessian: boolean) {
  const p = mlp(5, 'softplus');
  const objective = variablesObjective(p.loss, p.vars, { exactHessian });
  const before = tf.memory().numTensors;
  const norm = await gradientNorm(objective, { perVariable: true });
  const eig = await hessianEigenvalues(objective, { k: 1, tolerance: 1e-3, seed: 3 });
  const trace = await hessianTrace(objective, { samples: 4, tolerance: 0, seed: 5 });
  const leaked = tf.memory().numTensors - before;
  p.dispose();
  return { norm, eig, trace, leaked };
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe(`metrics on ${BACKEND} against cpu`, () => {
  it.each([
    ['exact', true, 1e-4],
    ['finite-difference', false, 2e-2],
  ] as const)('%s Hessian products: norm, eigenvalues, trace', async (_k, exact, rtol) => {
    const reference = await onBackend('cpu', () => measure(exact));
    const got = await measure(exact);
    expect(got.leaked).toBe(0);
    expect(relative(got.norm.norm, reference.norm.norm)).toBeLessThan(1e-5);
    expect(relative(got.norm.loss, reference.norm.loss)).toBeLessThan(1e-5);
    expect(Object.keys(got.norm.perVariable!)).toHaveLength(8);
    expect(reference.eig.converged).toBe(true);
    expect(got.eig.converged).toBe(true);
    got.eig.eigenvalues.forEach((l, i) => {
      expect(relative(l, reference.eig.eigenvalues[i]!)).toBeLessThan(rtol);
    });
    expect(got.trace.samples).toBe(4);
    expect(relative(got.trace.trace, reference.trace.trace)).toBeLessThan(rtol);
  });
});
