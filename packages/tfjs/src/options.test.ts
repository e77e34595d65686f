/**
 * Bad arguments get a RangeError naming the argument and its allowed range
 * (issue #18, items 5 and 6).
 */
import { linear } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearProblem } from '../test/linear-problem.js';
import { backstitch } from './backstitch.js';
import { flooding } from './flooding.js';
import { gradientPenalty } from './gradient-penalty.js';
import { sam } from './sam.js';
import { scheduled } from './scheduled.js';

describe('a missing base optimizer', () => {
  it.each([null, undefined, 0, 'sgd'])(
    '%s is a RangeError naming base, for every wrapper',
    (bad) => {
      const base = bad as unknown as tf.Optimizer;
      for (const make of [
        () => flooding(base, { level: 0.1 }),
        () => sam(base, { rho: 0.05 }),
        () => backstitch(base, { ascentRate: 0.01 }),
        () => gradientPenalty(base, { coefficient: 0.1 }),
      ]) {
        expect(make).toThrow(RangeError);
        expect(make).toThrow(/base must be a tf.Optimizer/);
      }
    },
  );
});

describe('backstitch refuses a net ascent where ε1 is known', () => {
  it('ratio must be in [0, 1) (ε2 = ratio·η < η)', () => {
    for (const ratio of [1, 1.5]) {
      expect(() => backstitch(tf.train.sgd(0.1), { ratio })).toThrow(/ratio must be .*\[0, 1\)/);
    }
    const ok = backstitch(tf.train.adam(0.1), { ratio: 0.99 });
    ok.dispose();
  });

  it('ascentRate must be < the learningRate of an SGD or Momentum base', () => {
    for (const make of [() => tf.train.sgd(0.1), () => tf.train.momentum(0.1, 0.9)]) {
      for (const ascentRate of [0.1, 0.2]) {
        const base = make();
        expect(() => backstitch(base, { ascentRate })).toThrow(RangeError);
        expect(() => backstitch(make(), { ascentRate })).toThrow(/ascentRate must be < .*0\.1/);
        base.dispose();
      }
    }
    // Scheduled SGD: ε1 is the scheduled rate.
    const s = scheduled(tf.train.sgd(0.1), { learningRate: 0.05 });
    expect(() => backstitch(s, { ascentRate: 0.06 })).toThrow(/ascentRate must be </);
    s.dispose();
    // Adam's step is not η·g: ε1 is unknown, nothing to compare.
    backstitch(tf.train.adam(0.01), { ascentRate: 0.01 }).dispose();
  });

  it('a schedule that reaches ε1 is refused at that step, weights untouched', () => {
    const p = linearProblem();
    const opt = backstitch(tf.train.sgd(0.1), {
      ascentRate: linear({ from: 0.05, to: 0.15, steps: 4 }),
    });
    opt.minimize(p.loss, false, [p.w]); // ε2 = 0.05
    opt.minimize(p.loss, false, [p.w]); // ε2 = 0.075; the next is 0.1 = ε1
    const before = p.read();
    expect(() => opt.minimize(p.loss, false, [p.w])).toThrow(/ascentRate must be </);
    expect(p.read()).toEqual(before);
    opt.dispose();
    p.dispose();
  });

  it('climbs no more: the report’s ratio-1 example is refused', () => {
    // weights (1, −2) → (1.40, −2.81) in 3 steps with ratio 1 before the fix.
    expect(() => backstitch(tf.train.sgd(0.1), { ratio: 1 })).toThrow(RangeError);
  });
});
