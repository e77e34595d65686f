import { hessianVectorProduct } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { norm } from '../test/linear-problem.js';
import { gradientPenalty } from './gradient-penalty.js';
import { safeLogSumExp, safeLosses } from './safe-ops.js';
import { createObjective } from './variables-objective.js';

const flat = (ts: tf.Tensor[]) => ts.flatMap((t) => Array.from(t.dataSync()));

describe('second-order-safe primitives', () => {
  it('safeLogSumExp: value by hand (and range-safe), gradient softmax', () => {
    const z = tf.tensor2d([
      [0, Math.log(3)],
      [1000, 1000],
    ]);
    expect(Array.from(safeLogSumExp(z).dataSync())).toEqual([
      expect.closeTo(Math.log(4), 5),
      expect.closeTo(1000 + Math.log(2), 3),
    ]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(safeLogSumExp(t)))(z);
    expect(Array.from(g.dataSync())).toEqual(
      [0.25, 0.75, 0.5, 0.5].map((v) => expect.closeTo(v, 5)),
    );
    tf.dispose([z, g]);
  });

  it('safeLosses equal tfjs losses in value and gradient', () => {
    const labels = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const logits = tf.tensor2d([
      [0.5, -1, 2],
      [1, 0.3, -0.2],
    ]);
    const pairs: [
      (l: tf.Tensor, z: tf.Tensor) => tf.Scalar,
      (l: tf.Tensor, z: tf.Tensor) => tf.Tensor,
    ][] = [
      [safeLosses.softmaxCrossEntropy, (l, z) => tf.losses.softmaxCrossEntropy(l, z)],
      [safeLosses.sigmoidCrossEntropy, (l, z) => tf.losses.sigmoidCrossEntropy(l, z)],
      [safeLosses.meanSquaredError, (l, z) => tf.losses.meanSquaredError(l, z)],
    ];
    for (const [ours, theirs] of pairs) {
      const a = ours(labels, logits);
      const b = theirs(labels, logits);
      expect(a.dataSync()[0]).toBeCloseTo(b.dataSync()[0]!, 5);
      const ga = tf.grad((z: tf.Tensor) => ours(labels, z))(logits);
      const gb = tf.grad((z: tf.Tensor) => theirs(labels, z) as tf.Scalar)(logits);
      flat([ga]).forEach((v, i) => {
        expect(v).toBeCloseTo(flat([gb])[i]!, 5);
      });
      tf.dispose([a, b, ga, gb]);
    }
    tf.dispose([labels, logits]);
  });

  it('exact HVP of a softmax classifier through safeLosses matches central differences', () => {
    const x = tf.tensor2d([0.5, -1, 1.5, 0.2, -0.3, 0.8, 1, 1, -2, 0.4, 0.1, -0.6], [4, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3);
    const w1 = tf.variable(tf.tensor2d([0.3, -0.2, 0.5, 0.1, 0.4, -0.3], [3, 2]));
    const w2 = tf.variable(tf.tensor2d([0.6, -0.4, 0.2, -0.1, 0.5, 0.3], [2, 3]));
    const loss = () =>
      safeLosses.softmaxCrossEntropy(y, tf.matMul(tf.softplus(tf.matMul(x, w1)), w2));
    const obj = createObjective(loss, [w1, w2], { exactHessian: true });
    const v = [
      tf.tensor2d([1, -1, 0.5, 0.2, -0.3, 0.7], [3, 2]),
      tf.tensor2d([0.4, -0.9, 0.3, 0.1, -0.5, 0.8], [2, 3]),
    ];
    const exact = obj.hessianVectorProduct!(v);
    const fd = hessianVectorProduct(obj, v, { method: 'finite-difference' }).product;
    const e = flat(exact);
    const f = flat(fd);
    expect(norm(f)).toBeGreaterThan(0.05);
    expect(norm(e.map((a, i) => a - f[i]!)) / norm(f)).toBeLessThan(1e-2);
    // The same loss through tf.losses.softmaxCrossEntropy is refused, not silently wrong.
    const opt = gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.1, method: 'exact' });
    const unsafe = () =>
      tf.losses.softmaxCrossEntropy(y, tf.matMul(tf.softplus(tf.matMul(x, w1)), w2)) as tf.Scalar;
    expect(() => opt.minimize(unsafe, false, [w1, w2])).toThrow(/not supported for this loss/);
    opt.minimize(loss, false, [w1, w2]); // the safe one trains
    expect(opt.iterations).toBe(1);
    opt.dispose();
    tf.dispose([x, y, w1, w2, ...v, ...exact, ...fd]);
  });
});
