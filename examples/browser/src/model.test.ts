import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { accuracyOf, createMlp, disposeMlp, logisticLoss, logits } from './model.js';

const softplus = (z: number) => Math.log1p(Math.exp(z));

describe('the MLP', () => {
  it('computes logits, logistic loss and accuracy as worked out by hand', async () => {
    const before = tf.memory().numTensors;
    const model = createMlp({ hidden: 1, layers: 1, seed: 1 });
    const [w1, b1, w2, b2] = model.variables;
    tf.tidy(() => {
      w1!.assign(tf.tensor2d([[1], [2]]));
      b1!.assign(tf.tensor1d([-1]));
      w2!.assign(tf.tensor2d([[3]]));
      b2!.assign(tf.tensor1d([0.5]));
    });
    const x = tf.tensor2d([
      [1, 1],
      [0, 0],
      [-1, 0.5],
    ]);
    const y = tf.tensor2d([[1], [0], [1]]);
    // h = relu(x1 + 2 x2 − 1) = [2, 0, 0]; z = 3h + 0.5 = [6.5, 0.5, 0.5]
    const z = logits(model, x);
    expect(Array.from(await z.data())).toEqual([6.5, 0.5, 0.5]);
    // logistic loss: softplus(−z) for label 1, softplus(z) for label 0
    const expected = (softplus(-6.5) + softplus(0.5) + softplus(-0.5)) / 3;
    const loss = logisticLoss(model, x, y);
    expect((await loss.data())[0]).toBeCloseTo(expected, 5);
    // every logit > 0 predicts class 1; labels [1, 0, 1] → 2/3 correct
    const acc = accuracyOf(z, y);
    expect((await acc.data())[0]).toBeCloseTo(2 / 3, 6);
    tf.dispose([x, y, z, loss, acc]);
    disposeMlp(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is initialised reproducibly from its seed, with He-scaled weights', async () => {
    const a = createMlp({ seed: 3 });
    const b = createMlp({ seed: 3 });
    expect(a.variables.map((v) => v.shape)).toEqual([
      [2, 64],
      [64],
      [64, 64],
      [64],
      [64, 64],
      [64],
      [64, 1],
      [1],
    ]);
    for (let i = 0; i < a.variables.length; i++) {
      expect(await a.variables[i]!.data()).toEqual(await b.variables[i]!.data());
    }
    // W2 (64 × 64) has sd √(2/64) = 0.177; the sample sd of 4096 draws is within 10 %
    const w = (await a.variables[2]!.data()) as Float32Array;
    const sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(Math.abs(sd / Math.sqrt(2 / 64) - 1)).toBeLessThan(0.1);
    disposeMlp(a);
    disposeMlp(b);
  });
});
