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

  it('computes the gradient norm only when asked (recordGradientNorm), exactly', () => {
    const p = linearProblem();
    const opt = flooding(tf.train.sgd(0.1), { level: L0 + 0.1 }); // ascends: g = −∇L
    opt.minimize(p.loss, false, [p.w]);
    expect(opt.recordGradientNorm).toBe(false);
    expect(opt.lastStep!.gradientNorm).toBeUndefined();
    opt.recordGradientNorm = true;
    const p2 = linearProblem(); // back at W0, where the hand-computed gradient holds
    opt.minimize(p2.loss, false, [p2.w]);
    const norm = Math.hypot(...g0);
    expect(opt.lastStep!.gradientNorm!.dataSync()[0]).toBeCloseTo(norm, 4);
    const opt2 = flooding(tf.train.sgd(0.1), { level: 0, recordGradientNorm: true });
    expect(opt2.recordGradientNorm).toBe(true);
    expect(opt2.getConfig().recordGradientNorm).toBe(true);
    expect(() =>
      flooding(tf.train.sgd(0.1), { level: 0, recordGradientNorm: 1 as unknown as boolean }),
    ).toThrow(/recordGradientNorm must be a boolean/);
    opt.dispose();
    opt2.dispose();
    p.dispose();
    p2.dispose();
  });

  it.each([false, true])(
    'refuses an infinite gradient at a finite loss (recordGradientNorm %s), weights untouched',
    async (record) => {
      // L = Σ √w at w = [0, 1]: L = 1, but ∂L/∂w₀ = 1/(2√0) = ∞.
      const w = tf.variable(tf.tensor1d([0, 1]));
      const opt = flooding(tf.train.sgd(0.1), { level: 0, recordGradientNorm: record });
      opt.minimize(() => tf.sum(tf.sqrt(w)), false, [w]);
      await expect(opt.checkNonFinite()).rejects.toThrow(/non-finite/);
      expect(Array.from(w.dataSync())).toEqual([0, 1]);
      const skipping = flooding(tf.train.sgd(0.1), {
        level: 0,
        recordGradientNorm: record,
        onNonFinite: 'skip',
      });
      skipping.minimize(() => tf.sum(tf.sqrt(w)), false, [w]);
      expect((await skipping.lastStep!.refused.data())[0]).toBe(1);
      expect(Array.from(w.dataSync())).toEqual([0, 1]);
      opt.dispose();
      skipping.dispose();
      w.dispose();
    },
  );

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

  it('lastStep.ascended is the step’s flag, freed with the next step', () => {
    const p = linearProblem();
    const opt = flooding(tf.train.sgd(0.01), { level: L0 + 100 }); // far below: always ascends
    opt.minimize(p.loss, false, [p.w]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      opt.minimize(p.loss, false, [p.w]);
      const last = opt.lastStep!;
      expect(last.ascended!.dataSync()[0]).toBe(1);
    }
    const stale = opt.lastStep!;
    opt.minimize(p.loss, false, [p.w]);
    expect(stale.ascended!.isDisposed).toBe(true); // superseded: freed with the next step
    expect(stale.loss.isDisposed).toBe(true);
    expect(opt.lastStep!.ascended!.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before); // one step's record held, as after the first
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
