import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EpochTotals } from './epoch-totals.js';
import type { LastStep } from './wrapper.js';

/** A step record with the given values (tensors owned by the test). */
function step(refused: number, ascended?: number, gradientNorm?: number): LastStep {
  return {
    step: 0,
    loss: tf.scalar(1),
    refused: tf.scalar(refused),
    ...(ascended !== undefined ? { ascended: tf.scalar(ascended) } : {}),
    ...(gradientNorm !== undefined ? { gradientNorm: tf.scalar(gradientNorm) } : {}),
    hyperparameters: {},
    gradientEvaluations: 1,
  } as LastStep;
}

describe('EpochTotals', () => {
  let before: number;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('averages over committed steps; refused steps and repeated records add nothing', async () => {
    const records = [step(0, 1, 2), step(0, 0, 4), step(1, 1, 100), step(0, 1, 6)];
    const totals = new EpochTotals();
    for (const r of records) totals.add(r);
    totals.add(records[3]!); // the same record again (a batch end without a new step)
    expect(await totals.means()).toEqual({ committed: 3, ascended: 2 / 3, gradientNorm: 4 });
    totals.reset();
    expect(await totals.means()).toEqual({ committed: 0 });
    for (const r of records) tf.dispose(Object.values(r).filter((v) => v instanceof tf.Tensor));
  });

  it('reports only what the records carry', async () => {
    const r = step(0);
    const totals = new EpochTotals();
    totals.add(r);
    expect(await totals.means()).toEqual({ committed: 1 });
    totals.reset();
    tf.dispose([r.loss, r.refused]);
  });
});
