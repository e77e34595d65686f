/**
 * `model.save` with `includeOptimizer` to memory, `loadLayersModel` from it and
 * training on: on the backend under test the resumed run must continue like the
 * uninterrupted one (same weights within float32 rounding, same iteration count,
 * same optimizer state).
 */
import { backstitch, FloodOptimizer, flooding, gradientPenalty, sam } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { BACKEND, readAll, worst } from './helpers.js';

/** Wrappers over Adam, whose slots make the saved optimizer state worth checking. */
const SAVED: [string, () => FloodOptimizer][] = [
  ['flooding(sam(adam))', () => flooding(sam(tf.train.adam(0.02), { rho: 0.05 }), { level: 0.05 })],
  ['backstitch(adam)', () => backstitch(tf.train.adam(0.02), { ascentRate: 0.01 })],
  [
    'gradientPenalty(adam), skip policy',
    () => gradientPenalty(tf.train.adam(0.02), { coefficient: 0.1, onNonFinite: 'skip' }),
  ],
];

function model(optimizer: tf.Optimizer) {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 4,
        inputShape: [2],
        activation: 'relu',
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

async function train(m: tfl.LayersModel, steps: number) {
  const xs = tf.tensor2d([0.1, 0.5, -0.3, 0.8, 0.9, -0.7, 0.2, 0.2], [4, 2]);
  const ys = tf.tensor2d([0.3, -0.2, 0.5, 0.1], [4, 1]);
  for (let i = 0; i < steps; i++) await m.trainOnBatch(xs, ys);
  tf.dispose([xs, ys]);
}

async function optimizerState(m: tfl.LayersModel): Promise<number[]> {
  const weights = await m.optimizer.getWeights();
  const out = await readAll(weights.map((w) => w.tensor));
  tf.dispose(weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  return out;
}

describe(`save/load on ${BACKEND}`, () => {
  it.each(SAVED)(
    '%s: save with the optimizer, load, continue like an uninterrupted run',
    async (_name, withAdam) => {
      const straight = model(withAdam());
      await train(straight, 5);

      const first = model(withAdam());
      await train(first, 2);
      let saved: tf.io.ModelArtifacts | undefined;
      await first.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
        { includeOptimizer: true },
      );
      const resumed = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
      expect(Object.prototype.isPrototypeOf.call(FloodOptimizer.prototype, resumed.optimizer)).toBe(
        true,
      );
      expect(resumed.optimizer.getClassName()).toBe(first.optimizer.getClassName());
      expect(resumed.optimizer.getConfig()).toEqual(first.optimizer.getConfig());
      expect(resumed.optimizer.iterations).toBe(2);
      await train(resumed, 3);
      expect(resumed.optimizer.iterations).toBe(5);
      // Not bit for bit on a GPU backend: a loaded Adam recomputes βᵗ with one pow
      // kernel where the uninterrupted run multiplied t times (other float32
      // rounding, which Adam's normalisation amplifies), so 1e-4 relative.
      const [a, b] = [await readAll(resumed.getWeights()), await readAll(straight.getWeights())];
      expect(worst(a, b, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(
        worst(await optimizerState(resumed), await optimizerState(straight), 1e-4, 1e-5),
      ).toBeLessThanOrEqual(1);
      for (const m of [straight, first, resumed]) {
        m.optimizer.dispose();
        m.dispose();
      }
    },
  );
});
