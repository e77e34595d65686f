/**
 * Training as users do it, on the backend under test: `model.fit` over epochs with
 * a metric and `floodCallback` for every wrapper, `floodLoss` in `model.compile`,
 * and a custom loop with lastStep reads; no tensor may be left behind.
 */
import { floodCallback, floodLoss } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { BACKEND, mlp, onBackend, readAll, scalar, values, WRAPPERS, worst } from './helpers.js';

/**
 * A 3 → 6 → 1 ReLU regression model, seeded, with an `mse` metric (the metric is
 * computed in the loss closure, so the exact gradient penalty's op guard sees
 * it: `mae`'s Abs would be refused).
 */
function model(optimizer: tf.Optimizer | string, loss: unknown = 'meanSquaredError') {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 6,
        inputShape: [3],
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.dense({
        units: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  m.compile({ optimizer, loss: loss as string, metrics: ['mse'] });
  return m;
}

/** 16 samples: two batches of 8. */
function data() {
  return {
    x: tf.tensor2d(values(48, 11), [16, 3]),
    y: tf.tensor2d(values(16, 12, 0.5), [16, 1]),
  };
}

describe(`model.fit on ${BACKEND}`, () => {
  it.each(WRAPPERS)('%s: fit with a metric and floodCallback leaks nothing', async (_n, make) => {
    const optimizer = make();
    const m = model(optimizer);
    const { x, y } = data();
    const cb = floodCallback(optimizer);
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [cb] });
    const before = tf.memory().numTensors;
    const h = await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [cb] });
    expect(tf.memory().numTensors).toBe(before);
    expect(optimizer.iterations).toBe(6);
    for (const key of ['loss', 'mse', 'gradNorm']) {
      expect(h.history[key], key).toHaveLength(2);
      for (const v of h.history[key] as number[]) expect(Number.isFinite(v), key).toBe(true);
    }
    if ('level' in optimizer) expect(h.history.floodProp).toHaveLength(2);
    m.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });

  it('floodLoss in model.compile (batch and individual) trains like on cpu, leak-free', async () => {
    const train = async (individual: boolean) => {
      const m = model(tf.train.sgd(0.1), floodLoss('meanSquaredError', { level: 0.3, individual }));
      const { x, y } = data();
      await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false });
      const before = tf.memory().numTensors;
      const h = await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
      const leaked = tf.memory().numTensors - before;
      const weights = await readAll(m.getWeights());
      m.optimizer.dispose();
      m.dispose();
      tf.dispose([x, y]);
      return { leaked, weights, loss: h.history.loss as number[] };
    };
    for (const individual of [false, true]) {
      const reference = await onBackend('cpu', () => train(individual));
      const got = await train(individual);
      expect(got.leaked).toBe(0);
      expect(worst(got.weights, reference.weights)).toBeLessThanOrEqual(1);
      expect(worst(got.loss, reference.loss)).toBeLessThanOrEqual(1);
    }
  });
});

describe(`custom loops on ${BACKEND}`, () => {
  it.each(WRAPPERS)(
    '%s: minimize with returnCost and lastStep reads leaks nothing',
    async (_n, make) => {
      const p = mlp(3);
      const opt = make();
      const step = async () => {
        const cost = opt.minimize(p.loss, true, p.vars)!;
        const last = opt.lastStep!;
        const read = [await scalar(cost), await scalar(last.loss)];
        for (const t of [last.gradientNorm, last.probeLoss, last.ascended]) if (t) await scalar(t);
        cost.dispose();
        return read;
      };
      await step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const [cost, loss] = await step();
        expect(cost).toBe(loss);
      }
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
      p.dispose();
    },
  );
});
