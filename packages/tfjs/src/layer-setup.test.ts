import type { Spec } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { floodedLayers, layerParts, requireOptimizer } from './layer-setup.js';
import { PerturbOption } from './perturb.js';
import { StateCommit } from './rule-state.js';

describe('requireOptimizer', () => {
  it('passes a tf.Optimizer and names the type of anything else', () => {
    const sgd = tf.train.sgd(0.1);
    expect(() => requireOptimizer(sgd)).not.toThrow();
    expect(() => requireOptimizer(null)).toThrow(/base must be a tf.Optimizer .*got null/);
    expect(() => requireOptimizer(3)).toThrow(/got number/);
    expect(() => requireOptimizer({ minimize: 1 })).toThrow(RangeError);
    sgd.dispose();
  });
});

describe('floodedLayers', () => {
  it('splits a flooded method into the method and flooding over it; nothing else', () => {
    const flood = { level: 0.2 };
    expect(floodedLayers({ method: 'sam', rho: 0.1, flood } as Spec)).toEqual({
      method: { method: 'sam', rho: 0.1 },
      flooding: { method: 'plain', flood },
    });
    expect(floodedLayers({ method: 'plain', flood } as Spec)).toBeUndefined();
    expect(floodedLayers({ method: 'sam', rho: 0.1 } as Spec)).toBeUndefined();
  });
});

describe('layerParts', () => {
  it('validates the spec, fills in defaults and makes the perturb option and rule state', () => {
    const adam = tf.train.adam(0.01);
    const sam = layerParts(adam, { method: 'sam', rho: 0.05 } as Spec, [true], undefined);
    expect(sam.spec.method).toBe('sam');
    expect(sam.perturb).toBeInstanceOf(PerturbOption);
    expect(sam.ruleState).toBeUndefined();
    const look = layerParts(
      adam,
      { method: 'lookSam', rho: 0.05, every: 3 } as Spec,
      undefined,
      undefined,
    );
    expect(look.spec).toMatchObject({ method: 'lookSam', rho: 0.05, every: 3 });
    expect(look.perturb).toBeUndefined();
    expect(look.ruleState).toBeInstanceOf(StateCommit);
    sam.perturb!.dispose();
    look.ruleState!.disposeState();
    adam.dispose();
  });

  it('refuses perturb on flooding, a bad spec, and an estimator over a layer', () => {
    const sgd = tf.train.sgd(0.1);
    const flooding = { method: 'plain', flood: { level: 0.1 } } as Spec;
    expect(() => layerParts(sgd, flooding, [true], undefined)).toThrow(
      /perturb is an option of the probing methods, not of Flooding/,
    );
    expect(() => layerParts(sgd, { method: 'sam', rho: -1 } as Spec, undefined, undefined)).toThrow(
      RangeError,
    );
    expect(() =>
      layerParts(sgd, { method: 'sam', rho: 0.1 } as Spec, undefined, {
        className: 'SAM',
        kind: 'estimator',
      }),
    ).toThrow(/SAM cannot wrap SAM/);
    sgd.dispose();
  });
});
