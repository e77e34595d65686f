/**
 * Shared pieces of the browser suite: the backend under test, a way to run the
 * same code on the cpu backend in the same page (the reference), the wrappers
 * under test, a small MLP on tfjs-core variables and asynchronous reads (no
 * synchronous read-back: webgpu cannot do them reliably).
 *
 * @module
 */
import {
  backstitch,
  type FloodOptimizer,
  flooding,
  gradientPenalty,
  sam,
  type WrapperOptions,
} from '@flood/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { inject } from 'vitest';

/** The backend this project tests (`webgl` or `webgpu`), active before every test. */
export const BACKEND = inject('backend');

/**
 * Runs `fn` with backend `name` active, then switches back to {@link BACKEND}.
 * Tensors made inside belong to `name`; dispose them before returning.
 */
export async function onBackend<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!(await tf.setBackend(name))) throw new Error(`could not initialise ${name}`);
  try {
    return await fn();
  } finally {
    await tf.setBackend(BACKEND);
  }
}

/** A wrapper factory: a fresh optimizer over a fresh base optimizer. */
export type Make = (options?: WrapperOptions) => FloodOptimizer;

/**
 * Every wrapper, over plain SGD (float differences between backends stay at
 * rounding level; Adam divides near-zero gradients and amplifies them). The
 * flood level 1 is above the {@link mlp}'s loss at its initial weights (0.917,
 * float64), so flooding ascends and its ascent branch is exercised.
 */
export const WRAPPERS: [string, Make][] = [
  ['flooding', (o) => flooding(tf.train.sgd(0.1), { level: 1, ...o })],
  ['sam', (o) => sam(tf.train.sgd(0.1), { rho: 0.05, ...o })],
  ['sam adaptive', (o) => sam(tf.train.sgd(0.1), { rho: 0.5, adaptive: true, ...o })],
  ['backstitch', (o) => backstitch(tf.train.sgd(0.1), { ascentRate: 0.03, ...o })],
  ['gradientPenalty', (o) => gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.5, ...o })],
  [
    'gradientPenalty exact',
    (o) => gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.5, method: 'exact', ...o }),
  ],
  ['flooding(sam)', (o) => flooding(sam(tf.train.sgd(0.1), { rho: 0.05 }), { level: 1, ...o })],
];

/** Deterministic values in (−scale, scale): `scale·sin(seed + 1.7·i)`. */
export function values(n: number, seed: number, scale = 1): number[] {
  return Array.from({ length: n }, (_, i) => scale * Math.sin(seed + 1.7 * i));
}

/** Sizes of the test MLP: 3 → 6 → 1, ReLU, mean squared error on 8 samples. */
const IN = 3;
const HIDDEN = 6;
const SAMPLES = 8;

/**
 * A 3 → 6 → 1 ReLU MLP on tfjs-core variables with its mean-squared-error loss
 * on 8 fixed samples, built on the active backend from deterministic numbers (so
 * every backend starts from the same bits). Only ops whose second-order gradient
 * tfjs computes correctly (matMul, add, relu, sub, square, mean), so the exact
 * gradient penalty and exact Hessian products apply.
 */
export function mlp(seed = 0) {
  // (tf.variable keeps its initial tensor alive too: the tidy frees those.)
  const [w1, b1, w2, b2] = tf.tidy(() => [
    tf.variable(tf.tensor2d(values(IN * HIDDEN, seed + 1, 0.8), [IN, HIDDEN])),
    tf.variable(tf.tensor1d(values(HIDDEN, seed + 2, 0.1))),
    tf.variable(tf.tensor2d(values(HIDDEN, seed + 3, 0.8), [HIDDEN, 1])),
    tf.variable(tf.tensor1d([0.05])),
  ]) as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const x = tf.tensor2d(values(SAMPLES * IN, seed + 4), [SAMPLES, IN]);
  const y = tf.tensor2d(values(SAMPLES, seed + 5, 0.7), [SAMPLES, 1]);
  const vars = [w1, b1, w2, b2];
  const loss = () =>
    tf.tidy(() => {
      const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
      return tf.mean(tf.square(tf.sub(tf.add(tf.matMul(h, w2), b2), y))) as tf.Scalar;
    });
  return {
    vars,
    loss,
    /** Every weight, flattened, read asynchronously. */
    read: () => readAll(vars),
    dispose: () => tf.dispose([...vars, x, y]),
  };
}

/** The values of `tensors`, concatenated, read with `await data()`. */
export async function readAll(tensors: readonly tf.Tensor[]): Promise<number[]> {
  const out: number[] = [];
  for (const t of tensors) out.push(...(await t.data()));
  return out;
}

/** The raw float32 bits of `tensors` (for bit-identity checks), read asynchronously. */
export async function bitsOf(tensors: readonly tf.Tensor[]): Promise<number[]> {
  const out: number[] = [];
  for (const t of tensors) {
    const data = await t.data();
    out.push(
      ...(data instanceof Float32Array
        ? new Uint32Array(data.slice().buffer)
        : Array.from(data as Int32Array)),
    );
  }
  return out;
}

/** One scalar, read asynchronously. */
export async function scalar(t: tf.Tensor | undefined): Promise<number> {
  if (!t) throw new Error('expected a tensor');
  return (await t.data())[0]!;
}

/**
 * The largest `|a − b| / (atol + rtol·|b|)` over two equal-length arrays: ≤ 1
 * means every entry agrees within `atol + rtol·|b|`.
 */
export function worst(a: readonly number[], b: readonly number[], rtol = 1e-5, atol = 1e-6) {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]! - b[i]!) / (atol + rtol * Math.abs(b[i]!)));
  }
  return max;
}
