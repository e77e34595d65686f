/**
 * Atomic failure on the backend under test: a step whose loss turns NaN or
 * infinite (at the pass at θ or at a probe pass) leaves the weights and the base
 * optimizer's state (Adam's slots and βᵗ) bit-identical, with no read-back in
 * the step; the refusal is reported at the next read point (`checkNonFinite`,
 * asynchronous): an error under `onNonFinite: 'error'`, a count under `'skip'`.
 */

import type { WrapperOptions } from '@flood/tfjs';
import { backstitch, type FloodOptimizer, flooding, gradientPenalty, sam } from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKEND, bitsOf, mlp, scalar } from './helpers.js';

/** Every wrapper over Adam (state worth protecting), and the evaluation that goes bad. */
const CASES: [string, (o: WrapperOptions) => FloodOptimizer, number][] = [
  ['flooding, at θ', (o) => flooding(tf.train.adam(0.01), { level: 1, ...o }), 0],
  ['sam, at the probe', (o) => sam(tf.train.adam(0.01), { rho: 0.05, ...o }), 1],
  [
    'sam adaptive, at the probe',
    (o) => sam(tf.train.adam(0.01), { rho: 0.5, adaptive: true, ...o }),
    1,
  ],
  [
    'backstitch, at the probe',
    (o) => backstitch(tf.train.adam(0.01), { ascentRate: 0.03, ...o }),
    1,
  ],
  [
    'gradientPenalty, at the probe',
    (o) => gradientPenalty(tf.train.adam(0.01), { coefficient: 0.5, ...o }),
    1,
  ],
  [
    'flooding(sam), at the probe',
    (o) => flooding(sam(tf.train.adam(0.01), { rho: 0.05 }), { level: 1, ...o }),
    1,
  ],
];

/** The weights and every state tensor of the base optimizer, as raw bits. */
async function snapshot(opt: FloodOptimizer, vars: tf.Variable[]): Promise<number[]> {
  const state = await opt.innermost.getWeights();
  const bits = await bitsOf([...vars, ...state.map((s) => s.tensor)]);
  tf.dispose(state.filter((s) => !(s.tensor instanceof tf.Variable)).map((s) => s.tensor));
  return bits;
}

describe(`atomic failure on ${BACKEND}`, () => {
  it.each(CASES)(
    '%s: NaN and ∞ leave everything bit-identical, reported at the read',
    async (_name, make, badCall) => {
      for (const [policy, bad] of [
        ['error', Number.NaN],
        ['skip', Number.POSITIVE_INFINITY],
      ] as const) {
        const p = mlp(7);
        const opt = make({ onNonFinite: policy });
        opt.minimize(p.loss, false, p.vars); // Adam's slots exist from here on
        await opt.checkNonFinite();
        const before = await snapshot(opt, p.vars);
        const tensors = tf.memory().numTensors;
        let calls = 0;
        const faulty = () => {
          const loss = p.loss();
          return calls++ === badCall ? (tf.mul(loss, bad) as tf.Scalar) : loss;
        };
        opt.minimize(faulty, false, p.vars); // refused on the device: no throw, no read
        expect(await scalar(opt.lastStep!.refused)).toBe(1);
        if (policy === 'error') {
          await expect(opt.checkNonFinite()).rejects.toThrow(/non-finite/);
        } else {
          expect(await opt.checkNonFinite()).toEqual({ refused: 1, total: 1 });
        }
        expect(opt.iterations).toBe(1);
        expect(await snapshot(opt, p.vars)).toEqual(before);
        expect(tf.memory().numTensors).toBe(tensors);
        // Training goes on from the same state.
        opt.minimize(p.loss, false, p.vars);
        expect(await scalar(opt.lastStep!.refused)).toBe(0);
        expect(await opt.checkNonFinite()).toEqual({ refused: 0, total: 1 });
        expect(opt.iterations).toBe(2);
        expect(await snapshot(opt, p.vars)).not.toEqual(before);
        opt.dispose();
        p.dispose();
      }
    },
  );
});
