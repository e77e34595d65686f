import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { adaFloodLevels, DEFAULT_ADAFLOOD_GAMMA, withFloodLevels } from './ada-flood.js';
import { floodLoss } from './flood-loss.js';

/** The paper's formula, directly (fine where it neither overflows nor underflows). */
const direct = (loss: number, gamma: number) => -Math.log((1 - gamma) * Math.exp(-loss) + gamma);

describe('adaFloodLevels', () => {
  const losses = [0, 0.01, 0.3, 1, 2.5, 7];

  it.each([0, 0.05, 0.5, 0.9, 1])(
    'γ = %d: −log((1 − γ)e^{−ℓ} + γ), numbers and tensors',
    (gamma) => {
      const fromNumbers = adaFloodLevels(losses, { gamma });
      const input = tf.tensor1d(losses);
      const fromTensor = adaFloodLevels(input, { gamma });
      const n = Array.from(fromNumbers.dataSync());
      const t = Array.from(fromTensor.dataSync());
      losses.forEach((l, i) => {
        expect(n[i]).toBeCloseTo(direct(l, gamma), 6);
        expect(t[i]).toBeCloseTo(direct(l, gamma), 5);
        expect(n[i]!).toBeGreaterThanOrEqual(0);
        expect(n[i]!).toBeLessThanOrEqual(Math.min(l, -Math.log(gamma)) + 1e-6);
      });
      expect(fromNumbers.dtype).toBe('float32');
      tf.dispose([fromNumbers, fromTensor, input]);
    },
  );

  it('large losses approach −log γ without overflow; the default γ is 0.5', () => {
    expect(DEFAULT_ADAFLOOD_GAMMA).toBe(0.5);
    const before = tf.memory().numTensors;
    const big = [800, 1e6];
    const levels = adaFloodLevels(big);
    const input = tf.tensor1d(big);
    const device = adaFloodLevels(input, { gamma: 0.25 });
    expect(Array.from(levels.dataSync())).toEqual([
      expect.closeTo(Math.log(2), 6),
      expect.closeTo(Math.log(2), 6),
    ]);
    expect(Array.from(device.dataSync())).toEqual([
      expect.closeTo(-Math.log(0.25), 5),
      expect.closeTo(-Math.log(0.25), 5),
    ]);
    tf.dispose([levels, input, device]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad γ and bad losses', () => {
    for (const gamma of [-0.1, 1.01, Number.NaN]) {
      expect(() => adaFloodLevels([1], { gamma })).toThrow(
        /gamma must be a finite number in \[0, 1\]/,
      );
    }
    expect(() => adaFloodLevels([1, -1])).toThrow(/auxLosses\[1\] must be a finite number >= 0/);
    expect(() => adaFloodLevels([Number.NaN])).toThrow(/auxLosses\[0\]/);
    const m = tf.zeros([2, 2]);
    expect(() => adaFloodLevels(m as unknown as tf.Tensor1D)).toThrow(/auxLosses must be 1-D/);
    m.dispose();
  });
});

describe('floodLoss with levelsInTarget (AdaFlood)', () => {
  const probs = [
    [0.7, 0.3],
    [0.2, 0.8],
    [0.6, 0.4],
  ];
  const labels = [0, 0, 1];
  const levels = [0.2, 0.1, 1.5];
  const ce = labels.map((l, i) => -Math.log(probs[i]![l]!));

  it('mean_i(|ℓ_i − θ_i| + θ_i) with gradient sign(ℓ_i − θ_i)·∇ℓ_i', () => {
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2));
    const lv = tf.tensor1d(levels);
    const yTrue = withFloodLevels(y, lv);
    expect(yTrue.shape).toEqual([3, 3]);
    const fn = floodLoss('categoricalCrossentropy', { levelsInTarget: true });
    const p = tf.tensor2d(probs);
    const value = fn(yTrue, p);
    const want = ce.reduce((s, l, i) => s + Math.abs(l - levels[i]!) + levels[i]!, 0) / 3;
    expect(value.dataSync()[0]).toBeCloseTo(want, 5);
    // ∂/∂p_{i,label} of −log(p/Σp) is −1/p + 1/Σp; times sign(ℓ − θ)/3.
    const grad = tf.grad((q: tf.Tensor) => fn(yTrue, q))(p);
    const g = grad.arraySync() as number[][];
    labels.forEach((l, i) => {
      const sign = Math.sign(ce[i]! - levels[i]!);
      expect(g[i]![l]).toBeCloseTo((sign * (-1 / probs[i]![l]! + 1)) / 3, 4);
    });
    tf.dispose([y, lv, yTrue, p, value, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sparse labels: withFloodLevels takes a 1-D y as a column', () => {
    const y = tf.tensor1d(labels);
    const lv = tf.tensor1d(levels);
    const yTrue = withFloodLevels(y, lv);
    const p = tf.tensor2d(probs);
    const v = floodLoss('sparseCategoricalCrossentropy', { levelsInTarget: true })(yTrue, p);
    const want = ce.reduce((s, l, i) => s + Math.abs(l - levels[i]!) + levels[i]!, 0) / 3;
    expect(v.dataSync()[0]).toBeCloseTo(want, 5);
    tf.dispose([y, lv, yTrue, p, v]);
  });

  it('validates its options and the target layout', () => {
    expect(() => floodLoss('meanSquaredError', { level: 0.1, levelsInTarget: true })).toThrow(
      /level must be omitted when levelsInTarget/,
    );
    expect(() =>
      floodLoss('meanSquaredError', { levelsInTarget: true, individual: false }),
    ).toThrow(/individual must be true or omitted/);
    const fn = floodLoss('meanSquaredError', { levelsInTarget: true });
    const y = tf.ones([3]);
    expect(() => fn(y, y)).toThrow(/yTrue must be \[batch, targets \+ 1\]/);
    const lv = tf.ones([2]);
    expect(() => withFloodLevels(y, lv as tf.Tensor1D)).toThrow(
      /levels must be 1-D with one entry per sample \(3\)/,
    );
    tf.dispose([y, lv]);
  });

  it('trains through model.fitDataset (levels shuffled with their samples); model.fit refuses the extra column', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 2,
          inputShape: [2],
          activation: 'softmax',
          kernelInitializer: 'zeros',
        }),
      ],
    });
    model.compile({
      optimizer: tf.train.sgd(0),
      loss: floodLoss('categoricalCrossentropy', { levelsInTarget: true }),
    });
    const x = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 2));
    const lv = tf.tensor1d([0.1, 1, 0.5]);
    const yTrue = withFloodLevels(y, lv);
    // A minimal dataset (tf.data.array(...).shuffle(...) from @tensorflow/tfjs works the same):
    // batches of one sample, in a shuffled order, each carrying its own level.
    const order = [2, 0, 1];
    const dataset = {
      size: 3,
      iterator: async () => {
        let i = 0;
        return {
          next: async () =>
            i < order.length
              ? {
                  value: { xs: tf.gather(x, [order[i]!]), ys: tf.gather(yTrue, [order[i++]!]) },
                  done: false,
                }
              : { value: undefined, done: true },
        };
      },
    };
    const seen: number[] = [];
    await model.fitDataset(dataset as never, {
      epochs: 1,
      callbacks: { onBatchEnd: async (_b, logs) => void seen.push(logs!.loss as number) },
    });
    // Zero weights: p = [0.5, 0.5], ℓ = log 2 for every sample; level θ_i of that very sample.
    const l2 = Math.log(2);
    const expected = order.map((i) => Math.abs(l2 - lv.arraySync()[i]!) + lv.arraySync()[i]!);
    expect(seen).toHaveLength(3);
    seen.forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k]!, 5);
    });
    await expect(model.fit(x, yTrue, { epochs: 1 })).rejects.toThrow(
      /expected a batch of elements/,
    );
    tf.dispose([x, y, lv, yTrue]);
    model.dispose();
  });
});
