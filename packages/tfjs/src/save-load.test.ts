import { adaptiveFloodLevel, linear, scheduleFromJSON } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

function model(optimizer: tf.Optimizer) {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 3,
        inputShape: [2],
        activation: 'tanh',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }),
      }),
      tfl.layers.dense({
        units: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }),
      }),
    ],
  });
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}

const x = () => tf.tensor2d([0.1, 0.5, -0.3, 0.8, 0.9, -0.7, 0.2, 0.2], [4, 2]);
const y = () => tf.tensor2d([0.3, -0.2, 0.5, 0.1], [4, 1]);

async function train(m: tfl.LayersModel, steps: number) {
  const xs = x();
  const ys = y();
  for (let i = 0; i < steps; i++) await m.trainOnBatch(xs, ys);
  tf.dispose([xs, ys]);
}

const bits = (m: tfl.LayersModel) =>
  m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().slice().buffer)));

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

    const straight = model(make());
    await train(straight, 3);
    observe(straight.optimizer as FloodOptimizer, 0);
    observe(straight.optimizer as FloodOptimizer, 1);
    const level = (straight.optimizer as { level?: { getState(): { changes: unknown[] } } }).level;
    if (level) expect(level.getState().changes).toHaveLength(1); // the observations set b
    await train(straight, 4);

    const first = model(make());
    await train(first, 3);
    observe(first.optimizer as FloodOptimizer, 0);
    observe(first.optimizer as FloodOptimizer, 1);
    let saved: tf.io.ModelArtifacts | undefined;
    await first.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );
    const resumed = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    const opt = resumed.optimizer;
    expect(isFloodOptimizer(opt)).toBe(true);
    expect(opt.getClassName()).toBe(first.optimizer.getClassName());
    expect((opt as FloodOptimizer).getConfig()).toEqual(
      (first.optimizer as FloodOptimizer).getConfig(),
    );
    expect(opt.iterations).toBe(3);
    await train(resumed, 4);
    expect(bits(resumed)).toEqual(bits(straight));
    expect(resumed.optimizer.iterations).toBe(7);
    // The whole optimizer state (base slots, skip count, adaptive-level state) agrees too.
    const state = async (m: tfl.LayersModel) =>
      (await m.optimizer.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
    expect(await state(resumed)).toEqual(await state(straight));
    for (const m of [straight, first, resumed]) {
      m.optimizer.dispose();
      m.dispose();
    }
  });
});
