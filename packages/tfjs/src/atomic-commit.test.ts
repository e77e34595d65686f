import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { linearProblem, W0 } from '../test/linear-problem.js';
import { commitIfFinite } from './atomic-commit.js';
import { flooding } from './flooding.js';
import { sam } from './sam.js';
import { selectTakesScalar } from './tfjs-internals.js';
import { registerWasmTrainingKernels } from './wasm/training-kernels.js';
import type { FloodOptimizer } from './wrapper.js';

/** The weights and every optimizer variable, as raw bits. */
async function snapshot(opt: FloodOptimizer, w: tf.Variable): Promise<number[][]> {
  const weights = await opt.innermost.getWeights();
  const out = [Array.from(new Uint32Array(w.dataSync().slice().buffer))];
  for (const { tensor } of weights)
    out.push(Array.from(new Uint32Array(tensor.dataSync().slice().buffer)));
  tf.dispose(weights.filter((x) => !(x.tensor instanceof tf.Variable)).map((x) => x.tensor));
  return out;
}

/**
 * A refused first step (no slots yet), two good steps, a refused step and a
 * good one, with a snapshot after each: refused steps must leave everything as
 * it was, bit for bit.
 */
async function run(make: () => FloodOptimizer): Promise<number[][][]> {
  const p = linearProblem();
  const opt = make();
  const nan = () => tf.mul(p.loss(), Number.NaN) as tf.Scalar;
  const snaps: number[][][] = [];
  for (const loss of [nan, p.loss, p.loss, nan, p.loss]) {
    opt.minimize(loss, false, [p.w]);
    snaps.push(await snapshot(opt, p.w));
  }
  expect(await opt.checkNonFinite()).toEqual({ refused: 2, total: 2 });
  opt.dispose();
  p.dispose();
  return snaps;
}

const makers: [string, () => FloodOptimizer][] = [
  ['flooding(sgd)', () => flooding(tf.train.sgd(0.1), { level: 0.01, onNonFinite: 'skip' })],
  ['sam(adam)', () => sam(tf.train.adam(0.01), { rho: 0.05, onNonFinite: 'skip' })],
];

describe.runIf(tf.getBackend() === 'wasm')('commitIfFinite on wasm', () => {
  it.each(makers)(
    '%s: the same bits with the whole-buffer Select of @flood/tfjs/wasm as with the stock kernel',
    async (_name, make) => {
      expect(selectTakesScalar('wasm')).toBe(false);
      const start = tf.memory().numTensors;
      const stock = await run(make);
      const stockLeft = tf.memory().numTensors - start; // the test's own (the problem's data)
      const undo = registerWasmTrainingKernels();
      let rows: number[][][];
      try {
        expect(selectTakesScalar('wasm')).toBe(true);
        const tensors = tf.memory().numTensors;
        rows = await run(make);
        expect(tf.memory().numTensors - tensors).toBe(stockLeft);
      } finally {
        undo();
      }
      expect(rows).toEqual(stock);
      // A refused step leaves weights and state as they were (after the refused
      // first step: the initial weights; the slots are then created on step 2).
      // (The iteration count, entry 1, is taken back only at the next read point.)
      const state = (snap: number[][]) => snap.filter((_, i) => i !== 1);
      expect(state(rows[3]!)).toEqual(state(rows[2]!));
      expect(rows[1]).not.toEqual(rows[0]);
      expect(rows[0]![0]).toEqual(Array.from(new Uint32Array(new Float32Array(W0).buffer)));
    },
  );
});

describe('commitIfFinite', () => {
  /** SGD with a second state variable that only some steps write (as LookSAM's stored direction). */
  class WithState extends tf.SGDOptimizer {
    readonly kept = tf.variable(tf.tensor1d([7, 8]), false);
    readonly written = tf.variable(tf.tensor1d([1, 2]), false);
    override applyGradients(g: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
      super.applyGradients(g);
      this.written.assign(tf.tensor1d([Number.NaN, 5]));
    }
  }

  it.each([true, false])(
    'finite %s: variables the step did not reassign keep their buffer; the rest are chosen',
    async (ok) => {
      const opt = new WithState(0.5);
      const w = tf.variable(tf.tensor1d([1, -1]));
      const ids = [opt.kept.dataId, opt.written.dataId, w.dataId];
      const gradient = [tf.tensor1d([2, Number.NaN])];
      const finite = tf.scalar(ok, 'bool');
      const tensors = tf.memory().numTensors;
      commitIfFinite({
        optimizer: opt,
        variables: [w],
        gradient,
        finite,
        zeroRefusedGradient: false,
      });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(opt.kept.dataId).toBe(ids[0]); // not reassigned: no select, no copy
      expect(Array.from(await opt.kept.data())).toEqual([7, 8]);
      expect(Array.from(await opt.written.data())).toEqual(ok ? [Number.NaN, 5] : [1, 2]);
      expect(Array.from(await w.data())).toEqual(ok ? [0, Number.NaN] : [1, -1]);
      tf.dispose([w, finite, ...gradient, opt.kept, opt.written]);
      opt.dispose();
    },
  );

  it.each([true, false])(
    'finite %s: a displacement is added, freed before the base step, and taken back if refused',
    async (ok) => {
      const displacement = [tf.tensor1d([0.5, 0.25]), tf.scalar(-1)];
      let freedAtBaseStep: boolean[] = [];
      class Recording extends tf.SGDOptimizer {
        override applyGradients(g: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]) {
          freedAtBaseStep = displacement.map((d) => d.isDisposed);
          super.applyGradients(g);
        }
      }
      const opt = new Recording(0.5);
      const w = [tf.variable(tf.tensor1d([1, -1])), tf.variable(tf.scalar(2))];
      const gradient = [tf.tensor1d([2, 4]), tf.scalar(2)];
      const finite = tf.scalar(ok, 'bool');
      const tensors = tf.memory().numTensors;
      commitIfFinite({
        optimizer: opt,
        variables: w,
        gradient,
        displacement,
        finite,
        zeroRefusedGradient: false,
      });
      expect(freedAtBaseStep).toEqual([true, true]);
      // The two blocks of the displacement are gone, nothing else is.
      expect(tf.memory().numTensors).toBe(tensors - 2);
      // θ + δ − 0.5·g where finite, θ where refused.
      expect(Array.from(await w[0]!.data())).toEqual(ok ? [0.5, -2.75] : [1, -1]);
      expect(Array.from(await w[1]!.data())).toEqual(ok ? [0] : [2]);
      tf.dispose([...w, finite, ...gradient]);
      opt.dispose();
    },
  );

  it('leaves a variable listed as untouched to the step: neither backed up nor chosen', async () => {
    // `written` breaks the promise here, so the test sees that nothing guarded it.
    const opt = new WithState(0.5);
    const w = tf.variable(tf.tensor1d([1, -1]));
    const gradient = [tf.tensor1d([2, 4])];
    const refused = tf.scalar(false, 'bool');
    commitIfFinite({
      optimizer: opt,
      variables: [w],
      gradient,
      finite: refused,
      zeroRefusedGradient: false,
      untouched: [opt.written],
    });
    expect(Array.from(await w.data())).toEqual([1, -1]); // refused: put back
    expect(Array.from(await opt.written.data())).toEqual([Number.NaN, 5]); // not put back
    tf.dispose([w, refused, ...gradient, opt.kept, opt.written]);
    opt.dispose();
  });
});
