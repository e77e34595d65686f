/**
 * `model.save` with `includeOptimizer` to memory, `loadLayersModel` from it and
 * training on: on the backend under test the resumed run must continue like the
 * uninterrupted one (same weights within float32 rounding, same iteration count,
 * same optimizer state).
 */
import { backstitch, FloodOptimizer, flooding, gradientPenalty, sam } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { saveAndLoad } from '../packages/tfjs/test/round-trip.js';
import { disposeModels, regressor, trainSteps } from '../packages/tfjs/test/small-models.js';
import { BACKEND, readAll, worst } from './helpers.js';

/** The model: 2 → 4 (relu) → 1, the tfjs tests' seeded regressor. */
const RELU_4 = { units: 4, activation: 'relu', seed: 7 } as const;

/** Wrappers over Adam, whose slots make the saved optimizer state worth checking. */
const SAVED: [string, () => FloodOptimizer][] = [
  ['flooding(sam(adam))', () => flooding(sam(tf.train.adam(0.02), { rho: 0.05 }), { level: 0.05 })],
  ['backstitch(adam)', () => backstitch(tf.train.adam(0.02), { ascentRate: 0.01 })],
  [
    'gradientPenalty(adam), skip policy',
    () => gradientPenalty(tf.train.adam(0.02), { coefficient: 0.1, onNonFinite: 'skip' }),
  ],
];

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
      const straight = regressor(withAdam(), RELU_4);
      await trainSteps(straight, 5);

      const first = regressor(withAdam(), RELU_4);
      await trainSteps(first, 2);
      const resumed = await saveAndLoad(first);
      expect(Object.prototype.isPrototypeOf.call(FloodOptimizer.prototype, resumed.optimizer)).toBe(
        true,
      );
      expect(resumed.optimizer.getClassName()).toBe(first.optimizer.getClassName());
      expect(resumed.optimizer.getConfig()).toEqual(first.optimizer.getConfig());
      expect(resumed.optimizer.iterations).toBe(2);
      await trainSteps(resumed, 3);
      expect(resumed.optimizer.iterations).toBe(5);
      // Not bit for bit on a GPU backend: a loaded Adam recomputes βᵗ with one pow
      // kernel where the uninterrupted run multiplied t times (other float32
      // rounding, which Adam's normalisation amplifies), so 1e-4 relative.
      const [a, b] = [await readAll(resumed.getWeights()), await readAll(straight.getWeights())];
      expect(worst(a, b, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      expect(
        worst(await optimizerState(resumed), await optimizerState(straight), 1e-4, 1e-5),
      ).toBeLessThanOrEqual(1);
      disposeModels(straight, first, resumed);
    },
  );
});
