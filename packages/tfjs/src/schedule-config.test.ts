import { linear } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it, vi } from 'vitest';
import { saveWithOptimizer, weightBits } from '../test/round-trip.js';
import { disposeModels, regressor, trainSteps } from '../test/small-models.js';
import { flooding } from './flooding.js';

// A schedule saved with a model must load in a program that only imported
// @flood/schedulers: no registerScheduleDeserializer call (issue 18, item 3).

const REGISTRY = Symbol.for('@flood/core.scheduleRegistry');

describe('schedules across save/load', () => {
  it('load in a fresh module graph that only imported @flood/schedulers, and continue identically', async () => {
    const make = () =>
      flooding(tf.train.adam(0.05), { level: linear({ from: 0.5, to: 0.05, steps: 6 }) });
    const straight = regressor(make(), { seed: 3 });
    await trainSteps(straight, 7);

    const first = regressor(make(), { seed: 3 });
    await trainSteps(first, 3);
    const saved = await saveWithOptimizer(first);

    // A fresh program: no schedule registered, fresh copies of every @flood module.
    const g = globalThis as Record<symbol, unknown>;
    const kept = g[REGISTRY];
    delete g[REGISTRY];
    vi.resetModules();
    try {
      await import('./index.js'); // @flood/tfjs alone: its classes, no schedules
      await expect(tfl.loadLayersModel(tf.io.fromMemory(saved))).rejects.toThrow(
        /level: no schedule type 'linear' is registered: import '@flood\/schedulers'/,
      );
      await import('@flood/schedulers'); // the import is all the user does
      const resumed = await tfl.loadLayersModel(tf.io.fromMemory(saved));
      expect(resumed.optimizer.getConfig()).toEqual(first.optimizer.getConfig());
      await trainSteps(resumed, 4);
      expect(weightBits(resumed)).toEqual(weightBits(straight));
      disposeModels(resumed);
    } finally {
      g[REGISTRY] = kept;
    }
    disposeModels(straight, first);
  });
});
