/**
 * An optimizer step reads nothing back synchronously (`dataSync`, `arraySync`,
 * `bufferSync`): on webgl/webgpu such a read stalls the GPU pipeline (and on
 * webgpu it can lose the device). Checked for every wrapper and composition,
 * on finite and on refused (non-finite) steps, in a custom loop and in
 * `trainOnBatch`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { linearProblem } from '../test/linear-problem.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { gradientPenalty } from './gradient-penalty.js';
import { sam } from './sam.js';
import type { FloodOptimizer } from './wrapper.js';

const makers: [string, () => FloodOptimizer][] = [
  ['flooding', () => flooding(tf.train.adam(0.01), { level: 0.1 })],
  [
    'flooding, recordGradientNorm',
    () => flooding(tf.train.sgd(0.1), { level: 0.1, recordGradientNorm: true }),
  ],
  ['sam', () => sam(tf.train.adam(0.01), { rho: 0.05 })],
  ['asam', () => sam(tf.train.momentum(0.01, 0.9), { rho: 0.5, adaptive: true })],
  ['backstitch', () => backstitch(tf.train.sgd(0.1), { ratio: 0.2, interval: 2 })],
  ['gradientPenalty', () => gradientPenalty(tf.train.rmsprop(0.01), { coefficient: 0.1 })],
  [
    'gradientPenalty exact',
    () => gradientPenalty(tf.train.sgd(0.01), { coefficient: 0.1, method: 'exact' }),
  ],
  ['flooding(sam)', () => flooding(sam(tf.train.adam(0.01), { rho: 0.05 }), { level: 0.1 })],
];

let reads: { calls: number } = { calls: 0 };
beforeEach(() => {
  reads = { calls: 0 };
  for (const method of ['dataSync', 'arraySync', 'bufferSync'] as const) {
    const original = tf.Tensor.prototype[method];
    vi.spyOn(tf.Tensor.prototype, method).mockImplementation(function (this: tf.Tensor) {
      reads.calls += 1;
      return (original as () => unknown).call(this) as never;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(makers)('%s', (_name, make) => {
  it('minimize reads nothing back synchronously, finite or refused', async () => {
    const p = linearProblem();
    const opt = make();
    for (let i = 0; i < 3; i++) opt.minimize(p.loss, false, [p.w]);
    const nan = () => tf.mul(p.loss(), Number.NaN) as tf.Scalar;
    opt.minimize(nan, false, [p.w]);
    const cost = opt.minimize(p.loss, true, [p.w]);
    expect(reads.calls).toBe(0);
    cost?.dispose();
    await expect(opt.checkNonFinite()).rejects.toThrow(/refused/);
    opt.dispose();
    p.dispose();
  });

  // On wasm too: the exact penalty's guard decides whether a fused Dense product
  // is right from the registered kernel and the recorded shapes (exact-hvp.ts).
  it('trainOnBatch of a layers model reads nothing back synchronously in the step', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    const opt = make();
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const minimize = opt.minimize.bind(opt);
    let inStep = 0;
    opt.minimize = (f, returnCost, varList) => {
      const before = reads.calls;
      const out = minimize(f, returnCost, varList);
      inStep += reads.calls - before;
      return out;
    };
    const xs = tf.ones([4, 3]);
    const ys = tf.zeros([4, 1]);
    for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys);
    expect(inStep).toBe(0);
    tf.dispose([xs, ys]);
    opt.dispose();
    model.dispose();
  });
});
