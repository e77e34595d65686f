import { linear, scheduleFromJSON } from '@flood/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearProblem } from '../test/linear-problem.js';
import { flooding } from './flooding.js';
import { sam } from './sam.js';
import { registerScheduleDeserializer } from './schedule-config.js';
import { type FloodOptimizer, isFloodOptimizer } from './wrapper.js';

/** Rebuilds an optimizer as tfjs-layers does when it loads a model: by the config's class name. */
function fromConfig(className: string, config: tf.serialization.ConfigDict): FloodOptimizer {
  const [cls, make] = tf.serialization.SerializationMap.getMap().classNameMap[className]!;
  return make(cls, config) as FloodOptimizer;
}

describe('config and weights', () => {
  it('getConfig/fromConfig round-trips nested wrappers and schedules', () => {
    const opt = flooding(sam(tf.train.adam(0.01), { rho: 0.1, adaptive: true, eta: 0.02 }), {
      level: linear({ from: 0, to: 0.2, steps: 10 }),
      onNonFinite: 'skip',
    });
    const config = opt.getConfig();
    expect(config.base).toMatchObject({ className: 'SAM', config: { rho: 0.1, adaptive: true } });
    // @flood/schedulers is imported, so its registry entries rebuild the schedule.
    const copy = fromConfig('Flooding', config);
    expect(isFloodOptimizer(copy)).toBe(true);
    expect(copy.getConfig()).toEqual(config);
    expect((copy.spec.flood!.level as (s: number) => number)(5)).toBeCloseTo(0.1, 12);
    expect(isFloodOptimizer(copy.base) && copy.base.getClassName()).toBe('SAM');
    copy.dispose();
    // A deserializer registered the deprecated way is still used first.
    const seen: object[] = [];
    registerScheduleDeserializer((json) => {
      seen.push(json);
      return scheduleFromJSON(json);
    });
    try {
      const again = fromConfig('Flooding', config);
      expect(seen).toEqual([config.level]);
      again.dispose();
    } finally {
      registerScheduleDeserializer(undefined);
    }
    // A type nobody registered: a RangeError naming the hyper-parameter and what to import.
    expect(() => fromConfig('Flooding', { ...config, level: { type: 'nobodysSchedule' } })).toThrow(
      /level: no schedule type 'nobodysSchedule' is registered: import '@flood\/schedulers'/,
    );
    expect(() => registerScheduleDeserializer(1 as never)).toThrow(RangeError);
    opt.dispose();
  });

  it('setWeights rejects weights that are not this wrapper’s', async () => {
    const opt = sam(tf.train.sgd(0.1), { rho: 0.1 });
    const iter = tf.scalar(0, 'int32');
    await expect(opt.setWeights([{ name: 'iter', tensor: iter }])).rejects.toThrow(/SAM/);
    iter.dispose();
    opt.dispose();
  });

  it('a non-finite loss at θ (single pass) is atomic too', async () => {
    const p = linearProblem();
    const opt = flooding(tf.train.sgd(0.1), { level: 0.1 });
    const before = p.read();
    opt.minimize(() => tf.div(p.loss(), 0) as tf.Scalar, false, [p.w]);
    await expect(opt.checkNonFinite()).rejects.toThrow(/non-finite/);
    expect(p.read()).toEqual(before);
    expect(opt.iterations).toBe(0);
    opt.dispose();
    p.dispose();
  });
});
