/**
 * `dispose()` frees everything an optimizer made: after steps in a custom loop
 * and `dispose()`, the tensor count and the registered variables are as they
 * were before the optimizer existed (its rule state and counters included).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  accumulate,
  backstitch,
  flooding,
  friendlySam,
  gradientPenalty,
  gsam,
  lookSam,
  sam,
  scheduled,
} from './index.js';

const makers: [string, () => tf.Optimizer][] = [
  ['flooding', () => flooding(tf.train.adam(0.01), { level: 0.1 })],
  ['sam', () => sam(tf.train.adam(0.01), { rho: 0.05 })],
  ['gsam', () => gsam(tf.train.adam(0.01), { rho: 0.05, alpha: 0.1 })],
  ['lookSam', () => lookSam(tf.train.adam(0.01), { rho: 0.05, every: 3, alpha: 0.7 })],
  ['friendlySam', () => friendlySam(tf.train.adam(0.01), { rho: 0.05 })],
  ['backstitch', () => backstitch(tf.train.sgd(0.1), { ascentRate: 0.05 })],
  ['gradientPenalty', () => gradientPenalty(tf.train.adam(0.01), { coefficient: 0.1 })],
  [
    'flooding(lookSam)',
    () => flooding(lookSam(tf.train.adam(0.01), { rho: 0.05, every: 2 }), { level: 0.1 }),
  ],
  ['scheduled', () => scheduled(tf.train.adam(0.01), { learningRate: 0.01 })],
  ['accumulate(sam)', () => accumulate(sam(tf.train.adam(0.01), { rho: 0.05 }), { steps: 2 })],
];

describe('dispose frees everything the optimizer made', () => {
  for (const [name, make] of makers) {
    for (const steps of [1, 4]) {
      it(`${name}, ${steps} step(s)`, () => {
        const w = tf.variable(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
        );
        const b = tf.variable(tf.tensor1d([0.5, -0.5]));
        const variables = Object.keys(tf.engine().registeredVariables).sort();
        const before = tf.memory().numTensors;
        const opt = make();
        for (let i = 0; i < steps; i++) {
          const cost = opt.minimize(
            () => tf.sum(tf.square(tf.add(tf.matMul(w, w), b))) as tf.Scalar,
            true,
            [w, b],
          );
          cost?.dispose();
        }
        opt.dispose();
        expect(tf.memory().numTensors - before).toBe(0);
        expect(Object.keys(tf.engine().registeredVariables).sort()).toEqual(variables);
        tf.dispose([w, b]);
      });
    }
  }
});
