import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FLOOD_VARIABLE_PREFIX, restoringNonTrainable } from './pass-guards.js';
import { RefusedSteps } from './refused-steps.js';

/** An SGD optimizer whose iteration count is `n` (by `n` real steps of a throwaway variable). */
function sgdAt(n: number): { opt: tf.Optimizer; dispose: () => void } {
  const opt = tf.train.sgd(0.1);
  const v = tf.variable(tf.scalar(0));
  for (let i = 0; i < n; i++)
    tf.tidy(() => opt.applyGradients([{ name: v.name, tensor: tf.scalar(1) }]));
  return {
    opt,
    dispose: () => {
      opt.dispose();
      v.dispose();
    },
  };
}

describe('RefusedSteps', () => {
  it('counts refused steps and takes back the iterations they added, whatever each advanced', async () => {
    // (refused, advanced): refused steps that advanced 1, 0 (accumulate) and 2 add 3 iterations.
    const steps: [boolean, number][] = [
      [true, 1],
      [false, 1],
      [true, 0],
      [false, 0],
      [true, 2],
      [true, 1],
    ];
    const { opt, dispose } = sgdAt(10);
    const counts = new RefusedSteps();
    const tensors = tf.memory().numTensors;
    for (const [refused, advanced] of steps) {
      tf.tidy(() => counts.add(tf.scalar(refused ? 1 : 0), advanced));
    }
    expect(tf.memory().numTensors - tensors).toBe(2); // the count and the offset
    expect(await counts.check('X', 'skip', opt)).toEqual({ refused: 4, total: 4 });
    expect(opt.iterations).toBe(10 - 4);
    // Nothing new: nothing more taken back.
    expect(await counts.check('X', 'skip', opt)).toEqual({ refused: 0, total: 4 });
    expect(opt.iterations).toBe(6);
    tf.tidy(() => counts.add(tf.scalar(1), 1));
    await expect(counts.check('X', 'error', opt)).rejects.toThrow(/X: 1 step\(s\)/);
    expect(opt.iterations).toBe(5);
    counts.dispose();
    dispose();
  });

  it('continues from a restored total, taking back only steps refused after it', async () => {
    const { opt, dispose } = sgdAt(20);
    const counts = new RefusedSteps();
    tf.tidy(() => counts.add(tf.scalar(1), 1));
    await counts.sync(opt);
    expect(opt.iterations).toBe(19);
    counts.restore(7); // loaded with saved weights
    expect(counts.total).toBe(7);
    tf.tidy(() => counts.add(tf.scalar(1), 1));
    tf.tidy(() => counts.add(tf.scalar(1), 0));
    expect(await counts.check('X', 'skip', opt)).toEqual({ refused: 2, total: 9 });
    expect(opt.iterations).toBe(18);
    counts.dispose();
    dispose();
  });

  it("keeps its counts in variables under flood's prefix, which probe passes leave alone", async () => {
    const counts = new RefusedSteps();
    tf.tidy(() => counts.add(tf.scalar(0), 1));
    const mine = Object.values(tf.engine().registeredVariables)
      .filter((v) => v.name.startsWith(`${FLOOD_VARIABLE_PREFIX}refused/`))
      .at(-1)!;
    expect(mine).toBeDefined();
    const other = tf.variable(tf.scalar(1), false); // a model's state, say
    restoringNonTrainable(() =>
      tf.tidy(() => {
        other.assign(tf.scalar(7));
        mine.assign(tf.scalar(5)); // (no pass writes these; were it guarded, it would be put back)
      }),
    );
    expect((await other.data())[0]).toBe(1); // guarded: put back
    expect((await mine.data())[0]).toBe(5);
    other.dispose();
    counts.dispose();
  });
});
