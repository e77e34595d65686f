import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';
import { sinusoid2d } from './data.js';
import { runExperiment } from './report.js';

describe('metrics example', () => {
  it('runs end to end with tiny settings, writes the SVG and JSON, leaks nothing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'flood-metrics-'));
    const before = tf.memory().numTensors;
    try {
      const epochs: number[] = [];
      const result = await runExperiment({
        out,
        epochs: 3,
        flood: 0.25,
        seed: 2,
        trainPoints: 20,
        testPoints: 20,
        hidden: 4,
        traceSamples: 10,
        landscapePoints: 5,
        onEpoch: (_label, e) => epochs.push(e),
      });
      expect(epochs).toEqual([1, 2, 3, 1, 2, 3]);
      expect(result.models.map((m) => m.label)).toEqual(['plain', 'flooding b = 0.25']);
      for (const { measurements: m } of result.models) {
        expect(m.eigenvalues).toHaveLength(3);
        expect(Number.isFinite(m.trace)).toBe(true);
        expect(m.landscape.losses).toHaveLength(5);
        expect(m.gradientEvaluations).toBeGreaterThan(0);
      }
      expect(result.table).toMatch(/top Hessian eigenvalues/);
      const svg = await readFile(result.files.svg, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('1-D loss landscape');
      const json = JSON.parse(await readFile(result.files.json, 'utf8'));
      expect(json.models).toHaveLength(2);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('sinusoid2d', () => {
  it('labels by sign(1.5 x1 + sin 1.5 x2) in the disc of radius 2, flipping 10%', () => {
    const clean = sinusoid2d(200, 0, 5);
    const noisy = sinusoid2d(200, 0.1, 5);
    clean.x.forEach((p, i) => {
      expect(Math.hypot(p[0]!, p[1]!)).toBeLessThanOrEqual(2);
      expect(clean.y[i]).toBe(1.5 * p[0]! + Math.sin(1.5 * p[1]!) >= 0 ? 1 : -1);
    });
    expect(noisy.x).toEqual(clean.x);
    expect(noisy.y.filter((y, i) => y !== clean.y[i]).length).toBe(20);
  });
});

describe('parseCli', () => {
  it('has small defaults and rejects bad values', () => {
    expect(parseCli([])).toEqual({
      help: false,
      out: 'out',
      epochs: 500,
      flood: 0.25,
      seed: 1,
      backend: 'wasm',
    });
    expect(parseCli(['--epochs', '7', '--out', 'x', '--backend', 'cpu'])).toMatchObject({
      epochs: 7,
      out: 'x',
      backend: 'cpu',
    });
    expect(() => parseCli(['--epochs', '0'])).toThrow(/--epochs/);
    expect(() => parseCli(['--flood', '-1'])).toThrow(/--flood/);
    expect(() => parseCli(['--backend', 'gpu'])).toThrow(/--backend/);
    expect(() => parseCli(['--nope'])).toThrow();
    // `pnpm --filter … start -- --help` (the form the README and HELP give) passes the `--` on.
    expect(parseCli(['--', '--help']).help).toBe(true);
    expect(parseCli(['--', '--epochs', '7'])).toMatchObject({ epochs: 7 });
  });
});
