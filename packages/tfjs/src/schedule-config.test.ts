import { linear } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it, vi } from 'vitest';
import { flooding } from './flooding.js';

// A schedule saved with a model must load in a program that only imported
// @flood/schedulers: no registerScheduleDeserializer call (issue 18, item 3).

function model(optimizer: tf.Optimizer) {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 3,
        inputShape: [2],
        activation: 'tanh',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
      }),
      tfl.layers.dense({
        units: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}

async function train(m: tfl.LayersModel, steps: number) {
  const xs = tf.tensor2d([0.1, 0.5, -0.3, 0.8, 0.9, -0.7, 0.2, 0.2], [4, 2]);
  const ys = tf.tensor2d([0.3, -0.2, 0.5, 0.1], [4, 1]);
  for (let i = 0; i < steps; i++) await m.trainOnBatch(xs, ys);
  tf.dispose([xs, ys]);
}

const bits = (m: tfl.LayersModel) =>
  m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().slice().buffer)));

const REGISTRY = Symbol.for('@flood/core.scheduleRegistry');

describe('schedules across save/load', () => {
  it('load in a fresh module graph that only imported @flood/schedulers, and continue identically', async () => {
    const make = () =>
      flooding(tf.train.adam(0.05), { level: linear({ from: 0.5, to: 0.05, steps: 6 }) });
    const straight = model(make());
    await train(straight, 7);

    const first = model(make());
    await train(first, 3);
    let saved: tf.io.ModelArtifacts | undefined;
    await first.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );

    // A fresh program: no schedule registered, fresh copies of every @flood module.
    const g = globalThis as Record<symbol, unknown>;
    const kept = g[REGISTRY];
    delete g[REGISTRY];
    vi.resetModules();
    try {
      await import('./index.js'); // @flood/tfjs alone: its classes, no schedules
      await expect(tfl.loadLayersModel(tf.io.fromMemory(saved!))).rejects.toThrow(
        /level: no schedule type 'linear' is registered: import '@flood\/schedulers'/,
      );
      await import('@flood/schedulers'); // the import is all the user does
      const resumed = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
      expect(resumed.optimizer.getConfig()).toEqual(first.optimizer.getConfig());
      await train(resumed, 4);
      expect(bits(resumed)).toEqual(bits(straight));
      resumed.optimizer.dispose();
      resumed.dispose();
    } finally {
      g[REGISTRY] = kept;
    }
    for (const m of [straight, first]) {
      m.optimizer.dispose();
      m.dispose();
    }
  });
});
