import { hessianVectorProduct } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { linearProblem, lossAndGradient, norm, W0 } from '../test/linear-problem.js';
import { gradientPenalty } from './gradient-penalty.js';
import { createObjective } from './variables-objective.js';

const hessian = (() => {
  // The exact Hessian of the mean squared error, column by column (L is quadratic).
  const { gradient: g } = lossAndGradient(W0);
  const cols = [0, 1].map((j) =>
    lossAndGradient(W0.map((w, k) => w + (k === j ? 1 : 0))).gradient.map((x, i) => x - g[i]!),
  );
  return (v: number[]) => [0, 1].map((i) => cols[0]![i]! * v[0]! + cols[1]![i]! * v[1]!);
})();

/** `x²` with a hand-written gradient `2x·dy` (correct, but not on the allow-list). */
const customSquare = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.square(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.mul(2, saved[0]!)),
  };
});

describe("gradientPenalty method 'exact'", () => {
  it.each([1, 2] as const)('power %i on a quadratic equals the closed form', (power) => {
    const { gradient: g } = lossAndGradient(W0);
    const hg = hessian(g);
    const lambda = 0.05;
    const c = power === 2 ? 2 * lambda : lambda / norm(g);
    const p = linearProblem();
    const opt = gradientPenalty(tf.train.sgd(1), { coefficient: lambda, power, method: 'exact' });
    opt.minimize(p.loss, false, [p.w]);
    const step = p.read().map((w, i) => W0[i]! - w);
    step.forEach((s, i) => {
      expect(s).toBeCloseTo(g[i]! + c * hg[i]!, 5);
    });
    expect(opt.getConfig().method).toBe('exact');
    opt.dispose();
    p.dispose();
  });

  it('matches central differences on a smooth MLP (softplus, log, sqrt, sin)', () => {
    const x = tf.tensor2d([0.5, -1, 1.5, 0.2, -0.3, 0.8, 1, 1, -2, 0.4, 0.1, -0.6], [4, 3]);
    const y = tf.tensor2d([0.2, 1, 0.5, 0.3], [4, 1]);
    const w1 = tf.variable(tf.tensor2d([0.3, -0.2, 0.5, 0.1, 0.4, -0.3], [3, 2]));
    const w2 = tf.variable(tf.tensor2d([0.6, -0.4], [2, 1]));
    const loss = () => {
      const h = tf.softplus(tf.matMul(x, w1));
      const out = tf.add(tf.matMul(tf.sin(h), w2), tf.mean(tf.sqrt(tf.add(tf.square(h), 1))));
      const r = tf.sub(out, y);
      return tf.add(tf.mean(tf.square(r)), tf.mul(0.1, tf.log(tf.add(tf.sum(tf.square(w1)), 1))));
    };
    const obj = createObjective(loss as () => tf.Scalar, [w1, w2], { exactHessian: true });
    const v = [tf.tensor2d([1, -1, 0.5, 0.2, -0.3, 0.7], [3, 2]), tf.tensor2d([0.4, -0.9], [2, 1])];
    const exact = obj.hessianVectorProduct!(v);
    const fd = hessianVectorProduct(obj, v, { method: 'finite-difference' }).product;
    const e = exact.flatMap((t) => Array.from(t.dataSync()));
    const f = fd.flatMap((t) => Array.from(t.dataSync()));
    const scale = norm(f);
    expect(scale).toBeGreaterThan(0.1);
    expect(norm(e.map((a, i) => a - f[i]!)) / scale).toBeLessThan(1e-2);
    tf.dispose([x, y, w1, w2, ...v, ...exact, ...fd]);
  });

  it.each([
    ['pow', (z: tf.Tensor) => tf.mean(tf.pow(z, 3))],
    ['logSoftmax', (z: tf.Tensor) => tf.neg(tf.mean(tf.logSoftmax(tf.reshape(z, [1, 3]))))],
    ['maximum', (z: tf.Tensor) => tf.mean(tf.maximum(z, 0.15))],
    [
      'softmax cross-entropy',
      (z: tf.Tensor) =>
        tf.losses.softmaxCrossEntropy(tf.tensor2d([1, 0, 0], [1, 3]), tf.reshape(z, [1, 3])),
    ],
    // A user customGrad op is named after its scope ('unnamed scope', like the
    // copies ops save for backprop); only the copies are let through.
    ['a customGrad op in a tidy', (z: tf.Tensor) => tf.tidy(() => tf.mean(customSquare(z)))],
    ['a customGrad op', (z: tf.Tensor) => tf.mean(customSquare(z))],
  ])('refuses a loss through %s, leaving weights bit-identical', (_name, head) => {
    const w = tf.variable(tf.tensor1d([0.1, 0.2, 0.3]));
    const opt = gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.1, method: 'exact' });
    const before = Array.from(w.dataSync());
    const n = tf.memory().numTensors;
    expect(() => opt.minimize(() => head(tf.mul(w, 2)) as tf.Scalar, false, [w])).toThrow(
      /not supported for this loss/,
    );
    expect(Array.from(w.dataSync())).toEqual(before);
    expect(tf.memory().numTensors).toBe(n);
    opt.dispose();
    w.dispose();
  });

  it.each(['elu', 'selu', 'tanh', 'sigmoid'] as const)(
    'tfjs-layers Dense with %s: the exact penalty term equals the finite-difference one to 2%',
    (activation) => {
      const runs = [
        ['exact', 0.5],
        ['finite-difference', 0.5],
        ['exact', 0],
      ] as const;
      const steps = runs.map(([method, coefficient]) => {
        const n = tf.memory().numTensors;
        const m = tfl.sequential({
          layers: [
            tfl.layers.dense({ units: 2, inputShape: [2], activation, kernelInitializer: 'ones' }),
          ],
        });
        const x = tf.tensor2d([0.5, -1, 1.5, 0.2], [2, 2]);
        const y = tf.tensor2d([0.2, 1, -0.3, 0.4], [2, 2]);
        const w = m.trainableWeights.map((v) => v.read() as tf.Variable);
        const before = w.flatMap((v) => Array.from(v.dataSync()));
        const opt = gradientPenalty(tf.train.sgd(1), {
          coefficient,
          method,
          ...(method === 'finite-difference' ? { radius: 1e-3 } : {}),
        });
        opt.minimize(
          () => tf.mean(tf.square(tf.sub(m.apply(x) as tf.Tensor, y))) as tf.Scalar,
          false,
          w,
        );
        const after = w.flatMap((v) => Array.from(v.dataSync()));
        opt.dispose();
        m.dispose();
        tf.dispose([x, y]);
        expect(tf.memory().numTensors).toBe(n);
        return after.map((a, i) => a - before[i]!);
      });
      // The penalty's part of each step: the step minus the plain gradient step.
      const [exact, fd, plain] = steps as [number[], number[], number[]];
      const fdTerm = fd.map((s, i) => s - plain[i]!);
      const scale = norm(fdTerm);
      expect(scale).toBeGreaterThan(0.01);
      expect(norm(exact.map((e, i) => e - plain[i]! - fdTerm[i]!)) / scale).toBeLessThan(2e-2);
    },
  );
});
