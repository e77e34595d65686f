/**
 * Smoke test of the demo's whole pipeline on a tiny MNIST slice and a tiny
 * sinusoid: data → grid search → five methods → eigenvalues → HTML report.
 * Runs on cpu and on wasm (one Vitest project each).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runExperiment } from './experiment.js';
import { makePlan, type Plan } from './plan.js';
import { renderReport } from './report.js';

const tiny = (plan: Plan): Plan => ({
  ...plan,
  examples: plan.dataset === 'mnist' ? 120 : 40,
  testExamples: 200,
  hidden: [8],
  epochs: 2,
  batchSize: 32,
  levels: [0, 0.5],
  hessianExamples: 32,
  hessianIterations: 3,
});

describe('the demo pipeline', () => {
  it('runs every method on a tiny MNIST slice and writes the report', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const result = await runExperiment(tiny(makePlan('mnist', 'quick')), {
      seed: 3,
      backend: tf.getBackend(),
      onProgress: (p) => progress.push(p.done / p.total),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.methods.map((m) => m.name)).toEqual([
      'plain',
      'flooding',
      'backstitch',
      'gradient penalty',
      'SAM',
    ]);
    expect(result.grid.map((g) => g.level)).toEqual([0, 0.5]);
    expect([0, 0.5]).toContain(result.chosenLevel);
    expect(progress.at(-1)).toBe(1);
    for (const m of result.methods) {
      expect(m.history).toHaveLength(2);
      expect(Number.isFinite(m.summary.finalTestLoss)).toBe(true);
      expect(m.summary.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(m.summary.testAccuracy).toBeLessThanOrEqual(1);
      // The loss of a ReLU net with softmax cross-entropy has a positive top curvature.
      expect(m.summary.topEigenvalue).toBeGreaterThan(0);
    }
    // Every method started from the same weights and batches: after one epoch the
    // methods differ only through their update rule, so all are finite and close.
    const firstLosses = result.methods.map((m) => m.history[0]!.trainLoss);
    expect(Math.max(...firstLosses) - Math.min(...firstLosses)).toBeLessThan(0.5);

    const html = await renderReport(result);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg/g)).toHaveLength(4);
    expect(html).toContain('Test loss per epoch');
    for (const name of ['plain', 'flooding', 'backstitch', 'gradient penalty', 'SAM']) {
      expect(html).toContain(`<td>${name}</td>`);
    }
    expect(html).not.toMatch(/<script/);
  });

  it('runs the sinusoid with the paper sizes scaled down', async () => {
    const before = tf.memory().numTensors;
    const result = await runExperiment(tiny(makePlan('sinusoid', 'quick')), {
      seed: 1,
      backend: tf.getBackend(),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.settings.data).toMatch(/40 training \/ 40 validation points with 10% flipped/);
    expect(result.methods).toHaveLength(5);
  });
});
