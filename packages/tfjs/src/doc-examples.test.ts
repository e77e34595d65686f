import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  adaFloodLevels,
  backstitch,
  exactHessianVectorProduct,
  flooding,
  perSampleLosses,
  tensorSpace,
  variablesObjective,
} from './index.js';

// The snippets of the doc comments, with the values they claim.
describe('doc-comment examples', () => {
  it('flooding: w = 0.8', () => {
    const w = tf.variable(tf.scalar(1));
    const opt = flooding(tf.train.sgd(0.1), { level: 0.5 });
    opt.minimize(() => tf.sum(tf.square(w)));
    expect(w.dataSync()[0]).toBeCloseTo(0.8, 6);
    opt.dispose();
    w.dispose();
  });

  it('backstitch: w = 0.88', () => {
    const w = tf.variable(tf.scalar(1));
    const opt = backstitch(tf.train.sgd(0.1), { ascentRate: 0.05 });
    opt.minimize(() => tf.sum(tf.square(w)));
    expect(w.dataSync()[0]).toBeCloseTo(0.88, 6);
    opt.dispose();
    w.dispose();
  });

  it('adaFloodLevels: [0.0488, 0.5976, 0]', () => {
    const levels = adaFloodLevels([0.1, 2.3, 0], { gamma: 0.5 });
    expect(Array.from(levels.dataSync())).toEqual([
      expect.closeTo(0.0488, 4),
      expect.closeTo(0.5976, 4),
      0,
    ]);
    levels.dispose();
  });

  it('exactHessianVectorProduct: H·[1, 1] = [3, 12]', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const loss = () => tf.sum(tf.div(tf.square(tf.square(w)), 4)) as tf.Scalar;
    const v = tf.ones([2]);
    const [hv] = exactHessianVectorProduct(loss, [w], [v]);
    expect(Array.from(hv!.dataSync())).toEqual([expect.closeTo(3, 5), expect.closeTo(12, 5)]);
    tf.dispose([w, v, hv!]);
  });

  it('perSampleLosses, tensorSpace, variablesObjective', () => {
    const l = perSampleLosses.categoricalCrossentropy!(
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [0.8, 0.2],
        [0.4, 0.6],
      ]),
    );
    expect(Array.from(l.dataSync())).toEqual([
      expect.closeTo(-Math.log(0.8), 5),
      expect.closeTo(-Math.log(0.6), 5),
    ]);
    const w = tf.variable(tf.tensor1d([3, 4]));
    expect(tensorSpace([w]).norm([w]).dataSync()[0]).toBeCloseTo(5, 6);
    const v = tf.variable(tf.tensor1d([1, 2]));
    const { loss, gradient } = variablesObjective(() => tf.sum(tf.square(v)), [v]).evaluate();
    expect(loss.dataSync()[0]).toBe(5);
    expect(Array.from(gradient[0]!.dataSync())).toEqual([2, 4]);
    tf.dispose([l, w, v, loss, ...gradient]);
  });
});
