import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearProblem, lossAndGradient, W0 } from '../test/linear-problem.js';
import { flooding } from './flooding.js';

const close = (a: number[], b: number[], tol = 1e-6) => {
  a.forEach((x, i) => {
    expect(Math.abs(x - b[i]!)).toBeLessThan(tol * (1 + Math.abs(b[i]!)));
  });
};

describe('flooding', () => {
  const { loss: L0, gradient: g0 } = lossAndGradient(W0);

  it.each([
    ['above the level: descends', L0 - 0.1, 1],
    ['below the level: ascends', L0 + 0.1, -1],
  ])('one SGD step %s', (_label, level, sign) => {
    const p = linearProblem();
    const opt = flooding(tf.train.sgd(0.1), { level });
    const cost = opt.minimize(p.loss, true, [p.w])!;
    expect(cost.dataSync()[0]).toBeCloseTo(L0, 5);
    close(
      p.read(),
      W0.map((w, i) => w - 0.1 * sign * g0[i]!),
    );
    expect(opt.lastStep!.ascended!.dataSync()[0]).toBe(sign < 0 ? 1 : 0);
    expect(opt.lastStep!.hyperparameters.level).toBe(level);
    expect(opt.iterations).toBe(1);
    cost.dispose();
    opt.dispose();
    p.dispose();
  });

  it("at L = b exactly takes a zero step, as sign(0) = 0 (not |x|'s −1 at 0)", () => {
    // A loss whose float32 value equals the level exactly: L(w) = w² at w = 0.5 is 0.25.
    const w = tf.variable(tf.scalar(0.5));
    const opt = flooding(tf.train.sgd(0.1), { level: 0.25 });
    const cost = opt.minimize(() => tf.square(w), true, [w])!;
    expect(cost.dataSync()[0]).toBe(0.25);
    expect(w.dataSync()[0]).toBe(0.5);
    expect(opt.lastStep!.ascended!.dataSync()[0]).toBe(0);
    tf.dispose([cost, w]);
    opt.dispose();
  });

  it('reads a schedule at the iteration count', () => {
    const p = linearProblem();
    const level = Object.assign((step: number) => (step === 0 ? 0 : 100), {
      toJSON: () => ({ type: 'test' }),
    });
    const opt = flooding(tf.train.sgd(0.1), { level });
    opt.minimize(p.loss, false, [p.w]);
    expect(opt.lastStep!.hyperparameters.level).toBe(0);
    opt.minimize(p.loss, false, [p.w]);
    expect(opt.lastStep!.hyperparameters.level).toBe(100);
    expect(opt.lastStep!.ascended!.dataSync()[0]).toBe(1);
    opt.dispose();
    p.dispose();
  });

  it('leaks no tensor over 1,000 custom-loop steps', () => {
    const p = linearProblem();
    const opt = flooding(tf.train.adam(0.01), { level: 0.05 });
    opt.minimize(p.loss, false, [p.w]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) opt.minimize(p.loss, false, [p.w]);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    p.dispose();
  });

  it('rejects invalid levels', () => {
    const base = tf.train.sgd(0.1);
    expect(() => flooding(base, { level: -1 })).toThrow(RangeError);
    expect(() => flooding(base, { level: Number.NaN })).toThrow(/level/);
    expect(() => flooding(base, { level: 'x' as unknown as number })).toThrow(/level/);
    expect(() => flooding({} as tf.Optimizer, { level: 0 })).toThrow(/base/);
    expect(() => flooding(base, { level: 0, onNonFinite: 'x' as 'skip' })).toThrow(/onNonFinite/);
    base.dispose();
  });
});
