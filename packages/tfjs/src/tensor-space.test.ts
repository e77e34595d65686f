import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { tensorSpace } from './tensor-space.js';

const bits = async (t: tf.Tensor) => Array.from(new Uint32Array((await t.data()).slice().buffer));

describe('tensorSpace', () => {
  const x = [tf.tensor1d([0.1, -3, 1e-30]), tf.tensor2d([[2.5, 7e5]])];
  const y = [tf.tensor1d([1 / 3, 5, -2]), tf.tensor2d([[-0.7, 1e-3]])];
  const variables = x.map((t) => tf.variable(t, false));
  const space = tensorSpace(variables);
  afterAll(() => {
    tf.dispose([...x, ...y, ...variables]);
  });

  it('axpby with a coefficient 1 is x + b·y bit for bit, with one product per block', async () => {
    const b = tf.scalar(-0.37);
    const profile = await tf.profile(() => {
      tf.dispose(space.axpby(1, x, b, y));
    });
    expect(profile.kernels.filter((k) => k.name === 'Multiply').length).toBe(2);
    const got = space.axpby(1, x, b, y);
    const swapped = space.axpby(b, y, 1, x);
    for (const [i, g] of got.entries()) {
      const expected = tf.add(x[i]!, tf.mul(y[i]!, b));
      expect(await bits(g)).toEqual(await bits(expected));
      expect(await bits(swapped[i]!)).toEqual(await bits(expected));
      expected.dispose();
    }
    tf.dispose([b, ...got, ...swapped]);
  });

  it('scale by 1 returns tensors of their own, equal to x', async () => {
    const tensors = tf.memory().numTensors;
    const out = space.scale(x, 1);
    expect(tf.memory().numTensors).toBe(tensors + x.length);
    for (const [i, o] of out.entries()) expect(await bits(o)).toEqual(await bits(x[i]!));
    tf.dispose(out);
    expect(x.every((t) => !t.isDisposed)).toBe(true);
  });
});
