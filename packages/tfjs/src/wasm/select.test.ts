import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { live, onBackend, values } from '../../test/wasm-kernel-check.js';
import { SELECT_TAKES_SCALAR, select, selectTakesScalar } from '../tfjs-internals.js';
import { registerWasmTrainingKernels } from './training-kernels.js';

/** Raw 32-bit words of a float32 or int32 tensor (bool: its 0/1 values). */
function bits(x: tf.Tensor): number[] {
  const data = x.dataSync();
  return data instanceof Float32Array
    ? Array.from(new Uint32Array(data.slice().buffer))
    : Array.from(data);
}

/** Float64-free oracle: entry `k` of `t`/`e` chosen by condition entry `k` (same shape) or `⌊k / width⌋` (rows). */
function oracle(c: boolean[], t: number[], e: number[]): number[] {
  const width = t.length / c.length;
  return t.map((tv, k) => (c[Math.floor(k / width)] ? tv : e[k]!));
}

const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0];

describe.runIf(tf.getBackend() === 'wasm')('Select on wasm (@flood/tfjs/wasm)', () => {
  let undo: () => void;
  beforeAll(() => {
    undo = registerWasmTrainingKernels();
  });
  afterAll(() => undo());

  it('the stock kernel gets the row form wrong (why it is replaced)', async () => {
    undo();
    try {
      expect(selectTakesScalar('wasm')).toBe(false);
      const c = tf.tensor1d([true, false], 'bool');
      const t = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      const e = tf.tensor2d([-1, -2, -3, -4, -5, -6], [2, 3]);
      const out = select(c, t, e);
      expect(Array.from(out.dataSync())).toEqual([1, 1, 1, -2, -2, -2]); // not [1, 2, 3, -4, -5, -6]
      const yes = tf.scalar(true, 'bool');
      const whole = select(yes, t, e);
      expect(Array.from(whole.dataSync())).not.toEqual([1, 2, 3, 4, 5, 6]); // the first entry only
      tf.dispose([c, t, e, out, yes, whole]);
    } finally {
      undo = registerWasmTrainingKernels();
    }
    expect(selectTakesScalar('wasm')).toBe(true);
    expect(selectTakesScalar('cpu')).toBe(false);
    expect(
      (tf.getKernel('Select', 'wasm') as unknown as Record<symbol, unknown>)[SELECT_TAKES_SCALAR],
    ).toBe(true);
  });

  const shapes: { condition: number[]; values: number[] }[] = [
    { condition: [2], values: [2, 3] }, // rows
    { condition: [4], values: [4, 3, 2] }, // rows of a rank-3 tensor
    { condition: [1], values: [1, 7] }, // one row
    { condition: [], values: [3, 2] }, // a scalar condition: the whole tensor (the atomic commit's form)
    { condition: [], values: [200, 3, 4] }, // a larger one
    { condition: [2, 3], values: [2, 3] }, // entry by entry
    { condition: [5], values: [5] }, // entry by entry, rank 1
    { condition: [], values: [] }, // a scalar
    { condition: [3], values: [3, 0] }, // empty
  ];
  for (const dtype of ['float32', 'int32', 'bool'] as const) {
    for (const { condition, values: shape } of shapes) {
      it(`${dtype}: condition [${condition}] over [${shape}] equals the definition, bit for bit, no leak`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const rows = condition.reduce((a, b) => a * b, 1);
        const draw = (seed: number) =>
          Array.from(values(n, seed), (v, k) =>
            dtype === 'bool'
              ? v > 0
                ? 1
                : 0
              : dtype === 'int32'
                ? Math.round(v * 100)
                : k < special.length && seed === 1
                  ? special[k]!
                  : v,
          );
        const cv = Array.from(values(rows, 3), (v) => v > 0);
        cv[0] = true;
        if (rows > 1) cv[1] = false;
        const [tv, ev] = [draw(1), draw(2)];
        const c = tf.tensor(cv, condition, 'bool');
        const t = tf.tensor(tv, shape, dtype);
        const e = tf.tensor(ev, shape, dtype);
        const before = live();
        const out = select(c, t, e);
        // A scalar condition (over a tensor) hands back the chosen input's buffer: no new one.
        const whole = condition.length === 0 && shape.length > 0;
        expect(live()).toEqual({
          tensors: before.tensors + 1,
          buffers: before.buffers + (whole ? 0 : 1),
        });
        if (whole) expect(out.dataId).toBe(t.dataId); // cv[0] is true
        expect(out.shape).toEqual(shape);
        expect(out.dtype).toBe(dtype);
        const want = tf.tensor(oracle(cv, tv, ev), shape, dtype);
        tf.dispose([c, t, e]); // the output outlives its inputs (also when it shares a buffer)
        expect(bits(out)).toEqual(bits(want));
        tf.dispose([out, want]);
      });
    }
  }

  it("keeps the stock kernel's setup (a backend initialised after registration binds its WebAssembly function)", () => {
    undo();
    const stock = tf.getKernel('Select', 'wasm');
    undo = registerWasmTrainingKernels();
    expect(stock?.setupFunc).toBeDefined();
    expect(tf.getKernel('Select', 'wasm')?.setupFunc).toBe(stock?.setupFunc);
  });

  it('refuses a condition of another shape', async () => {
    const c = tf.tensor1d([true, false, true], 'bool');
    const t = tf.zeros([2, 3]);
    expect(() => select(c, t, t)).toThrow(/condition of shape \[3\]/);
    tf.dispose([c, t]);
  });

  it('is used on the wasm backend only', async () => {
    expect(tf.getKernel('Select', 'cpu')).not.toBe(tf.getKernel('Select', 'wasm'));
    await onBackend('cpu', () => expect(selectTakesScalar(tf.getBackend())).toBe(false));
  });
});
