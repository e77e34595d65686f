import type { TrainingObservation } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { classification, classifier } from '../test/small-models.js';
import { floodCallback } from './callback.js';
import { flooding } from './flooding.js';
import { sam } from './sam.js';

/** A minimal tf.data-like dataset of `batches` batches (fitDataset only needs `iterator()`). */
function dataset(x: tf.Tensor, y: tf.Tensor, batches: number, batchSize: number) {
  return {
    size: batches,
    iterator: async () => {
      let i = 0;
      return {
        next: async () => {
          if (i >= batches) return { done: true, value: undefined };
          const value = tf.tidy(() => ({
            xs: tf.slice(x, [i * batchSize, 0], [batchSize, -1]),
            ys: tf.slice(y, [i * batchSize, 0], [batchSize, -1]),
          }));
          i++;
          return { done: false, value };
        },
      };
    },
  };
}

describe('model.fit with metrics', () => {
  it('fit: no leak across epochs, callback logs floodProp/gradNorm/floodLevel', async () => {
    const model = classifier(1);
    const optimizer = flooding(sam(tf.train.sgd(0.1), { rho: 0.05 }), { level: 0.6 });
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { x, y } = classification(32);
    const cb = floodCallback(optimizer);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [cb] });
    const before = tf.memory().numTensors;
    const h = await model.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      callbacks: [tfl.callbacks.earlyStopping({ patience: 10 }), cb],
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(h.history.floodProp).toHaveLength(3);
    for (const p of h.history.floodProp as number[]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(Number.isInteger(p * 4)).toBe(true); // 4 batches per epoch
    }
    expect(h.history.floodLevel).toEqual([0.6, 0.6, 0.6]);
    expect((h.history.gradNorm as number[]).every((g) => g > 0)).toBe(true);
    expect(h.history.acc ?? h.history.accuracy).toHaveLength(3);
    expect(optimizer.iterations).toBe(16);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });

  it('the callback makes plain flooding record gradient norms while fitting, and puts it back', async () => {
    const optimizer = flooding(tf.train.sgd(0.1), { level: 0.01 });
    const model = classifier(2, optimizer);
    const { x, y } = classification(16);
    const h = await model.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      callbacks: [floodCallback(optimizer)],
    });
    expect(h.history.gradNorm).toHaveLength(2);
    expect((h.history.gradNorm as number[]).every((g) => g > 0)).toBe(true);
    expect(optimizer.recordGradientNorm).toBe(false);
    const off = await model.fit(x, y, {
      epochs: 1,
      batchSize: 8,
      verbose: 0,
      callbacks: [floodCallback(optimizer, { gradNorm: false })],
    });
    expect(off.history.gradNorm).toBeUndefined();
    expect(off.history.floodProp).toHaveLength(1);
    expect(() => floodCallback(optimizer, { gradNorm: 'yes' as unknown as boolean })).toThrow(
      /gradNorm must be a boolean/,
    );
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });

  it('trainOnBatch with metrics: a one-pass step returns [loss, acc]; a probe pass is refused, nothing leaks', async () => {
    const { x, y } = classification(8);
    const one = classifier(3);
    const flood = flooding(tf.train.adam(0.01), { level: 0.01 });
    one.compile({ optimizer: flood, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await one.trainOnBatch(x, y);
    let before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) expect((await one.trainOnBatch(x, y)) as number[]).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);

    // trainOnBatch runs no callback, so the model whose metrics a probe pass
    // would switch off is unknown: the step is refused, weights unchanged.
    const model = classifier(3);
    const optimizer = sam(tf.train.adam(0.01), { rho: 0.05 });
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    before = tf.memory().numTensors;
    await expect(model.trainOnBatch(x, y)).rejects.toThrow(/trainOnBatch with compiled metrics/);
    expect(tf.memory().numTensors).toBe(before);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights);
    // The route the message names: fit on the one batch, metrics included.
    const h = await model.fit(x, y, { batchSize: 8, epochs: 1, verbose: 0 });
    expect(h.history.acc ?? h.history.accuracy).toHaveLength(1);
    expect(optimizer.iterations).toBe(1);
    before = tf.memory().numTensors; // now with the optimizer's state
    await expect(model.trainOnBatch(x, y)).rejects.toThrow(/trainOnBatch with compiled metrics/);
    expect(tf.memory().numTensors).toBe(before);
    expect(optimizer.iterations).toBe(1);
    for (const m of [one, model]) m.dispose();
    flood.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });

  it('fitDataset leaks nothing across epochs', async () => {
    const model = classifier(5);
    const optimizer = flooding(sam(tf.train.sgd(0.1), { rho: 0.05 }), { level: 0.1 });
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { x, y } = classification(16);
    const ds = dataset(x, y, 4, 4) as unknown as Parameters<typeof model.fitDataset>[0];
    await model.fitDataset(ds, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fitDataset(ds, { epochs: 3, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });

  it('floodCallback feeds adaptive levels the epoch losses', async () => {
    const seen: TrainingObservation[] = [];
    const level = Object.assign((_step: number) => 0.05, {
      toJSON: () => ({ type: 'recording' }),
      observe: (o: TrainingObservation) => {
        seen.push(o);
      },
      getState: () => ({}),
      setState: () => {},
    });
    const extra: TrainingObservation[] = [];
    const other = { ...level, observe: (o: TrainingObservation) => extra.push(o) };
    const optimizer = flooding(tf.train.adam(0.01), { level });
    const model = classifier(9, optimizer);
    const { x, y } = classification(16);
    const h = await model.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      validationData: [x, y],
      callbacks: [floodCallback(undefined, { schedules: [Object.assign(() => 0, other)] })],
    });
    expect(seen).toHaveLength(2);
    seen.forEach((o, e) => {
      expect(o.trainingLoss).toBeCloseTo((h.history.loss as number[])[e]!, 6);
      expect(o.validationLoss).toBeCloseTo((h.history.val_loss as number[])[e]!, 6);
      expect(o.step).toBe(2 * (e + 1));
    });
    expect(extra).toHaveLength(2);
    expect(h.history.floodLevel).toEqual([0.05, 0.05]);
    expect(() => floodCallback(tf.train.sgd(0.1))).toThrow(RangeError);
    expect(() => floodCallback(optimizer, { schedules: [() => 0] as never })).toThrow(/schedules/);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });
});

describe('a non-finite batch in model.fit', () => {
  /** 4 samples in 2 batches; the second batch's targets are NaN. */
  function poisoned() {
    const x = tf.tensor2d([0.1, 0.2, 0.3, -0.4, 0.5, 0.6, 0.7, -0.8, 0.9, 1, -1.1, 1.2], [4, 3]);
    const y = tf.tensor2d([1, 0, 0, 1, Number.NaN, 0, 0, 1], [4, 2]);
    return { x, y };
  }

  it("onNonFinite 'error': the step is refused on the device, floodCallback throws at the epoch end", async () => {
    const model = classifier(41);
    const opt = flooding(tf.train.sgd(0.1), { level: 0.01 });
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const { x, y } = poisoned();
    const fitted = model.fit(x, y, {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      callbacks: [floodCallback(opt)],
    });
    await expect(fitted).rejects.toThrow(/1 step\(s\) met a non-finite loss or gradient/);
    expect(opt.iterations).toBe(1); // the refused step taken back out
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights.flat().every(Number.isFinite)).toBe(true);
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });

  it("onNonFinite 'skip': training goes on, the epoch logs average the committed steps only", async () => {
    const model = classifier(43);
    const opt = flooding(tf.train.sgd(0.1), { level: 0.01, onNonFinite: 'skip' });
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const { x, y } = poisoned();
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      shuffle: false,
      callbacks: [floodCallback(opt)],
    });
    expect(opt.iterations).toBe(3);
    expect(await opt.checkNonFinite()).toEqual({ refused: 0, total: 3 });
    const gradNorm = history.history.gradNorm as number[];
    expect(gradNorm.every((g) => Number.isFinite(g) && g > 0)).toBe(true);
    expect(history.history.floodProp).toEqual([0, 0, 0]);
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });
});
