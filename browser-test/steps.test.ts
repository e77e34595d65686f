/**
 * One step (two, to cover a second step's state) of every wrapper on the backend
 * under test against the same steps on the cpu backend in the same page: the
 * weights after each step and what `lastStep` reports, within float32 rounding.
 */

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKEND, type Make, mlp, onBackend, readAll, scalar, WRAPPERS, worst } from './helpers.js';

const STEPS = 2;

/** Weights after each of {@link STEPS} steps, and each step's reported scalars. */
async function run(make: Make | undefined) {
  const p = mlp();
  const opt = make ? make() : tf.train.sgd(0.1);
  const weights: number[][] = [];
  const reports: number[][] = [];
  for (let i = 0; i < STEPS; i++) {
    const cost = opt.minimize(p.loss, true, p.vars)!;
    weights.push(await p.read());
    const last = 'lastStep' in opt ? opt.lastStep : undefined;
    const report = [await scalar(cost)];
    if (last) {
      for (const t of [last.gradientNorm, last.probeLoss, last.ascended]) {
        if (t) report.push(await scalar(t));
      }
    }
    reports.push(report);
    cost.dispose();
  }
  opt.dispose();
  p.dispose();
  return { weights, reports };
}

describe(`every wrapper on ${BACKEND} against cpu`, () => {
  it.each(WRAPPERS)('%s: weights and lastStep match cpu after each step', async (name, make) => {
    const reference = await onBackend('cpu', () => run(make));
    const plain = await onBackend('cpu', () => run(undefined));
    const before = tf.memory().numTensors;
    const got = await run(make);
    expect(tf.memory().numTensors).toBe(before);
    const initial = await onBackend('cpu', async () => {
      const p = mlp();
      const w = await p.read();
      p.dispose();
      return w;
    });
    for (let i = 0; i < STEPS; i++) {
      // The step moved the weights by far more than the tolerance, and not as plain
      // SGD does (except flooding above its level, which is the plain step).
      expect(worst(reference.weights[i]!, initial)).toBeGreaterThan(100);
      if (name === 'flooding descending') {
        expect(worst(reference.weights[i]!, plain.weights[i]!)).toBeLessThanOrEqual(1);
      } else {
        expect(worst(reference.weights[i]!, plain.weights[i]!)).toBeGreaterThan(10);
      }
      expect(worst(got.weights[i]!, reference.weights[i]!)).toBeLessThanOrEqual(1);
      expect(got.reports[i]!.length).toBe(reference.reports[i]!.length);
      expect(worst(got.reports[i]!, reference.reports[i]!)).toBeLessThanOrEqual(1);
    }
  });

  it('a plain tf.train.sgd step matches cpu (the baseline the wrappers build on)', async () => {
    const reference = await onBackend('cpu', () => run(undefined));
    const got = await run(undefined);
    for (let i = 0; i < STEPS; i++) {
      expect(worst(got.weights[i]!, reference.weights[i]!)).toBeLessThanOrEqual(1);
    }
    expect(readAll).toBeTypeOf('function');
  });
});
