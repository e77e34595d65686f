/**
 * Operand reuse on wasm (kept-transposes.ts, used by fast-matmul.ts inside
 * `reusingOperands`): training steps give the same bits with and without it, the
 * batch's transpose is actually reused, and every kept copy is freed when its source
 * dies, when the scope closes and when the scope throws.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { live, onBackend, values } from '../../test/wasm-kernel-check.js';
import { reusingOperands } from '../operand-scope.js';
import { sam } from '../sam.js';
import { enableFastWasmTraining } from './fast-training.js';
import { keptTransposes, sameWords } from './kept-transposes.js';

/** Batch 16, 64 → 48 → 3: the first layer's forward product is swapped, `(Wᵀ·xᵀ)ᵀ`. */
const [BATCH, INPUTS, HIDDEN, OUTPUTS] = [16, 64, 48, 3];

/** The bits of float32 data, for exact comparison. */
const bits = (data: Float32Array[]): Uint32Array[] => data.map((d) => new Uint32Array(d.buffer));

/** Counts the kept transposes found (reused) while `fn` runs. */
async function countingReuse<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; reused: number; compared: number }> {
  const find = vi.spyOn(keptTransposes, 'find');
  const comparisons = keptTransposes.bitComparisons;
  try {
    const result = await fn();
    return {
      result,
      reused: find.mock.results.filter((r) => r.value !== undefined).length,
      compared: keptTransposes.bitComparisons - comparisons,
    };
  } finally {
    find.mockRestore();
  }
}

/** Runs `fn` with the fast matMul's reuse switched off (as outside any scope). */
async function withoutReuse<T>(fn: () => T | Promise<T>): Promise<T> {
  const find = vi.spyOn(keptTransposes, 'find').mockReturnValue(undefined);
  const keep = vi.spyOn(keptTransposes, 'keep').mockReturnValue(false);
  try {
    return await fn();
  } finally {
    find.mockRestore();
    keep.mockRestore();
  }
}

/**
 * Three steps of a ReLU MLP in tfjs-core ops from fixed weights; `step` runs one
 * `minimize`. Returns the final weights; checks that nothing is left behind.
 */
function trainMlp(step: (opt: tf.Optimizer, loss: () => tf.Scalar, vars: tf.Variable[]) => void) {
  return (make: () => tf.Optimizer): Float32Array[] => {
    const before = live();
    const shapes = [[INPUTS, HIDDEN], [HIDDEN], [HIDDEN, OUTPUTS], [OUTPUTS]];
    const vars = shapes.map((s, i) =>
      tf.tidy(() =>
        tf.variable(
          tf.tensor(
            values(
              s.reduce((p, d) => p * d, 1),
              40 + i,
            ),
            s,
          ),
        ),
      ),
    );
    const [w1, b1, w2, b2] = vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    const x = tf.tensor(values(BATCH * INPUTS, 50), [BATCH, INPUTS]);
    const y = tf.tensor(values(BATCH * OUTPUTS, 51), [BATCH, OUTPUTS]);
    const loss = () =>
      tf.tidy(() => {
        const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
        return tf.losses.meanSquaredError(y, tf.add(tf.matMul(h, w2), b2)) as tf.Scalar;
      });
    const opt = make();
    for (let i = 0; i < 3; i++) step(opt, loss, vars);
    const out = vars.map((v) => v.dataSync() as Float32Array);
    opt.dispose();
    tf.dispose([...vars, x, y]);
    expect(live()).toEqual(before);
    return out;
  };
}

/** Two epochs of `model.fit` (two batches each) of a Dense model; returns its final weights. */
async function fitDense(make: () => tf.Optimizer): Promise<Float32Array[]> {
  const before = live();
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [INPUTS], units: HIDDEN }),
      tfl.layers.dense({ units: OUTPUTS, activation: 'softmax' }),
    ],
  });
  const seeded = model.getWeights().map((w, i) => tf.tensor(values(w.size, 60 + i), w.shape));
  model.setWeights(seeded);
  tf.dispose(seeded);
  const optimizer = make();
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = tf.tensor(values(2 * BATCH * INPUTS, 61), [2 * BATCH, INPUTS]);
  const y = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        [...Array(2 * BATCH).keys()].map((i) => i % 3),
        'int32',
      ),
      3,
    ),
  );
  await model.fit(x, y, { epochs: 2, batchSize: BATCH, shuffle: false, verbose: 0 });
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.dispose();
  optimizer.dispose();
  tf.dispose([x, y]);
  expect(live()).toEqual(before);
  return weights;
}

describe('operand reuse in the fast wasm matMul', () => {
  let undo: () => void = () => undefined;
  let previous = '';
  beforeEach(async () => {
    previous = tf.getBackend();
    await tf.setBackend('wasm');
    undo = enableFastWasmTraining();
  });
  afterEach(async () => {
    undo();
    await tf.setBackend(previous);
  });

  it('a plain tf.train step gives the same bits inside reusingOperands, and reuses x', async () => {
    const plain = trainMlp((opt, loss, vars) => opt.minimize(loss, false, vars));
    const scoped = trainMlp((opt, loss, vars) =>
      reusingOperands(() => opt.minimize(loss, false, vars)),
    );
    const make = () => tf.train.sgd(0.1);
    const reference = await countingReuse(() => plain(make));
    const { result, reused, compared } = await countingReuse(() => scoped(make));
    expect(reference.reused).toBe(0);
    // The backward dW1 = xᵀ·dy reuses the forward pass's xᵀ (through the saved copy of x,
    // known as a copy without comparing its bits).
    expect(reused).toBe(3);
    expect(compared).toBe(0);
    expect(bits(result)).toEqual(bits(reference.result));
  });

  it('a SAM step (which opens the scope) gives the same bits as without reuse, reusing x across passes', async () => {
    const run = trainMlp((opt, loss, vars) => opt.minimize(loss, false, vars));
    const make = () => sam(tf.train.sgd(0.1), { rho: 0.05 });
    const reference = await withoutReuse(() => run(make));
    const { result, reused, compared } = await countingReuse(() => run(make));
    // Per step: the backward product of each pass and the probe pass's forward product.
    expect(reused).toBe(9);
    expect(compared).toBe(0);
    expect(bits(result)).toEqual(bits(reference));
  });

  it('a SAM step whose probe pass throws frees its kept transposes and leaks nothing', () => {
    const w = tf.variable(tf.tensor(values(INPUTS * HIDDEN, 80), [INPUTS, HIDDEN]));
    const x = tf.tensor(values(BATCH * INPUTS, 81), [BATCH, INPUTS]);
    const opt = sam(tf.train.sgd(0.1), { rho: 0.05 });
    const before = live();
    const weights = w.dataSync().slice() as Float32Array;
    let calls = 0;
    let keptInside = 0;
    const loss = () =>
      tf.tidy(() => {
        const out = tf.sum(tf.square(tf.matMul(x, w))) as tf.Scalar;
        calls += 1;
        keptInside = Math.max(keptInside, keptTransposes.size);
        if (calls === 2) throw new Error('probe pass failed');
        return out;
      });
    expect(() => opt.minimize(loss, false, [w])).toThrow(/probe pass failed/);
    expect(keptInside).toBe(1);
    expect(keptTransposes.size).toBe(0);
    expect(live()).toEqual(before);
    expect(bits([w.dataSync() as Float32Array])).toEqual(bits([weights]));
    opt.dispose();
    tf.dispose([w, x]);
  });

  it('model.fit of a Dense model with SAM gives the same bits as without reuse', async () => {
    const make = () => sam(tf.train.sgd(0.1), { rho: 0.05 });
    const { result: fast, reused } = await countingReuse(() => fitDense(make));
    const reference = await withoutReuse(() => fitDense(make));
    expect(reused).toBeGreaterThan(0);
    expect(bits(fast)).toEqual(bits(reference));
  });
});

describe('kept transposes are freed', () => {
  /** `a·b` with a new `b` (2×24·24×20): computed swapped, so the transpose of `a` is kept. */
  const operand = () => tf.tensor(values(2 * 24, 71), [2, 24]);
  const product = (a: tf.Tensor) =>
    tf.tidy(() => tf.matMul(a, tf.tensor(values(a.shape[1]! * 20, 72), [a.shape[1]!, 20])));

  const onFastWasm = (fn: () => void) =>
    onBackend('wasm', () => {
      const undo = enableFastWasmTraining();
      try {
        fn();
      } finally {
        undo();
      }
    });

  it('nothing is kept outside a scope; everything when the outermost scope closes', async () => {
    await onFastWasm(() => {
      const a = operand();
      const before = live();
      product(a).dispose();
      expect(keptTransposes.size).toBe(0);
      const inside = reusingOperands(() => {
        product(a).dispose();
        reusingOperands(() => product(a).dispose());
        // The inner scope's close releases nothing: the outer one is still open.
        expect(keptTransposes.size).toBe(1);
        return live();
      });
      expect(inside.buffers).toBe(before.buffers + 1);
      expect(keptTransposes.size).toBe(0);
      expect(live()).toEqual(before);
      a.dispose();
    });
  });

  it('a scope that throws frees what it kept', async () => {
    await onFastWasm(() => {
      const a = operand();
      const before = live();
      expect(() =>
        reusingOperands(() => {
          product(a).dispose();
          expect(keptTransposes.size).toBe(1);
          throw new Error('step failed');
        }),
      ).toThrow('step failed');
      expect(keptTransposes.size).toBe(0);
      expect(live()).toEqual(before);
      a.dispose();
    });
  });

  it('a kept transpose is freed by the next product once its source is freed', async () => {
    await onFastWasm(() => {
      const a = operand();
      const before = live();
      reusingOperands(() => {
        const c = tf.clone(a);
        product(c).dispose();
        expect(keptTransposes.size).toBe(1);
        c.dispose();
        expect(keptTransposes.size).toBe(1);
        tf.tidy(() => {
          tf.matMul(tf.ones([1, 3]), tf.ones([3, 1]));
        });
        expect(keptTransposes.size).toBe(0);
        expect(live()).toEqual(before);
      });
      expect(live()).toEqual(before);
      a.dispose();
    });
  });

  it('a copy made outside the scope is found by its bits; one with other bits is not', async () => {
    await onFastWasm(() => {
      const a = operand();
      const copy = tf.clone(a);
      const other = tf.add(a, 1);
      const dy = tf.tensor(values(2 * 5, 74), [2, 5]);
      const outside = [copy, other].map((t) => tf.matMul(t, dy, true, false));
      const before = keptTransposes.bitComparisons;
      const inside = reusingOperands(() => {
        product(a).dispose();
        const find = vi.spyOn(keptTransposes, 'find');
        try {
          const out = [copy, other].map((t) => tf.matMul(t, dy, true, false));
          expect(find.mock.results.map((r) => r.value !== undefined)).toEqual([true, false]);
          return out;
        } finally {
          find.mockRestore();
        }
      });
      expect(keptTransposes.bitComparisons - before).toBe(2);
      for (const [i, t] of inside.entries()) {
        expect(bits([t.dataSync() as Float32Array])).toEqual(
          bits([outside[i]!.dataSync() as Float32Array]),
        );
      }
      tf.dispose([a, copy, other, dy, ...outside, ...inside]);
    });
  });

  it('a reshape of a kept source (same buffer, other shape) is transposed anew, with the same result as outside', async () => {
    await onFastWasm(() => {
      const a = operand();
      const flat = tf.reshape(a, [4, 12]);
      const outside = product(flat);
      const inside = reusingOperands(() => {
        product(a).dispose();
        expect(keptTransposes.size).toBe(1);
        return product(flat);
      });
      expect(bits([inside.dataSync() as Float32Array])).toEqual(
        bits([outside.dataSync() as Float32Array]),
      );
      tf.dispose([a, flat, outside, inside]);
    });
  });
});

describe('sameWords (the equal-bits test that finds a copy of a kept source)', () => {
  /** Word-by-word oracle. */
  const oracle = (p: Int32Array, q: Int32Array) =>
    p.length === q.length && p.every((w, i) => w === q[i]);
  /** `words` at a byte offset (0: 8-byte aligned, 4: not) in a fresh buffer. */
  const at = (words: number[], offset: number) => {
    const out = new Int32Array(
      new ArrayBuffer(offset + 4 * words.length + 8),
      offset,
      words.length,
    );
    out.set(words);
    return out;
  };
  const f = new Float64Array(1);
  const w = new Int32Array(f.buffer);
  const double = (x: number) => {
    f[0] = x;
    return [w[0]!, w[1]!];
  };
  const cases: [string, number[], number[]][] = [
    ['equal', [...double(1.5), ...double(-2), 7], [...double(1.5), ...double(-2), 7]],
    ['+0 against −0', [...double(1), ...double(0)], [...double(1), ...double(-0)]],
    ['the same NaN', [...double(Number.NaN), 3], [...double(Number.NaN), 3]],
    ['NaNs with other payloads', [0x7ff80000, 0x7ff80001], [0x7ff80000, 0x7ff80002]],
    ['last odd word differs', [...double(3), 1], [...double(3), 2]],
    ['one low word differs', [1, 0x40000000], [2, 0x40000000]],
  ];
  for (const [name, a, b] of cases) {
    for (const [oa, ob] of [
      [0, 0],
      [4, 4],
      [0, 4],
    ] as const) {
      it(`${name}, byte offsets ${oa} and ${ob}: as the word-by-word oracle`, () => {
        const p = at(a, oa);
        const q = at(b, ob);
        expect(sameWords(p, q)).toBe(oracle(p, q));
      });
    }
  }
});
