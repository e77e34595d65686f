import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { floodLoss } from './flood-loss.js';
import { perSampleLosses } from './losses.js';

const probs = [
  [0.7, 0.2, 0.1],
  [0.1, 0.1, 0.8],
  [0.3, 0.4, 0.3],
  [0.05, 0.9, 0.05],
];
const labels = [0, 2, 0, 1];
const oneHot = labels.map((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0)));
/** −log p(label), by hand. */
const ce = labels.map((l, i) => -Math.log(probs[i]![l]!));
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('per-sample losses', () => {
  it('match hand-computed values and tfjs-layers metrics', () => {
    const yPred = tf.tensor2d(probs);
    const yTrue = tf.tensor2d(oneHot);
    const cases: [string, tf.Tensor, tf.Tensor, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
      ['categoricalCrossentropy', yTrue, yPred, tfl.metrics.categoricalCrossentropy],
      ['meanSquaredError', yTrue, yPred, tfl.metrics.meanSquaredError],
      ['meanAbsoluteError', yTrue, yPred, tfl.metrics.meanAbsoluteError],
      ['binaryCrossentropy', yTrue, yPred, tfl.metrics.binaryCrossentropy],
    ];
    for (const [name, t, p, reference] of cases) {
      const ours = perSampleLosses[name]!(t, p);
      const theirs = reference(t, p);
      expect(ours.shape).toEqual([4]);
      Array.from(ours.dataSync()).forEach((v, i) => {
        expect(v).toBeCloseTo(theirs.dataSync()[i]!, 5);
      });
      tf.dispose([ours, theirs]);
    }
    const cce = perSampleLosses.categoricalCrossentropy!(yTrue, yPred);
    Array.from(cce.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(ce[i]!, 5);
    });
    const sparse = tf.tensor2d(labels, [4, 1]);
    const scce = perSampleLosses.sparseCategoricalCrossentropy!(sparse, yPred);
    Array.from(scce.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(ce[i]!, 5);
    });
    tf.dispose([yPred, yTrue, cce, sparse, scce]);
  });
});

describe('the other tfjs-layers losses, per sample, by hand', () => {
  const t = [
    [1, -1, 0.5],
    [0.2, 2, -0.3],
  ];
  const q = [
    [0.3, 0.4, 0.6],
    [1.5, 0.1, 0.2],
  ];
  const rows = (f: (a: number[], b: number[]) => number) => t.map((a, i) => f(a, q[i]!));
  const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const expected: Record<string, number[]> = {
    hinge: rows((a, b) => avg(a.map((y, j) => Math.max(0, 1 - y * b[j]!)))),
    squaredHinge: rows((a, b) => avg(a.map((y, j) => Math.max(0, 1 - y * b[j]!) ** 2))),
    logcosh: rows((a, b) => avg(a.map((y, j) => Math.log(Math.cosh(b[j]! - y))))),
    poisson: rows((a, b) => avg(a.map((y, j) => b[j]! - y * Math.log(b[j]! + 1e-7)))),
    meanAbsolutePercentageError: rows(
      (a, b) => 100 * avg(a.map((y, j) => Math.abs((y - b[j]!) / Math.max(Math.abs(y), 1e-7)))),
    ),
    meanSquaredLogarithmicError: rows((a, b) =>
      avg(
        a.map((y, j) => (Math.log1p(Math.max(b[j]!, 1e-7)) - Math.log1p(Math.max(y, 1e-7))) ** 2),
      ),
    ),
    cosineProximity: rows((a, b) => {
      const n = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      return -a.reduce((s, y, j) => s + y * b[j]!, 0) / (n(a) * n(b));
    }),
    categoricalHinge: rows((a, b) => {
      const pos = a.reduce((s, y, j) => s + y * b[j]!, 0);
      const neg = Math.max(...a.map((y, j) => (1 - y) * b[j]!));
      return Math.max(0, 1 + neg - pos);
    }),
    kullbackLeiblerDivergence: rows((a, b) =>
      a.reduce(
        (s, y, j) =>
          s + y * Math.log(Math.min(Math.max(y, 1e-7), 1) / Math.min(Math.max(b[j]!, 1e-7), 1)),
        0,
      ),
    ),
  };
  it.each(Object.keys(expected))('%s', (name) => {
    const [yt, yp] = [tf.tensor2d(t), tf.tensor2d(q)];
    const v = perSampleLosses[name]!(yt, yp);
    expect(v.shape).toEqual([2]);
    Array.from(v.dataSync()).forEach((x, i) => {
      expect(x).toBeCloseTo(expected[name]![i]!, 4);
    });
    tf.dispose([yt, yp, v]);
  });
});

describe('floodLoss', () => {
  const yPred = () => tf.tensor2d(probs);
  const yTrue = () => tf.tensor2d(oneHot);

  it.each([0.1, 0.5, 2])('batch flooding |mean(l) − b| + b at b = %f', (b) => {
    const [t, p] = [yTrue(), yPred()];
    const v = floodLoss('categoricalCrossentropy', { level: b })(t, p);
    expect(v.dataSync()[0]).toBeCloseTo(Math.abs(mean(ce) - b) + b, 5);
    tf.dispose([t, p, v]);
  });

  it.each([0.1, 0.5, 2])('individual flooding mean(|l_i − b| + b) at b = %f', (b) => {
    const [t, p] = [yTrue(), yPred()];
    const v = floodLoss('categoricalCrossentropy', { level: b, individual: true })(t, p);
    expect(v.dataSync()[0]).toBeCloseTo(mean(ce.map((l) => Math.abs(l - b) + b)), 5);
    tf.dispose([t, p, v]);
  });

  it('individual flooding: the gradient is sign(l_i − b)·∇l_i / n', () => {
    const b = 0.5; // ce = 0.36, 0.22, 1.20, 0.11: only sample 2 is above b
    const t = yTrue();
    const p = yPred();
    const fn = floodLoss('categoricalCrossentropy', { level: b, individual: true });
    const g = tf.grad((q: tf.Tensor) => fn(t, q) as tf.Scalar)(p);
    // ∂(−log(q_l/Σq))/∂q_k = 1/Σq − [k = l]/q_l, and Σq = 1 here.
    const expected = probs.map((row, i) =>
      row.map((q, k) => (Math.sign(ce[i]! - b) * (1 - (k === labels[i] ? 1 / q : 0))) / 4),
    );
    const got = g.arraySync() as number[][];
    got.forEach((row, i) => {
      row.forEach((v, k) => {
        expect(v).toBeCloseTo(expected[i]![k]!, 4);
      });
    });
    tf.dispose([t, p, g]);
  });

  it('reads a scheduled level at step()', () => {
    let step = 0;
    const level = Object.assign((s: number) => (s < 1 ? 0 : 5), { toJSON: () => ({}) });
    const fn = floodLoss('categoricalCrossentropy', { level, step: () => step });
    const [t, p] = [yTrue(), yPred()];
    const a = fn(t, p);
    step = 1;
    const b = fn(t, p);
    expect(a.dataSync()[0]).toBeCloseTo(mean(ce), 5);
    expect(b.dataSync()[0]).toBeCloseTo(10 - mean(ce), 5);
    tf.dispose([t, p, a, b]);
  });

  it('works in model.compile with a custom per-sample function', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
    const perSample = (t: tf.Tensor, p: tf.Tensor) => tf.sum(tf.square(tf.sub(t, p)), -1);
    model.compile({
      optimizer: tf.train.sgd(0.1),
      loss: floodLoss(perSample, { level: 0.01, individual: true }),
    });
    const x = tf.ones([4, 2]);
    const y = tf.zeros([4, 1]);
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('rejects invalid options', () => {
    const sched = Object.assign(() => 0, { toJSON: () => ({}) });
    expect(() => floodLoss('notALoss', { level: 0 })).toThrow(/notALoss/);
    expect(() => floodLoss('meanSquaredError', { level: -1 })).toThrow(/level/);
    expect(() => floodLoss('meanSquaredError', { level: sched })).toThrow(/step/);
    expect(() =>
      floodLoss('meanSquaredError', { level: 0, individual: 'yes' as unknown as boolean }),
    ).toThrow(/individual/);
  });

  it('a scalar loss with individual: true: the error says how to get per-sample losses', () => {
    const t = tf.tensor2d([0, 1, 1, 0.5], [2, 2]);
    const p = tf.tensor2d([0.2, 0.7, 0.9, 0.1], [2, 2]);
    // tf.losses.* reduce to a scalar by default: the usual way to get here.
    const scalarLoss = floodLoss((a, b) => tf.losses.meanSquaredError(a, b), {
      level: 0.01,
      individual: true,
    });
    expect(() => scalarLoss(t, p)).toThrow(
      /needs per-sample losses.*returned a scalar.*floodLoss\('categoricalCrossentropy'.*tf\.Reduction\.NONE/,
    );
    // Both fixes the message names work, and agree.
    const byName = floodLoss('meanSquaredError', { level: 0.01, individual: true })(t, p);
    const unreduced = floodLoss(
      (a, b) => tf.losses.meanSquaredError(a, b, undefined, tf.Reduction.NONE),
      { level: 0.01, individual: true },
    )(t, p);
    // Per sample: mean((t − p)²) = 0.065, 0.085; both above b, so the mean is 0.075.
    expect(byName.dataSync()[0]).toBeCloseTo(0.075, 6);
    expect(unreduced.dataSync()[0]).toBeCloseTo(0.075, 6);
    tf.dispose([t, p, byName, unreduced]);
  });
});
