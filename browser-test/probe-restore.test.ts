/**
 * The probe pass's restore of non-trainable state on the backend under test:
 * its backups share the variables' buffers without a kernel (`shareBuffer`,
 * a reference the GPU backends count), so a buffer the probe pass replaces by
 * `assign` stays alive and is put back bit-identically, and every backup is
 * freed afterwards (no texture or GPU buffer leaks).
 */

import { sam } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKEND, bitsOf, mlp, values } from './helpers.js';

describe(`probe-pass restore on ${BACKEND}`, () => {
  it('state the loss writes (a moving mean of a batch) is as the pass at θ left it, bit for bit; nothing leaks', async () => {
    const run = async (make: () => tf.Optimizer) => {
      const p = mlp(3);
      const moving = tf.variable(tf.zeros([6]), false);
      const unrelated = tf.variable(tf.ones([4]), false);
      const batch = tf.tensor2d(values(18, 5), [3, 6]);
      // A BatchNorm-like moving mean of a batch (not of the weights, so that
      // plain and SAM steps, whose weights differ, write the same values).
      const loss = () => {
        tf.tidy(() => {
          moving.assign(tf.add(tf.mul(moving, 0.9), tf.mul(tf.mean(batch, 0), 0.1)));
        });
        return p.loss();
      };
      const opt = make();
      opt.minimize(loss, false, p.vars);
      const tensors = tf.memory().numTensors;
      opt.minimize(loss, false, p.vars);
      expect(tf.memory().numTensors).toBe(tensors);
      const bits = await bitsOf([moving, unrelated, ...p.vars]);
      opt.dispose();
      tf.dispose([moving, unrelated, batch]);
      p.dispose();
      return bits;
    };
    const plain = await run(() => tf.train.sgd(0.1));
    const probed = await run(() => sam(tf.train.sgd(0.1), { rho: 0.05 }));
    // The moving mean and the unrelated variable match the plain steps' (the
    // weights differ: SAM's update is another one).
    expect(probed.slice(0, 10)).toEqual(plain.slice(0, 10));
    expect(probed.slice(10)).not.toEqual(plain.slice(10));
  });
});
