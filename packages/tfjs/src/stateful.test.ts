import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { backstitch } from './backstitch.js';
import { sam } from './sam.js';
import { createObjective } from './variables-objective.js';

function bnModel(optimizer: tf.Optimizer) {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 3,
        inputShape: [2],
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.batchNormalization({ momentum: 0.5 }),
      tfl.layers.dense({
        units: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}

const movingStats = (m: tfl.LayersModel) =>
  m.layers[1]!.getWeights()
    .slice(2)
    .map((w) => Array.from(w.dataSync()));

describe('stateful layers', () => {
  const xs = () => tf.tensor2d([1, 2, -1, 0.5, 0.3, -2, 2, 1], [4, 2]);
  const ys = () => tf.tensor2d([1, 0, -1, 0.5], [4, 1]);

  it('the probe pass leaves BatchNorm moving statistics as the pass at θ set them', async () => {
    const plain = bnModel(tf.train.sgd(0.1));
    const probed = bnModel(sam(tf.train.sgd(0.1), { rho: 0.5 }));
    const stateful = bnModel(sam(tf.train.sgd(0.1), { rho: 0.5, statefulProbe: true }));
    const x = xs();
    const y = ys();
    const initial = movingStats(plain);
    for (const m of [plain, probed, stateful]) await m.trainOnBatch(x, y);
    expect(movingStats(plain)).not.toEqual(initial); // the first pass did update them
    expect(movingStats(probed)).toEqual(movingStats(plain)); // bit-identical
    expect(movingStats(stateful)).not.toEqual(movingStats(plain)); // updated twice
    for (const m of [plain, probed, stateful]) {
      m.optimizer.dispose();
      m.dispose();
    }
    tf.dispose([x, y]);
  });

  it('restores a variable the probe writes; unrelated non-trainable variables launch no kernel, copy nothing', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const counter = tf.variable(tf.scalar(0), false); // written by every pass
    const loss = () => {
      counter.assign(tf.add(counter, 1));
      return tf.sum(tf.square(w)) as tf.Scalar;
    };
    const opt = sam(tf.train.sgd(0.1), { rho: 0.05 });
    opt.minimize(loss, false, [w]);
    expect(counter.dataSync()[0]).toBe(1); // the probe pass's increment was undone
    const kernels = async () =>
      (
        await tf.profile(() => {
          opt.minimize(loss, false, [w]);
        })
      ).kernels.map((k) => k.name);
    const alone = await kernels();
    // 200 unrelated non-trainable variables (other models' state, frozen weights)
    // and another optimizer's slots, all in the process, none in this step:
    const unrelated = Array.from({ length: 200 }, (_, i) => tf.variable(tf.scalar(i), false));
    const other = tf.variable(tf.tensor1d([3, 4]));
    const adam = tf.train.adam(0.01);
    adam.minimize(() => tf.sum(tf.square(other)) as tf.Scalar, false, [other]);
    const memory = tf.memory();
    const more = await kernels();
    expect(more).toEqual(alone); // the same kernels, one for one
    expect(tf.memory().numBytes).toBe(memory.numBytes);
    expect(tf.memory().numTensors).toBe(memory.numTensors);
    expect(counter.dataSync()[0]).toBe(3);
    expect(unrelated.map((v) => v.dataSync()[0])).toEqual(unrelated.map((_, i) => i));
    tf.dispose([w, counter, other, ...unrelated]);
    opt.dispose();
    adam.dispose();
  });

  it('variables named untouched (the base optimizer slots) are left out of the snapshot', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const slots = Array.from({ length: 20 }, (_, i) => tf.variable(tf.scalar(i), false));
    const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
    // Tensors made by one probe evaluation (tensor ids are consecutive): an
    // alias per snapshotted variable.
    const made = (untouched?: () => tf.Variable[]) => {
      const objective = createObjective(loss, [w], { untouched });
      const offset = [tf.tensor1d([0.1, 0.1])];
      const first = tf.scalar(0);
      const e = objective.evaluate(offset);
      const last = tf.scalar(0);
      tf.dispose([e.loss, ...e.gradient, first, last, ...offset]);
      return last.id - first.id;
    };
    expect(made() - made(() => slots)).toBe(20);
    tf.dispose([w, ...slots]);
  });

  /** A layer that records which units of its input are zero (the dropout mask before it). */
  class MaskRecorder extends tfl.layers.Layer {
    static className = 'MaskRecorder';
    constructor(private readonly masks: number[][]) {
      super({});
    }
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      this.masks.push(Array.from(x.dataSync()).map((v) => (v === 0 ? 0 : 1)));
      return x;
    }
  }

  it('model.fit: every pass of a step draws the same dropout masks (sameRandomness), the next step new ones', async () => {
    for (const sameRandomness of [true, false]) {
      const masks: number[][] = [];
      const model = tfl.sequential({
        layers: [
          tfl.layers.dropout({ rate: 0.5, inputShape: [64] }),
          new MaskRecorder(masks),
          tfl.layers.dense({ units: 1, kernelInitializer: 'ones' }),
        ],
      });
      const opt = backstitch(tf.train.sgd(0.01), { ascentRate: 0.005, sameRandomness });
      model.compile({ optimizer: opt, loss: 'meanSquaredError', metrics: ['mse'] });
      const x = tf.ones([1, 64]);
      const y = tf.zeros([1, 1]);
      await model.fit(x, y, { epochs: 2, batchSize: 1, verbose: 0 });
      expect(masks).toHaveLength(4); // two steps of two passes
      if (sameRandomness) {
        expect(masks[1]).toEqual(masks[0]);
        expect(masks[3]).toEqual(masks[2]);
        expect(masks[2]).not.toEqual(masks[0]); // fresh masks every step (2⁻⁶⁴ false failure)
      } else {
        expect(masks[1]).not.toEqual(masks[0]); // 2⁻⁶⁴ chance of a false failure
      }
      expect((model.layers[0] as unknown as { seed?: number }).seed).toBeUndefined(); // put back
      model.dispose();
      opt.dispose();
      tf.dispose([x, y]);
    }
  });

  it('a custom loss: unseeded tf.dropout draws anew in every pass; a seed per step (iterations) replays it', () => {
    for (const seeded of [false, true]) {
      const w = tf.variable(tf.ones([64]));
      const opt = backstitch(tf.train.sgd(0.01), { ascentRate: 0.005 });
      const masks: number[][] = [];
      const loss = () => {
        const d = tf.dropout(w, 0.5, undefined, seeded ? opt.iterations : undefined);
        masks.push(Array.from(d.dataSync()).map((v) => (v === 0 ? 0 : 1)));
        return tf.sum(tf.square(d)) as tf.Scalar;
      };
      opt.minimize(loss, false, [w]);
      opt.minimize(loss, false, [w]);
      expect(masks).toHaveLength(4);
      if (seeded) {
        expect(masks[1]).toEqual(masks[0]);
        expect(masks[3]).toEqual(masks[2]);
        expect(masks[2]).not.toEqual(masks[0]);
      } else {
        expect(masks[1]).not.toEqual(masks[0]); // 2⁻⁶⁴ chance of a false failure
      }
      opt.dispose();
      w.dispose();
    }
  });
});
