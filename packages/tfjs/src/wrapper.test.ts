/**
 * The one optimizer class runs any spec: a method defined with core's
 * `defineMethod` runs with no tfjs code of its own, and a flooded spec is
 * flooding over a layer of the method, as the factories build it.
 */
import {
  defineMethod,
  type Objective,
  plainStep,
  type RuleContext,
  scheduleValue,
} from '@flood/core';
import { linear } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flooding } from './flooding.js';
import { sam } from './sam.js';
import { FloodOptimizer, isFloodOptimizer } from './wrapper.js';

// A method as data only: the plain gradient times `factor` (a schedule).
defineMethod({
  method: 'testScaled',
  kind: 'estimator',
  options: { factor: { kind: 'schedule' } },
  rule:
    (spec) =>
    <V, S>(objective: Objective<V, S>, context: RuleContext<V>) => {
      const factor = scheduleValue('factor', spec.factor as number, context.step);
      const p = plainStep(objective);
      const gradient = objective.space.scale(p.gradient, factor);
      objective.space.dispose(p.gradient);
      return { ...p, gradient, hyperparameters: { factor } };
    },
});

describe('FloodOptimizer runs any spec', () => {
  it('a method defined in core only: SGD steps with factor·g, schedules read per step', () => {
    const w = tf.variable(tf.scalar(1));
    const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
    const factor = linear({ from: 2, to: 1, steps: 1 });
    const opt = new FloodOptimizer(tf.train.sgd(0.1), { method: 'testScaled', factor });
    opt.minimize(loss, false, [w]); // w = 1 − 0.1·2·2 = 0.6
    expect(w.dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(opt.lastStep!.hyperparameters).toEqual({ factor: 2 });
    opt.minimize(loss, false, [w]); // w = 0.6 − 0.1·1·1.2 = 0.48
    expect(w.dataSync()[0]).toBeCloseTo(0.48, 6);
    expect(opt.getClassName()).toBe('testScaled');
    expect(() => new FloodOptimizer(tf.train.sgd(0.1), { method: 'testScaled' })).toThrow(
      /testScaled needs factor/,
    );
    opt.dispose();
    w.dispose();
  });

  it('a flooded spec is flooding over a layer of the method (as flooding(sam(…)))', () => {
    const make = (spec: boolean) =>
      spec
        ? new FloodOptimizer(tf.train.sgd(0.1), {
            method: 'sam',
            rho: 0.05,
            flood: { level: 0.5 },
          })
        : flooding(sam(tf.train.sgd(0.1), { rho: 0.05 }), { level: 0.5 });
    const run = (opt: FloodOptimizer) => {
      const w = tf.variable(tf.tensor1d([1, -0.2]));
      for (let i = 0; i < 3; i++) opt.minimize(() => tf.sum(tf.pow(w, 4)) as tf.Scalar, false, [w]);
      const out = Array.from(w.dataSync());
      w.dispose();
      return out;
    };
    const [a, b] = [make(true), make(false)];
    expect(run(a)).toEqual(run(b));
    expect(a.getClassName()).toBe('Flooding');
    expect(isFloodOptimizer(a.base) && a.base.getClassName()).toBe('SAM');
    expect(a.getConfig()).toEqual(b.getConfig());
    expect(a.lastStep!.hyperparameters).toEqual({ rho: 0.05, level: 0.5 });
    a.dispose();
    b.dispose();
  });
});
