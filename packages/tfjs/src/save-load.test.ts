import { adaptiveFloodLevel, linear, scheduleFromJSON } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAndLoad, weightBits } from '../test/round-trip.js';
import { disposeModels, regressor, trainSteps } from '../test/small-models.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { gradientPenalty } from './gradient-penalty.js';
import { sam } from './sam.js';
import { registerScheduleDeserializer } from './schedule-config.js';
import { type FloodOptimizer, isFloodOptimizer } from './wrapper.js';

beforeAll(() => {
  registerScheduleDeserializer(scheduleFromJSON);
});
afterAll(() => {
  registerScheduleDeserializer(undefined);
});

const makers: [string, () => FloodOptimizer][] = [
  [
    'flooding(sam(adam)) with an adaptive level',
    () => {
      const level = adaptiveFloodLevel({ fraction: 0.5, patience: 1, initial: 0.01 });
      return flooding(sam(tf.train.adam(0.05), { rho: 0.05 }), { level });
    },
  ],
  [
    'backstitch(momentum) with a ratio schedule, interval 2',
    () =>
      backstitch(tf.train.momentum(0.05, 0.9), {
        ratio: linear({ from: 0.1, to: 0.3, steps: 4 }),
        interval: 2,
      }),
  ],
  [
    'gradientPenalty(rmsprop), skip policy',
    () =>
      gradientPenalty(tf.train.rmsprop(0.01), {
        coefficient: 0.1,
        power: 1,
        radius: 0.05,
        onNonFinite: 'skip',
      }),
  ],
];

describe.each(makers)('save/load/continue: %s', (_name, make) => {
  it('continues bit-identically to an uninterrupted run', async () => {
    const observe = (opt: FloodOptimizer, i: number) =>
      opt.observe({
        step: opt.iterations,
        trainingLoss: 0.2 - 0.01 * i,
        validationLoss: 0.3 + 0.01 * i,
      });

    const straight = regressor(make());
    await trainSteps(straight, 3);
    observe(straight.optimizer as FloodOptimizer, 0);
    observe(straight.optimizer as FloodOptimizer, 1);
    const level = (straight.optimizer as { level?: { getState(): { changes: unknown[] } } }).level;
    if (level) expect(level.getState().changes).toHaveLength(1); // the observations set b
    await trainSteps(straight, 4);

    const first = regressor(make());
    await trainSteps(first, 3);
    observe(first.optimizer as FloodOptimizer, 0);
    observe(first.optimizer as FloodOptimizer, 1);
    const resumed = await saveAndLoad(first);
    const opt = resumed.optimizer;
    expect(isFloodOptimizer(opt)).toBe(true);
    expect(opt.getClassName()).toBe(first.optimizer.getClassName());
    expect((opt as FloodOptimizer).getConfig()).toEqual(
      (first.optimizer as FloodOptimizer).getConfig(),
    );
    expect(opt.iterations).toBe(3);
    await trainSteps(resumed, 4);
    expect(weightBits(resumed)).toEqual(weightBits(straight));
    expect(resumed.optimizer.iterations).toBe(7);
    // The whole optimizer state (base slots, skip count, adaptive-level state) agrees too.
    const state = async (m: tfl.LayersModel) =>
      (await m.optimizer.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
    expect(await state(resumed)).toEqual(await state(straight));
    disposeModels(straight, first, resumed);
  });
});
