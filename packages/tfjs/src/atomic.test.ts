import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearProblem } from '../test/linear-problem.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { gradientPenalty } from './gradient-penalty.js';
import { sam } from './sam.js';
import { scheduled } from './scheduled.js';
import type { FloodOptimizer, WrapperOptions } from './wrapper.js';

/** Every weight and optimizer slot, as raw bits. */
async function snapshot(opt: FloodOptimizer, w: tf.Variable): Promise<number[][]> {
  const weights = await opt.innermost.getWeights();
  const out = [Array.from(new Uint32Array(w.dataSync().slice().buffer))];
  for (const { tensor } of weights) {
    const data = tensor.dataSync();
    out.push(
      data instanceof Float32Array
        ? Array.from(new Uint32Array(data.slice().buffer))
        : Array.from(data as Int32Array),
    );
  }
  tf.dispose(weights.filter((x) => !(x.tensor instanceof tf.Variable)).map((x) => x.tensor));
  return out;
}

type Make = (o?: WrapperOptions) => FloodOptimizer;
const makers: [string, Make][] = [
  ['sam', (o) => sam(tf.train.adam(0.01), { rho: 0.05, ...o })],
  [
    'sam(scheduled(adam))',
    (o) => sam(scheduled(tf.train.adam(0.01), { learningRate: 0.01 }), { rho: 0.05, ...o }),
  ],
  ['gradientPenalty', (o) => gradientPenalty(tf.train.adam(0.01), { coefficient: 0.1, ...o })],
  ['backstitch', (o) => backstitch(tf.train.adam(0.01), { ascentRate: 0.01, ...o })],
  [
    'flooding(sam)',
    (o) => flooding(sam(tf.train.adam(0.01), { rho: 0.05 }), { level: 0.01, ...o }),
  ],
];

describe.each(makers)('%s: failure at the probe pass is atomic', (_name, make) => {
  /** A loss that misbehaves (`bad`) on its second evaluation in a step. */
  function faulty(p: ReturnType<typeof linearProblem>, bad: (loss: tf.Scalar) => tf.Scalar) {
    let calls = 0;
    return () => {
      const loss = p.loss();
      return calls++ % 2 === 1 ? bad(loss) : loss;
    };
  }

  it('the loss throws: weights and Adam state bit-identical, and the step throws', async () => {
    const p = linearProblem();
    const opt = make();
    opt.minimize(p.loss, false, [p.w]); // create Adam's slots
    const before = await snapshot(opt, p.w);
    const tensors = tf.memory().numTensors;
    const boom = (): tf.Scalar => {
      throw new Error('boom');
    };
    expect(() => opt.minimize(faulty(p, boom), false, [p.w])).toThrow(/unchanged/);
    expect(await snapshot(opt, p.w)).toEqual(before);
    expect(opt.iterations).toBe(1);
    expect(tf.memory().numTensors).toBe(tensors);
    opt.dispose();
    p.dispose();
  });

  it.each([
    ['is NaN', (l: tf.Scalar) => tf.mul(l, Number.NaN) as tf.Scalar],
    ['is infinite', (l: tf.Scalar) => tf.mul(l, Number.POSITIVE_INFINITY) as tf.Scalar],
  ])(
    'the loss %s: weights and Adam state bit-identical, the error at the next read',
    async (_k, bad) => {
      const p = linearProblem();
      const opt = make();
      opt.minimize(p.loss, false, [p.w]); // create Adam's slots
      const before = await snapshot(opt, p.w);
      const tensors = tf.memory().numTensors;
      opt.minimize(faulty(p, bad), false, [p.w]); // refused on the device, no throw here
      expect(opt.iterations).toBe(2); // the refused step is counted until the read
      await expect(opt.checkNonFinite()).rejects.toThrow(/1 step\(s\) met a non-finite .* refused/);
      expect(opt.iterations).toBe(1);
      expect(await snapshot(opt, p.w)).toEqual(before);
      expect(await opt.checkNonFinite()).toEqual({ refused: 0, total: 1 }); // reported once
      expect(tf.memory().numTensors).toBe(tensors);
      opt.dispose();
      p.dispose();
    },
  );

  it('a refused first step (no slots yet) leaves fresh slots at their initial values', async () => {
    const p = linearProblem();
    const opt = make({ onNonFinite: 'skip' });
    const reference = make();
    opt.minimize(
      faulty(p, (l) => tf.mul(l, Number.NaN) as tf.Scalar),
      false,
      [p.w],
    );
    expect(await opt.checkNonFinite()).toEqual({ refused: 1, total: 1 });
    const q = linearProblem();
    opt.minimize(p.loss, false, [p.w]);
    reference.minimize(q.loss, false, [q.w]);
    expect(p.read()).toEqual(q.read());
    const state = async (o: FloodOptimizer) => (await snapshot(o, p.w)).slice(1);
    expect(await state(opt)).toEqual(await state(reference));
    opt.dispose();
    reference.dispose();
    p.dispose();
    q.dispose();
  });

  it("onNonFinite: 'skip' skips, counts and keeps training", async () => {
    const p = linearProblem();
    const opt = make({ onNonFinite: 'skip' });
    opt.minimize(p.loss, false, [p.w]);
    const before = await snapshot(opt, p.w);
    const cost = opt.minimize(
      faulty(p, (l) => tf.mul(l, Number.NaN) as tf.Scalar),
      true,
      [p.w],
    )!;
    expect(Number.isFinite(cost.dataSync()[0])).toBe(true); // the raw loss at θ
    cost.dispose();
    expect((await opt.lastStep!.refused.data())[0]).toBe(1);
    expect(await opt.checkNonFinite()).toEqual({ refused: 1, total: 1 });
    expect(await snapshot(opt, p.w)).toEqual(before);
    opt.minimize(p.loss, false, [p.w]);
    expect((await opt.lastStep!.refused.data())[0]).toBe(0);
    expect(await opt.checkNonFinite()).toEqual({ refused: 0, total: 1 });
    expect(opt.iterations).toBe(2);
    opt.dispose();
    p.dispose();
  });
});
