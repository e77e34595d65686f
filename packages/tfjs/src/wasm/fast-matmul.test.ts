/**
 * The fast wasm matMul kernels (fast-matmul.ts, installed by enableFastWasmTraining):
 * products and gradients against float64, fused variants against the stock kernel,
 * and the swap decision.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradient functions
import { afterEach, describe, expect, it } from 'vitest';
import { expectClose, matrix, product, transposed } from '../../test/matrix-oracle.js';
import { live, onBackend, values } from '../../test/wasm-kernel-check.js';
import { enableFastWasmTraining } from './fast-training.js';

const onWasm = <T>(fn: () => T): Promise<T> => onBackend('wasm', fn);

/** Batch dims of a, of b, inner sizes m × k · k × n. */
const cases: { batchA: number[]; batchB: number[]; m: number; k: number; n: number }[] = [
  { batchA: [], batchB: [], m: 5, k: 7, n: 3 },
  { batchA: [1], batchB: [1], m: 4, k: 6, n: 9 },
  { batchA: [3], batchB: [3], m: 4, k: 5, n: 2 },
  { batchA: [2, 1], batchB: [2, 1], m: 3, k: 8, n: 4 },
  // A large right operand next to a small left one: computed swapped, (Bᵀ·Aᵀ)ᵀ.
  { batchA: [], batchB: [], m: 2, k: 24, n: 20 },
  { batchA: [1], batchB: [1], m: 3, k: 16, n: 12 },
  { batchA: [1, 1], batchB: [1, 1], m: 2, k: 20, n: 24 },
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

/** Fused-kernel variants: activation, whether a bias is added. */
const fusedVariants: { activation: tf.fused.Activation; bias: boolean }[] = [
  { activation: 'linear', bias: false },
  { activation: 'linear', bias: true },
  { activation: 'relu', bias: false },
  { activation: 'relu', bias: true },
  { activation: 'relu6', bias: false },
  { activation: 'leakyrelu', bias: true },
  { activation: 'prelu', bias: true },
  { activation: 'prelu', bias: false },
];

/** `tf.fused.matMul` outside any gradient tape (so the fused kernel runs), as float32 data. */
function fusedMatMul(
  v: (typeof fusedVariants)[number],
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): Float32Array {
  return tf.tidy(() => {
    const a = tf.tensor(values(m * k, 21), transposeA ? [k, m] : [m, k]);
    const b = tf.tensor(values(k * n, 22), transposeB ? [n, k] : [k, n]);
    const bias = v.bias ? tf.tensor(values(n, 23), [n]) : undefined;
    const preluActivationWeights =
      v.activation === 'prelu' ? tf.tensor(values(n, 24), [n]) : undefined;
    const out = tf.fused.matMul({
      a,
      b,
      transposeA,
      transposeB,
      bias,
      activation: v.activation,
      preluActivationWeights,
      leakyreluAlpha: 0.3,
    });
    return out.dataSync() as Float32Array;
  });
}

/** Float64 oracle of {@link fusedMatMul}. */
function fusedOracle(
  v: (typeof fusedVariants)[number],
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): number[] {
  const A = transposeA
    ? transposed(matrix(values(m * k, 21), 0, k, m))
    : matrix(values(m * k, 21), 0, m, k);
  const B = transposeB
    ? transposed(matrix(values(k * n, 22), 0, n, k))
    : matrix(values(k * n, 22), 0, k, n);
  const bias = values(n, 23);
  const alphas = values(n, 24);
  const act = (x: number, j: number): number => {
    switch (v.activation) {
      case 'relu':
        return Math.max(x, 0);
      case 'relu6':
        return Math.min(Math.max(x, 0), 6);
      case 'leakyrelu':
        return x < 0 ? 0.3 * x : x;
      case 'prelu':
        return x < 0 ? (alphas[j] ?? Number.NaN) * x : x;
      default:
        return x;
    }
  };
  return product(A, B).flatMap((row) =>
    row.map((x, j) => act(x + (v.bias ? (bias[j] ?? Number.NaN) : 0), j)),
  );
}

describe('fast wasm matMul kernels', () => {
  const undos: (() => void)[] = [];
  afterEach(() => {
    for (const undo of undos.splice(0)) undo();
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

  // 5×4·4×3 is computed directly, 2×24·24×20 swapped.
  for (const [m, k, n] of [
    [5, 4, 3],
    [2, 24, 20],
  ] as const) {
    it(`fused.matMul ${m}×${k}·${k}×${n} with bias and linear activation: value and gradients unchanged`, async () => {
      const run = () =>
        tf.tidy(() => {
          const a = tf.tensor(values(m * k, 4), [m, k]);
          const b = tf.tensor(values(k * n, 5), [k, n]);
          const bias = tf.tensor(values(n, 6), [n]);
          const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
            tf.sum(tf.square(tf.fused.matMul({ a: x, b: y, bias: z, transposeB: false })));
          const { value, grads } = tf.valueAndGrads(f)([a, b, bias]);
          return [value, ...grads].map((t) => t.dataSync() as Float32Array);
        });
      const reference = run();
      undos.push(enableFastWasmTraining());
      const before = live();
      const fast = run();
      expect(live()).toEqual(before);
      for (const [i, v] of fast.entries()) expectClose(v, reference[i]!, 1e-5);
    });
  }

  // Batch 16, 6 → 8 → 3 is computed directly; batch 2, 24 → 20 → 16 swaps the forward products.

  for (const v of fusedVariants) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      it(`fused.matMul ${v.activation}${v.bias ? ' + bias' : ''} transposeA=${ta} transposeB=${tb} matches the stock kernel and float64`, async () => {
        // 2×24·24×20 is computed swapped when allowed (no bias or a linear one, no PReLU).
        await onWasm(() => {
          const stock = fusedMatMul(v, 2, 24, 20, ta, tb);
          const before = live();
          undos.push(enableFastWasmTraining());
          const fast = fusedMatMul(v, 2, 24, 20, ta, tb);
          expect(live()).toEqual(before);
          expectClose(fast, fusedOracle(v, 2, 24, 20, ta, tb), 1e-5);
          // The stock kernel's slow path (any transposed operand) adds bias[min(i·n + j, n − 1)]
          // instead of bias[j] to C[i][j], so with a bias it is only right untransposed.
          if (!v.bias || (!ta && !tb)) expectClose(fast, stock, 1e-5);
        });
      });
    }
  }

  it('swaps a product with a large new right operand, and packs a reused one as stock does', async () => {
    await onWasm(() => {
      // Count the transposes the replacement kernels make, through a counting wasm Transpose.
      const transpose = tf.getKernel('Transpose', 'wasm');
      if (transpose === undefined) throw new Error('no wasm Transpose kernel');
      let transposes = 0;
      tf.unregisterKernel('Transpose', 'wasm');
      tf.registerKernel({
        ...transpose,
        kernelFunc: (args) => {
          transposes += 1;
          return transpose.kernelFunc(args);
        },
      });
      const undo = enableFastWasmTraining();
      try {
        const before = live();
        const aData = values(2 * 24, 31);
        const bData = values(24 * 20, 32);
        const a = tf.tensor(aData, [2, 24]);
        const b = tf.tensor(bData, [24, 20]);
        const expected = product(matrix(aData, 0, 2, 24), matrix(bData, 0, 24, 20)).flat();
        transposes = 0;
        const first = tf.matMul(a, b);
        // Swapped: Aᵀ, Bᵀ and the product are transposed.
        expect(transposes).toBe(3);
        expect(first.shape).toEqual([2, 20]);
        expectClose(first.dataSync(), expected, 1e-5);
        transposes = 0;
        const second = tf.matMul(a, b);
        // B was seen: it is being reused, so it is packed once and used directly.
        expect(transposes).toBe(0);
        expectClose(second.dataSync(), expected, 1e-5);
        tf.tidy(() => {
          tf.matMul(tf.tensor(values(5 * 7, 33), [5, 7]), tf.tensor(values(7 * 3, 34), [7, 3]));
        });
        // A small right operand is cheaper to pack than the swap: used directly.
        expect(transposes).toBe(0);
        tf.dispose([a, b, first, second]);
        expect(live()).toEqual(before);
      } finally {
        undo();
        tf.unregisterKernel('Transpose', 'wasm');
        tf.registerKernel(transpose);
      }
    });
  });
});
