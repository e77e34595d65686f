import type { Spec } from '@flood/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { layerParts } from './layer-setup.js';
import { chainStep, stepVariables } from './layer-step.js';

describe('stepVariables', () => {
  it('keeps the trainable variables in order and refuses an empty list', () => {
    const a = tf.variable(tf.scalar(1));
    const frozen = tf.variable(tf.scalar(2), false);
    const b = tf.variable(tf.scalar(3));
    expect(stepVariables([b, frozen, a])).toEqual([b, a]);
    expect(() => stepVariables([frozen])).toThrow(/at least one trainable variable/);
    tf.dispose([a, frozen, b]);
  });
});

describe('chainStep', () => {
  it("reads the rates of the innermost optimizer, the first layer's mask and state", () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const v = tf.variable(tf.scalar(3));
    const sgd = tf.train.sgd(0.1);
    const flooding = layerParts(
      sgd,
      { method: 'plain', flood: { level: 0.1 } } as Spec,
      undefined,
      undefined,
    );
    const look = layerParts(
      sgd,
      { method: 'lookSam', rho: 0.05, every: 3 } as Spec,
      [true, false],
      undefined,
    );
    const { context, state, exactHessian } = chainStep([flooding, look], [w, v], 4, sgd, true);
    expect(context.step).toBe(4);
    expect(context.learningRate).toBe(0.1);
    expect(context.descentRate).toBe(0.1); // SGD descends at its learning rate
    expect(context.recordGradientNorm).toBe(true);
    expect(state).toBe(look.ruleState);
    expect(context.state).toBeUndefined(); // the first read makes LookSAM's stored direction (zeros)
    const next = chainStep([flooding, look], [w, v], 5, sgd, true).context;
    expect(Object.keys(next.state ?? {})).toEqual(['gvUnit', 'started']); // read from then on, with whether a state was committed
    expect(context.mask!.map((m) => m.dataSync()[0])).toEqual([1, 0]); // the probe moves w only
    expect(exactHessian).toBe(false);
    const adam = tf.train.adam(0.01);
    const plain = chainStep([flooding], [w], 0, adam, false);
    expect(plain.context.descentRate).toBeUndefined(); // not η·g
    expect(plain.context.mask).toBeUndefined();
    expect(plain.state).toBeUndefined();
    look.ruleState!.disposeState();
    look.perturb!.dispose();
    tf.dispose([w, v]);
    sgd.dispose();
    adam.dispose();
  });
});
