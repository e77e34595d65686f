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
 * flood level 2 is above the {@link mlp}'s loss at its initial weights (1.285,
 * float64), so flooding ascends; at level 0.5 it descends (the same update as
 * the plain step, by another path).
 */
export const WRAPPERS: [string, Make][] = [
  ['flooding', (o) => flooding(tf.train.sgd(0.1), { level: 2, ...o })],
  ['flooding descending', (o) => flooding(tf.train.sgd(0.1), { level: 0.5, ...o })],
  ['sam', (o) => sam(tf.train.sgd(0.1), { rho: 0.05, ...o })],
  ['sam adaptive', (o) => sam(tf.train.sgd(0.1), { rho: 0.5, adaptive: true, ...o })],
  ['backstitch', (o) => backstitch(tf.train.sgd(0.1), { ascentRate: 0.03, ...o })],
  ['gradientPenalty', (o) => gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.05, ...o })],
  [
    'gradientPenalty exact',
    (o) => gradientPenalty(tf.train.sgd(0.1), { coefficient: 0.05, method: 'exact', ...o }),
  ],
  ['flooding(sam)', (o) => flooding(sam(tf.train.sgd(0.1), { rho: 0.05 }), { level: 2, ...o })],
];

/** Deterministic values in (−scale, scale): `scale·sin(seed + 1.7·i)`. */
export function values(n: number, seed: number, scale = 1): number[] {
  return Array.from({ length: n }, (_, i) => scale * Math.sin(seed + 1.7 * i));
}

/** Widths of the test MLP, input first. */
const SIZES = [3, 6, 6, 6, 1];
const SAMPLES = 8;

/**
 * A 3 → 6 → 6 → 6 → 1 ReLU MLP on tfjs-core variables (8 of them: more than 7
 * blocks, as tfjs-backend-webgpu's AddN limit makes worth testing) with its
 * mean-squared-error loss on 8 fixed samples, built on the active backend from
 * deterministic numbers (so every backend starts from the same bits). Only ops
 * whose second-order gradient tfjs computes correctly (matMul, add, relu, sub,
 * square, mean; softplus), so the exact gradient penalty and exact Hessian
 * products apply. `softplus` instead of ReLU makes the loss smooth, for
 * finite-difference curvature (a probe across a ReLU kink breaks it).
 */
export function mlp(seed = 0, activation: 'relu' | 'softplus' = 'relu') {
  // (tf.variable keeps its initial tensor alive too: the tidy frees those.)
  const vars = tf.tidy(() =>
    SIZES.slice(1).flatMap((out, i) => [
      tf.variable(tf.tensor2d(values(SIZES[i]! * out, seed + 2 * i + 1, 0.9), [SIZES[i]!, out])),
      tf.variable(tf.tensor1d(values(out, seed + 2 * i + 2, 0.1))),
    ]),
  );
  const x = tf.tensor2d(values(SAMPLES * SIZES[0]!, seed + 20), [SAMPLES, SIZES[0]!]);
  const y = tf.tensor2d(values(SAMPLES, seed + 21, 0.7), [SAMPLES, 1]);
  const loss = () =>
    tf.tidy(() => {
      let h: tf.Tensor = x;
      for (let i = 0; i < vars.length; i += 2) {
        h = tf.add(tf.matMul(h, vars[i]!), vars[i + 1]!);
        if (i + 2 < vars.length) h = activation === 'relu' ? tf.relu(h) : tf.softplus(h);
      }
      return tf.mean(tf.square(tf.sub(h, y))) as tf.Scalar;
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
