import { adaptiveFloodLevel } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classification, classifier } from '../test/small-models.js';
import { floodCallback } from './callback.js';
import './fit-check.js';
import { adaptiveScheduleNames } from './fit-check.js';
import { flooding } from './flooding.js';
import { sam } from './sam.js';

afterEach(() => {
  vi.restoreAllMocks();
});

type Order = 'flood first' | 'plain first';

describe('floodCallback mixed with plain-object callbacks (issue 18, item 2)', () => {
  it.each<Order>(['flood first', 'plain first'])('%s: both run, every epoch', async (order) => {
    // An adaptive level and floodCallback() without an optimizer: the callback must find
    // the model's optimizer even when tfjs-layers wraps it as a plain object.
    const level = adaptiveFloodLevel({ fraction: 0.5, patience: 1, initial: 0.05 });
    const optimizer = flooding(tf.train.sgd(0.1), { level });
    const model = classifier(3, optimizer);
    const { x, y } = classification(16);
    const warn = vi.spyOn(console, 'warn');
    const seen: Record<string, unknown>[] = [];
    const plain = {
      onEpochEnd: async (_epoch: number, logs?: tfl.Logs) => {
        seen.push({ ...logs });
      },
    };
    const flood = floodCallback();
    // lastStep's tensors (the gradient norm included) exist from here on.
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 8,
      verbose: 0,
      validationData: [x, y],
      callbacks: [floodCallback()],
    });
    const before = tf.memory().numTensors;
    const h = await model.fit(x, y, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      validationData: [x, y],
      callbacks: order === 'flood first' ? [flood, plain] : [plain, flood],
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toHaveLength(3);
    expect(h.history.floodProp).toHaveLength(3);
    for (const p of h.history.floodProp as number[]) expect(Number.isInteger(p * 2)).toBe(true);
    expect((h.history.gradNorm as number[]).every((g) => g > 0)).toBe(true);
    expect(h.history.floodLevel).toHaveLength(3);
    // The adaptive level was observed once per epoch, at the optimizer's step.
    expect(level.getState().lastStep).toBe(8);
    expect(level.getState().best).not.toBeNull();
    // What the plain callback saw: with floodCallback first, its additions too.
    if (order === 'flood first') expect(seen[0]).toHaveProperty('floodProp');
    expect(optimizer.recordGradientNorm).toBe(false);
    expect(warn).not.toHaveBeenCalled();
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });

  it('read as a plain object, its batch hooks skip the wrapper (no per-batch log read-back)', async () => {
    const optimizer = flooding(tf.train.sgd(0.1), { level: 0.6 });
    const model = classifier(4, optimizer);
    const { x, y } = classification(32);
    // tf.CustomCallback.onBatchEnd resolves the batch's log scalars (a read-back) before
    // calling a plain object's onBatchEnd; floodCallback's own hook replaces it.
    const wrapperBatchEnd = vi.spyOn(tfl.CustomCallback.prototype, 'onBatchEnd');
    const h = await model.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: [floodCallback(optimizer), { onEpochEnd: async () => {} }],
    });
    expect(h.history.floodProp).toHaveLength(1);
    expect(wrapperBatchEnd).toHaveBeenCalledTimes(8); // the plain object's wrapper only
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });

  it('after a tf.Callback (earlyStopping first), and alone (not in a list)', async () => {
    const optimizer = flooding(tf.train.sgd(0.1), { level: 0.6 });
    const model = classifier(5, optimizer);
    const { x, y } = classification(16);
    const h = await model.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      callbacks: [tfl.callbacks.earlyStopping({ monitor: 'loss', patience: 5 }), floodCallback()],
    });
    expect(h.history.floodProp).toHaveLength(2);
    const alone = await model.fit(x, y, {
      epochs: 1,
      batchSize: 8,
      verbose: 0,
      callbacks: floodCallback(optimizer),
    });
    expect(alone.history.floodLevel).toEqual([0.6]);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });
});

describe('silent no-ops warn, once (issue 18, item 4)', () => {
  it('an adaptive level that no floodCallback observes', async () => {
    const level = adaptiveFloodLevel({ fraction: 0.5, patience: 1 });
    const optimizer = flooding(sam(tf.train.sgd(0.1), { rho: 0.01 }), { level });
    expect(adaptiveScheduleNames(optimizer)).toEqual(['level']);
    expect(adaptiveScheduleNames(tf.train.sgd(0.1))).toEqual([]);
    const model = classifier(7, optimizer);
    const { x, y } = classification(16);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fit = (callbacks: tfl.CustomCallbackArgs[]) =>
      model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, validationData: [x, y], callbacks });
    await fit([]);
    expect(level.getState().best).toBeNull(); // what the warning is about
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /adaptive schedule \(level\), but no floodCallback is in model.fit's callbacks.*callbacks: \[floodCallback\(optimizer\)\]/,
    );
    await fit([]); // once per optimizer
    expect(warn).toHaveBeenCalledTimes(1);
    // With the callback: observed, and no warning for a fresh optimizer.
    const level2 = adaptiveFloodLevel({ fraction: 0.5, patience: 1 });
    const optimizer2 = flooding(tf.train.sgd(0.1), { level: level2 });
    const model2 = classifier(7, optimizer2);
    await model2.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      validationData: [x, y],
      callbacks: [floodCallback(optimizer2)],
    });
    expect(level2.getState().best).not.toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    for (const [m, o] of [
      [model, optimizer],
      [model2, optimizer2],
    ] as const) {
      m.dispose();
      o.dispose();
    }
    tf.dispose([x, y]);
  });

  it('a floodCallback watching an optimizer the model does not use', async () => {
    const used = flooding(tf.train.sgd(0.1), { level: 0.5 });
    const other = flooding(tf.train.sgd(0.1), { level: 0.5 });
    const model = classifier(9, used);
    const { x, y } = classification(16);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cb = floodCallback(other);
    for (let i = 0; i < 2; i++) {
      const h = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [cb] });
      expect(h.history.floodProp).toBeUndefined();
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /floodCallback: the optimizer it was given \(Flooding\) is not the model's \(Flooding\).*pass the optimizer given to model.compile/,
    );
    // The model's own optimizer, or one it wraps, is fine; so is no optimizer.
    const inner = sam(tf.train.sgd(0.1), { rho: 0.01 });
    const outer = flooding(inner, { level: 0.5 });
    const model2 = classifier(9, outer);
    for (const c of [floodCallback(outer), floodCallback(inner), floodCallback()]) {
      await model2.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [c] });
    }
    // A plain optimizer with no flood optimizer to watch and no schedules: warned too.
    const plainModel = classifier(9, tf.train.sgd(0.1));
    await plainModel.fit(x, y, { epochs: 1, verbose: 0, callbacks: [floodCallback()] });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatch(
      /the model's optimizer \(SGD\) is not a @flood\/tfjs optimizer/,
    );
    for (const m of [model, model2, plainModel]) {
      m.optimizer.dispose();
      m.dispose();
    }
    other.dispose();
    tf.dispose([x, y]);
  });
});
