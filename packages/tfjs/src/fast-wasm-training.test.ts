import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import { enableFastWasmTraining, isFastWasmTrainingEnabled } from './fast-wasm-training.js';

/** Deterministic values in [-1, 1) from a small LCG, so both runs see the same inputs. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Matrix `index` of a row-major batch of `rows × cols` matrices, as float64 rows. */
function matrix(data: Float32Array, index: number, rows: number, cols: number): number[][] {
  const base = index * rows * cols;
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => data[base + i * cols + j] ?? Number.NaN),
  );
}

const transposed = (m: number[][]): number[][] =>
  (m[0] ?? []).map((_, j) => m.map((row) => row[j] ?? Number.NaN));

const product = (x: number[][], y: number[][]): number[][] =>
  x.map((row) =>
    (y[0] ?? []).map((_, j) => row.reduce((s, v, k) => s + v * (y[k]?.[j] ?? Number.NaN), 0)),
  );

/** Live tensors (engine) and live data buffers (backend, including kernel intermediates). */
const live = () => ({
  tensors: tf.memory().numTensors,
  buffers: tf.engine().backend.numDataIds(),
});

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? Number.NaN;
    const err = Math.abs((actual[i] ?? Number.NaN) - e) / (1 + Math.abs(e));
    worst = Math.max(worst, Number.isNaN(err) ? Number.POSITIVE_INFINITY : err);
  }
  expect(worst).toBeLessThan(tol);
}

/** Batch dims of a, of b, inner sizes m × k · k × n. */
const cases: { batchA: number[]; batchB: number[]; m: number; k: number; n: number }[] = [
  { batchA: [], batchB: [], m: 5, k: 7, n: 3 },
  { batchA: [1], batchB: [1], m: 4, k: 6, n: 9 },
  { batchA: [3], batchB: [3], m: 4, k: 5, n: 2 },
  { batchA: [2, 1], batchB: [2, 1], m: 3, k: 8, n: 4 },
];

/**
 * Runs `sum(w ⊙ matMul(a, b, ta, tb))` and its gradients in tfjs and checks them against a
 * float64 oracle: C = op(A)·op(B), dC = W, d op(A) = W·op(B)ᵀ, d op(B) = op(A)ᵀ·W.
 */
async function checkMatMul(
  c: (typeof cases)[number],
  transposeA: boolean,
  transposeB: boolean,
): Promise<void> {
  const batch = c.batchA.reduce((p, v) => p * v, 1);
  const aShape = [...c.batchA, ...(transposeA ? [c.k, c.m] : [c.m, c.k])];
  const bShape = [...c.batchB, ...(transposeB ? [c.n, c.k] : [c.k, c.n])];
  const aData = values(batch * c.m * c.k, 1);
  const bData = values(batch * c.k * c.n, 2);
  const wData = values(batch * c.m * c.n, 3);
  const before = live();
  const [out, da, db] = tf.tidy(() => {
    const a = tf.tensor(aData, aShape);
    const b = tf.tensor(bData, bShape);
    const w = tf.tensor(wData, [...c.batchA, c.m, c.n]);
    const f = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(w, tf.matMul(x, y, transposeA, transposeB)));
    const [gA, gB] = tf.grads(f)([a, b]);
    return [tf.matMul(a, b, transposeA, transposeB), gA, gB] as const;
  });
  const [outV, daV, dbV] = await Promise.all([out.data(), da!.data(), db!.data()]);
  tf.dispose([out, da!, db!]);
  expect(live()).toEqual(before);

  const expOut: number[] = [];
  const expDa: number[] = [];
  const expDb: number[] = [];
  for (let i = 0; i < batch; i++) {
    const A = matrix(aData, i, aShape.at(-2)!, aShape.at(-1)!);
    const B = matrix(bData, i, bShape.at(-2)!, bShape.at(-1)!);
    const W = matrix(wData, i, c.m, c.n);
    const opA = transposeA ? transposed(A) : A;
    const opB = transposeB ? transposed(B) : B;
    const dOpA = product(W, transposed(opB));
    const dOpB = product(transposed(opA), W);
    expOut.push(...product(opA, opB).flat());
    expDa.push(...(transposeA ? transposed(dOpA) : dOpA).flat());
    expDb.push(...(transposeB ? transposed(dOpB) : dOpB).flat());
  }
  expectClose(outV, expOut, 1e-5);
  expectClose(daV, expDa, 1e-5);
  expectClose(dbV, expDb, 1e-5);
}

/** Dense 6 → 8 → 3 with the given activations, deterministic weights, trained 3 SGD steps. */
function trainDense(activation: 'relu' | 'linear'): Float32Array[] {
  return tf.tidy(() => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [6], units: 8, activation }),
        tfl.layers.dense({ units: 3, activation: 'linear' }),
      ],
    });
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(values(w.size, 10 + i), w.shape)));
    const x = tf.tensor(values(16 * 6, 7), [16, 6]);
    const y = tf.tensor(values(16 * 3, 8), [16, 3]);
    const opt = tf.train.sgd(0.1);
    for (let step = 0; step < 3; step++) {
      opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar);
    }
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    opt.dispose();
    model.dispose();
    return weights;
  });
}

describe('enableFastWasmTraining', () => {
  const undos: (() => void)[] = [];
  afterEach(() => {
    for (const undo of undos.splice(0)) undo();
  });
  it('replaces the wasm matMul kernels and undo restores the very same registrations', () => {
    const batchMatMul = tf.getKernel('BatchMatMul', 'wasm');
    const fused = tf.getKernel('_FusedMatMul', 'wasm');
    const cpu = tf.getKernel('BatchMatMul', 'cpu');
    expect(batchMatMul).toBeDefined();
    const undo = enableFastWasmTraining();
    expect(isFastWasmTrainingEnabled()).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'wasm')).not.toBe(batchMatMul);
    expect(tf.getKernel('_FusedMatMul', 'wasm')).not.toBe(fused);
    expect(tf.getKernel('BatchMatMul', 'cpu')).toBe(cpu);
    undo();
    expect(isFastWasmTrainingEnabled()).toBe(false);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(batchMatMul);
    expect(tf.getKernel('_FusedMatMul', 'wasm')).toBe(fused);
  });

  it('is idempotent: a second call installs nothing new and the last undo restores', () => {
    const original = tf.getKernel('BatchMatMul', 'wasm');
    const first = enableFastWasmTraining();
    const replaced = tf.getKernel('BatchMatMul', 'wasm');
    const second = enableFastWasmTraining();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(replaced);
    first();
    first();
    expect(isFastWasmTrainingEnabled()).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(replaced);
    second();
    expect(isFastWasmTrainingEnabled()).toBe(false);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(original);
  });

  for (const c of cases) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`matMul and its gradients match float64 for batch [${c.batchA}] transposeA=${ta} transposeB=${tb}`, async () => {
        await checkMatMul(c, ta, tb);
        undos.push(enableFastWasmTraining());
        await checkMatMul(c, ta, tb);
      });
    }
  }

  it('fused.matMul with bias and linear activation: value and gradients unchanged', async () => {
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor(values(5 * 4, 4), [5, 4]);
        const b = tf.tensor(values(4 * 3, 5), [4, 3]);
        const bias = tf.tensor(values(3, 6), [3]);
        const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
          tf.sum(tf.square(tf.fused.matMul({ a: x, b: y, bias: z, transposeB: false })));
        const { value, grads } = tf.valueAndGrads(f)([a, b, bias]);
        return [value, ...grads].map((t) => t.dataSync() as Float32Array);
      });
    const reference = run();
    undos.push(enableFastWasmTraining());
    const fast = run();
    for (const [i, v] of fast.entries()) expectClose(v, reference[i]!, 1e-5);
  });

  for (const activation of ['relu', 'linear'] as const) {
    it(`tf.layers Dense (${activation}) trains to the same weights, without leaks`, () => {
      const reference = trainDense(activation);
      undos.push(enableFastWasmTraining());
      const before = live();
      const fast = trainDense(activation);
      expect(live()).toEqual(before);
      expect(fast).toHaveLength(reference.length);
      for (const [i, w] of fast.entries()) expectClose(w, reference[i]!, 1e-5);
      // The steps moved the weights: the comparison is not between two initial states.
      const initial = values(reference[0]!.length, 10);
      expect(reference[0]!.some((v, i) => Math.abs(v - initial[i]!) > 1e-4)).toBe(true);
    });
  }
});
