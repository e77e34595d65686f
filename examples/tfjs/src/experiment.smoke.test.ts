/**
 * Smoke test of the demo's whole pipeline on tiny MNIST and Fashion-MNIST
 * slices with label noise: data → flood-level search → every method over two
 * seeds → curvature → summary with intervals and verdict → HTML report.
 * Runs on cpu and on wasm (one Vitest project each), in this thread.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runExperiment } from './experiment.js';
import { makePlan, type Plan } from './plan.js';
import { renderReport } from './report.js';
import { summarise } from './summary.js';

const tiny = (plan: Plan): Plan => ({
  ...plan,
  examples: 100,
  testExamples: 100,
  hidden: [8],
  epochs: 2,
  batchSize: 32,
  levelFactors: [1],
  hessianExamples: 16,
  hessianIterations: 3,
  traceSamples: 2,
});

const NAMES = [
  'plain',
  'plain + early stop',
  'flooding',
  'flooding + early stop',
  'iFlood',
  'SAM',
  'backstitch',
  'gradient penalty',
];

describe('the demo pipeline', () => {
  it('runs every method over two seeds on noisy MNIST and writes the report', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const plan = tiny(makePlan('mnist', 'quick', { seeds: 2, noise: [0.4] }));
    const run = await runExperiment(plan, {
      workers: 0,
      backend: 'cpu',
      fastWasm: false,
      onProgress: (p) => progress.push(p.done / p.total),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(progress.at(-1)).toBe(1);
    expect(run.seeds.map((s) => s.seed)).toEqual([1, 2]);
    for (const s of run.seeds) {
      expect(s.runs.map((r) => r.name)).toEqual(NAMES);
      expect(s.grid.map((g) => g.level)).toEqual([0, 1.55]);
      expect(s.trainNoise).toBeCloseTo(0.4, 1);
      for (const r of s.runs) {
        expect(r.history).toHaveLength(2);
        expect(r.reportedEpoch).toBeGreaterThanOrEqual(1);
        if (r.curvature) {
          expect(r.curvature.method).toBe('exact');
          expect(Number.isFinite(r.curvature.topEigenvalue)).toBe(true);
        }
      }
      // Same initial weights and batches: first-epoch losses differ only by the update rule.
      const first = s.runs.map((r) => r.history[0]!.trainLoss);
      expect(Math.max(...first) - Math.min(...first)).toBeLessThan(0.5);
    }
    const summaries = summarise(run.seeds);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.verdict).toMatch(/over 2 paired seeds/);
    const html = await renderReport({
      plan,
      data: run.seeds[0]!.data,
      backend: run.backend,
      seeds: run.seeds,
      summaries,
      date: 'now',
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html.indexOf('class="verdict"')).toBeLessThan(html.indexOf('<svg'));
    for (const name of NAMES) expect(html).toContain(`<td>${name}</td>`);
    expect(html).not.toMatch(/<script/);
  }, 240_000);

  it('full: adds GSAM, LookSAM and adaptive flooding, and hands out each pair once it is complete', async () => {
    const before = tf.memory().numTensors;
    const plan = tiny(makePlan('mnist', 'full', { seeds: 1, noise: [0.4, 0] }));
    const finished: [number, number][] = [];
    const run = await runExperiment(
      { ...plan, cleanLevels: [0.05] },
      {
        workers: 0,
        backend: 'cpu',
        fastWasm: false,
        onResult: (r) => finished.push([r.noise, r.seed]),
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(finished).toEqual([
      [0.4, 1],
      [0, 1],
    ]);
    expect(run.seeds.map((s) => s.noise)).toEqual([0.4, 0]);
    for (const s of run.seeds) {
      expect(s.runs.map((r) => r.name)).toEqual([...NAMES, 'GSAM', 'LookSAM', 'adaptive flooding']);
      expect(s.runs.at(-1)!.levelChanges).toBeDefined();
    }
    const summaries = summarise(run.seeds);
    expect(summaries.map((s) => s.noise)).toEqual([0, 0.4]);
    expect(summaries[0]!.adaptiveLevels).toHaveLength(1);
  }, 240_000);

  it('runs Fashion-MNIST without noise (the clean grid)', async () => {
    const before = tf.memory().numTensors;
    const plan = tiny(makePlan('fashion', 'quick', { seeds: 1, noise: [0] }));
    const run = await runExperiment(
      { ...plan, cleanLevels: [0.05] },
      {
        workers: 0,
        backend: 'cpu',
        fastWasm: false,
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(run.seeds[0]!.data).toMatch(/^Fashion-MNIST: .* labels clean/);
    expect(run.seeds[0]!.grid.map((g) => g.level)).toEqual([0, 0.05]);
    expect(summarise(run.seeds)[0]!.verdict).toMatch(/one seed only, so no interval/);
  }, 240_000);
});
